package voice

import (
	"context"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// TestBandwidthOfPhoneReference enrols two speakers from their recordings
// and from the same recordings through an 8 kHz line: the clean profiles
// must read as full band (their conversion unchanged), the telephone ones
// as cut near 4 kHz, where the line's band ends.
func TestBandwidthOfPhoneReference(t *testing.T) {
	if raceEnabled {
		t.Skip("numbers only; slow under the race detector")
	}
	e := New(Config{})
	for _, sp := range []string{"librispeech_1998", "vctk_p226"} {
		refs := loadRefs(t, sp, 12)
		phone := make([]Reference, len(refs))
		for i, r := range refs {
			phone[i] = Reference{Audio: dsp.Resample(dsp.Resample(r.Audio.Mono(), 8000), analysisRate)}
		}
		for _, c := range []struct {
			name   string
			refs   []Reference
			lo, hi float64
		}{{"clean", refs, analysisRate / 2, analysisRate / 2}, {"8 kHz", phone, 3000, 4300}} {
			b, err := e.Clone(context.Background(), c.refs)
			if err != nil {
				t.Fatalf("%s %s: %v", sp, c.name, err)
			}
			var p Profile
			if err := p.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			bw := ltasBandwidth(p.Spectrum.LTAS)
			t.Logf("%s %s: bandwidth %.0f Hz", sp, c.name, bw)
			if bw < c.lo || bw > c.hi {
				t.Errorf("%s %s: bandwidth %.0f Hz, want %.0f–%.0f", sp, c.name, bw, c.lo, c.hi)
			}
		}
	}
}
