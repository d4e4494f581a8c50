package eval

import (
	"fmt"
	"strings"

	"github.com/voxclone/voxclone/internal/voice"
)

// Oracle pieces: a degradation named "mp3_32+pool+gv" clones from the
// damaged references, then takes the named pieces of the profile from
// the clean clone's. How many words a piece takes back says how much of
// the damage's cost it carries (docs/engine.md, "Noisy references",
// "Lossy references"). A diagnostic: no upload gets this.
var oraclePieces = map[string]func(bad, clean *voice.Profile){
	"pool":  func(b, c *voice.Profile) { b.Pool = c.Pool },
	"eq":    func(b, c *voice.Profile) { b.Base.EQVoiced, b.Base.EQUnvoiced = c.Base.EQVoiced, c.Base.EQUnvoiced },
	"rate":  func(b, c *voice.Profile) { b.Base.RateRatio = c.Base.RateRatio },
	"warp":  func(b, c *voice.Profile) { b.Base.Warp = c.Base.Warp },
	"ap":    func(b, c *voice.Profile) { b.Base.ApOffset, b.Source = c.Base.ApOffset, c.Source },
	"gv":    func(b, c *voice.Profile) { b.Spectrum.GV = c.Spectrum.GV },
	"ltas":  func(b, c *voice.Profile) { b.Spectrum.LTAS = c.Spectrum.LTAS },
	"upper": func(b, c *voice.Profile) { b.UpperBand = c.UpperBand },
	// Half of the pool each (oracle_pool.go).
	"labels": relabelPool,
	"phones": rephonePool,
	"frames": reframePool,
	"f0": func(b, c *voice.Profile) {
		b.Prosody = c.Prosody
		b.Base.BaseLogF0Median, b.Base.BaseLogF0SD = c.Base.BaseLogF0Median, c.Base.BaseLogF0SD
	},
}

// splitOracle splits a degradation's name into the damage and the
// profile pieces taken from the clean clone, checking the pieces.
func splitOracle(name string) (string, []string, error) {
	parts := strings.Split(name, "+")
	for _, p := range parts[1:] {
		if oraclePieces[p] == nil {
			return "", nil, fmt.Errorf("eval: unknown profile piece %q in %q (known: ap, eq, f0, frames, gv, labels, ltas, phones, pool, rate, upper, warp)", p, name)
		}
	}
	return parts[0], parts[1:], nil
}

// applyOracle returns the profile bad with the pieces taken from clean;
// bad itself when there are none.
func applyOracle(bad, clean []byte, pieces []string) ([]byte, error) {
	if len(pieces) == 0 {
		return bad, nil
	}
	var b, c voice.Profile
	if err := b.UnmarshalBinary(bad); err != nil {
		return nil, err
	}
	if err := c.UnmarshalBinary(clean); err != nil {
		return nil, err
	}
	for _, p := range pieces {
		oraclePieces[p](&b, &c)
	}
	return b.MarshalBinary()
}
