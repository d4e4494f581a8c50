package flite

import (
	"context"
	"testing"
)

// TestDurationsMatchSynthesis checks that the duration-only pass times
// every phone exactly as a full synthesis does, for each voice and with a
// stretch, on text with a pause, a number and an unknown word.
func TestDurationsMatchSynthesis(t *testing.T) {
	text := "The birch canoe slid on the smooth planks, in 1984. Zyxlophone the dark blue background!"
	for _, v := range Voices() {
		for _, stretch := range []float64{0, 1.3} {
			opt := Options{DurationStretch: stretch}
			r, err := Synthesize(context.Background(), v, text, opt)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Durations(context.Background(), v, text, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(d) != len(r.Phones) || len(d) < 40 {
				t.Fatalf("%s ×%v: %d phones, synthesis has %d", v, stretch, len(d), len(r.Phones))
			}
			for i, p := range r.Phones {
				// Synthesize clips the last phone to the audio.
				if d[i].Name != p.Name || (d[i].End != p.End && (i < len(d)-1 || d[i].End < p.End)) {
					t.Fatalf("%s ×%v: phone %d is %v, synthesis has %v", v, stretch, i, d[i], p)
				}
			}
		}
	}
}

func BenchmarkDurations(b *testing.B) {
	text := "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background."
	for b.Loop() {
		if _, err := Durations(context.Background(), "slt", text, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
