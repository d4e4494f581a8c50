package app_test

import (
	"bytes"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// speech is at least minSec seconds of a flite voice reading, with the
// text read. The service's use cases need speech, not a particular human
// voice, so they run on a clone without the real speech set.
func speech(t *testing.T, voice string, minSec float64) (*audio.PCM, string) {
	t.Helper()
	return speechtest.Synthetic(t, voice, minSec)
}

// encode writes pcm in format f.
func encode(t *testing.T, pcm *audio.PCM, f audio.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, codec.Encode(t.Context(), &buf, pcm, f, codec.EncodeOptions{}))
	return buf.Bytes()
}

// speechWAV is 25–60 s of one voice as a WAV file.
func speechWAV(t *testing.T, voice string) []byte {
	pcm, _ := speech(t, voice, 25)
	return encode(t, pcm, audio.FormatWAV)
}

func mustDecode(t *testing.T, data []byte) *audio.PCM {
	t.Helper()
	pcm, _, err := codec.Decode(t.Context(), data)
	must(t, err)
	return pcm
}
