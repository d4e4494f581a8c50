package eval

import (
	"context"
	"fmt"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// Decoy is a base voice the clones must not be mistaken for: its speech
// trains a model that competes with the true speaker but is never a valid
// answer.
type Decoy struct {
	Name  string
	Audio []*audio.PCM
}

// decoyText is what decoy voices read to train their models: Harvard list 4,
// disjoint from the sentences the clones read, so a decoy model knows the
// voice, not the words.
var decoyText = []string{
	"Hoist the load to your left shoulder.",
	"Take the winding path to reach the lake.",
	"Note closely the size of the gas tank.",
	"Wipe the grease off his dirty face.",
	"Mend the coat before you go out.",
	"The wrist was badly strained and hung limp.",
	"The stray cat gave birth to kittens.",
	"The young girl gave no clear response.",
	"The meal was cooked before the bell rang.",
	"What joy there is in living.",
}

// FliteDecoys has each named flite voice read the decoy text, unconverted.
func FliteDecoys(ctx context.Context, voices ...string) ([]Decoy, error) {
	var out []Decoy
	for _, v := range voices {
		d := Decoy{Name: v}
		for _, text := range decoyText {
			r, err := flite.Synthesize(ctx, v, text, flite.Options{})
			if err != nil {
				return nil, fmt.Errorf("decoy %s: %w", v, err)
			}
			d.Audio = append(d.Audio, r.Audio)
		}
		out = append(out, d)
	}
	return out, nil
}

// addDecoys adapts a model per decoy in both identifiers.
func addDecoys(ids identifiers, decoys []Decoy) {
	fx := newMFCCExtractor()
	for _, d := range decoys {
		var raw, norm [][][]float64
		for _, a := range d.Audio {
			x := to16k(a).Samples
			r, n := fx.features(x)
			raw, norm = append(raw, r), append(norm, n)
		}
		ids.raw.addDecoy(raw)
		ids.norm.addDecoy(norm)
	}
}
