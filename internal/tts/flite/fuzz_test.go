package flite

import (
	"context"
	"testing"
)

// FuzzSynthesize feeds arbitrary text to flite: it must neither crash the
// process nor return phones that end after the audio.
func FuzzSynthesize(f *testing.F) {
	for _, s := range []string{"Hello.", "", "1234567890123456789012345678901234567890", "$3.50 at 10:30pm on 2/3/2024",
		"http://example.com/a?b=c", "ÀÉÎõü ☃ 日本語", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\x00\x01\x02\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 600 {
			text = text[:600]
		}
		r, err := Synthesize(context.Background(), "slt", text, Options{})
		if err != nil {
			t.Fatal(err)
		}
		dur := r.Audio.Seconds()
		for _, p := range r.Phones {
			if p.End > dur || p.End < 0 {
				t.Fatalf("phone %q ends at %.3f s, audio %.3f s", p.Name, p.End, dur)
			}
		}
	})
}
