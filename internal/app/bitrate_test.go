package app_test

import (
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestBitrate: the bit rate asked for reaches the encoder (a tighter one
// makes a much smaller MP3 of the same speech), and is checked.
func TestBitrate(t *testing.T) {
	f := newFixture(t, sqliteStore(t), voice.New(voice.Config{}))
	alice, _ := f.register(t, "alice@example.com")
	size := func(kbps int) int {
		_, data, err := f.svc.Synthesize(t.Context(), alice.ID, app.SynthesizeInput{Voice: "slt", Text: threeSentences,
			Format: "mp3", SampleRate: 44100, Bitrate: kbps})
		must(t, err)
		return len(data)
	}
	if low, high := size(32), size(192); high < 4*low {
		t.Errorf("MP3 at 192 kbit/s is %d bytes, at 32 kbit/s %d: want about six times as large", high, low)
	}
	for _, bad := range []int{7, 321, -1} {
		_, _, err := f.svc.Synthesize(t.Context(), alice.ID, app.SynthesizeInput{Voice: "slt", Text: "Hi.", Format: "mp3", Bitrate: bad})
		wantCode(t, err, app.EInvalid)
	}
}
