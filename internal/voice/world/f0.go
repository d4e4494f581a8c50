package world

import "math"

// Defaults for F0Options.
const (
	DefaultF0Floor          = 60.0
	DefaultF0Ceil           = 500.0
	DefaultChannelsInOctave = 2.0
	DefaultAllowedRange     = 0.1
	DefaultVoicingThreshold = 0.45
)

// F0Options tune F0. The zero value means defaults.
type F0Options struct {
	// Floor and Ceil bound the F0 search in Hz (defaults 60 and 500).
	Floor, Ceil float64
	// FramePeriod is the hop in ms (default 5).
	FramePeriod float64
	// ChannelsInOctave is DIO's band density (default 2).
	ChannelsInOctave float64
	// Speed is DIO's decimation ratio, 1…12. 0 picks fs/4000, which is
	// plenty for clean or synthetic speech; use 1 for noisy recordings.
	Speed int
	// AllowedRange is DIO's relative frame-to-frame jump limit (default 0.1).
	AllowedRange float64
	// NoRefine skips StoneMask refinement (faster, ≈1–3% coarser).
	NoRefine bool
	// VoicingThreshold is the normalised autocorrelation at the period
	// (measured on the low band) a frame needs to stay voiced; it removes
	// the voicing DIO finds in noise. 0 means the default 0.45, a
	// negative value disables the check.
	VoicingThreshold float64
}

func (o F0Options) framePeriod() float64 {
	if o.FramePeriod > 0 {
		return o.FramePeriod
	}
	return DefaultFramePeriod
}

func (o F0Options) withDefaults(fs int) F0Options {
	if o.Floor <= 0 {
		o.Floor = DefaultF0Floor
	}
	if o.Ceil <= 0 {
		o.Ceil = DefaultF0Ceil
	}
	o.Ceil = math.Min(o.Ceil, float64(fs)/6)
	if o.Floor >= o.Ceil {
		o.Floor = o.Ceil / 2
	}
	o.FramePeriod = o.framePeriod()
	if o.ChannelsInOctave <= 0 {
		o.ChannelsInOctave = DefaultChannelsInOctave
	}
	if o.Speed <= 0 {
		o.Speed = fs / 4000
	}
	o.Speed = clampInt(o.Speed, 1, 12)
	if o.AllowedRange <= 0 {
		o.AllowedRange = DefaultAllowedRange
	}
	if o.VoicingThreshold == 0 {
		o.VoicingThreshold = DefaultVoicingThreshold
	}
	return o
}

// F0 estimates the fundamental frequency of x (mono, rate fs) every
// opt.FramePeriod ms, returning NumFrames(len(x), fs, period) values in Hz
// with 0 for unvoiced frames. The steps are DIO candidates on a decimated
// copy, StoneMask refinement on the full-rate signal, then a periodicity
// check that unvoices frames without a repeating waveform.
func F0(x []float64, fs int, opt F0Options) ([]float64, error) {
	return f0(x, fs, opt, nil)
}

func f0(x []float64, fs int, opt F0Options, c *F0Cache) ([]float64, error) {
	if err := checkInput(x, fs); err != nil {
		return nil, err
	}
	n := NumFrames(len(x), fs, opt.framePeriod())
	if n == 0 {
		return []float64{}, nil
	}
	o := opt.withDefaults(fs)
	d := newDIO(x, fs, o, c)
	f0 := d.run(n)
	if !o.NoRefine {
		stoneMask(x, fs, o.FramePeriod, f0)
	}
	if o.VoicingThreshold > 0 {
		d.checkPeriodicity(f0, o.VoicingThreshold)
		removeShortRuns(f0, 3)
	}
	return f0, nil
}

// removeShortRuns unvoices voiced runs shorter than minLen frames: isolated
// voiced blips are nearly always noise, and synthesising them clicks.
func removeShortRuns(f0 []float64, minLen int) {
	for i := 0; i < len(f0); {
		if f0[i] == 0 {
			i++
			continue
		}
		j := i
		for j < len(f0) && f0[j] > 0 {
			j++
		}
		if j-i < minLen {
			clear(f0[i:j])
		}
		i = j
	}
}
