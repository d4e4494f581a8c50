package app_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// speech joins a speaker's utterances, in order, until at least minSec
// seconds, and returns them as one PCM with the transcripts joined.
func speech(t *testing.T, speaker string, minSec float64) (*audio.PCM, string) {
	t.Helper()
	var out *audio.PCM
	var text []byte
	for _, path := range speechtest.WAVs(t, speaker) {
		data, err := os.ReadFile(path)
		must(t, err)
		pcm, _, err := codec.Decode(t.Context(), data)
		must(t, err)
		if out == nil {
			out = &audio.PCM{Rate: pcm.Rate, Channels: pcm.Channels}
		}
		out.Samples = append(out.Samples, pcm.Samples...)
		if tr := speechtest.Transcript(path); tr != "" {
			text = append(append(text, tr...), ' ')
		}
		if out.Seconds() >= minSec {
			break
		}
	}
	if out.Seconds() < minSec {
		t.Fatalf("speaker %s has only %.1f s of speech", speaker, out.Seconds())
	}
	return out, string(bytes.TrimSpace(text))
}

// encode writes pcm in format f.
func encode(t *testing.T, pcm *audio.PCM, f audio.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, codec.Encode(t.Context(), &buf, pcm, f, codec.EncodeOptions{}))
	return buf.Bytes()
}

// speechWAV is 25–60 s of one speaker as a WAV file.
func speechWAV(t *testing.T, speaker string) []byte {
	pcm, _ := speech(t, speaker, 25)
	return encode(t, pcm, audio.FormatWAV)
}

func mustDecode(t *testing.T, data []byte) *audio.PCM {
	t.Helper()
	pcm, _, err := codec.Decode(t.Context(), data)
	must(t, err)
	return pcm
}
