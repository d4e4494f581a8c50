// Package eval measures how much cloned speech sounds like its speaker and
// how intelligible it stays, with a fixed protocol so numbers from different
// engine versions compare.
//
// For each speaker folder the sorted recordings are split in two: the first
// half (at least one) is the cloning reference, the rest is held-out real
// speech. A GMM-UBM speaker identifier trained on the held-out speech of all
// speakers decides who each cloned sentence sounds like (with and without
// per-utterance cepstral mean and variance normalization), a YIN pitch
// tracker compares median F0, and PocketSphinx with its general English
// language model (and, as a second figure, a closed word loop) measures the
// word error rate of the clone, of the unconverted base voice reading the
// same sentences, and of the clone and the real speaker reading held-out
// transcripts. Clones from degraded copies of the references (telephone,
// low-rate MP3, noise) measure robustness to what people upload.
package eval

import (
	_ "embed"
	"strings"

	"context"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

//go:embed sentences.txt
var sentencesFile string

// Sentences returns the fixed sentences every clone reads.
func Sentences() []string {
	var out []string
	for _, line := range strings.Split(sentencesFile, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// Engine is what the evaluation needs of a voice engine; *voice.Engine
// satisfies it. Clone receives decoded, unprocessed reference audio. Both
// methods may be called from several goroutines at once.
type Engine interface {
	Clone(ctx context.Context, refs []voice.Reference) ([]byte, error)
	Synthesize(ctx context.Context, profile []byte, text string, opt voice.Options) (*audio.PCM, error)
}
