package voice

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice/align"
	"gonum.org/v1/gonum/dsp/fourier"
)

var printHighBand = flag.Bool("highband.table", false, "TestHighBandTable: print the upper-band table of the speech set")

// fullBandSpeakers are the speakers of the speech set recorded above
// 16 kHz, and the top of the band each has (Hz).
var fullBandSpeakers = map[string]float64{"vctk_p225": 12000, "vctk_p226": 12000, "ljspeech_LJ": 11000}

// alignedLabels labels frames of hop seconds of a recording with the
// phones of its transcript; nil when alignment fails.
func alignedLabels(t testing.TB, x []float64, rate int, transcript string, hop float64) []string {
	t.Helper()
	y := resampleTo(x, rate, align.Rate)
	segs, err := align.Align(context.Background(), toPCM(y), transcript)
	if err != nil {
		return nil
	}
	n := int(float64(len(x))/float64(rate)/hop) + 1
	labels := align.FrameLabels(segs, hop, n)
	for i, l := range labels {
		labels[i] = align.Normalize(l)
	}
	return labels
}

// classEnergy sums, per upper-band class, the power density of 1–4 kHz,
// of 8 kHz–top and of each table band below top in 10 ms frames (25 ms
// Hann windows) of x: the frames whose neighbours are of their class, as
// the learner takes them. A window across a phone boundary reads both
// phones, and the aligner's boundaries on real speech are a frame or two
// off where flite's, on the clone, are exact, so such frames measured the
// real speaker's neighbouring phones and not the clone's (half of the
// spread between a speaker's two halves: mean |held-back − references|
// over the cells 3.9 dB on all frames, 3.2 on these). loW weighs each
// frame's 1–4 kHz by its phone's hbOffset, for the table.
type classEnergy struct {
	lo, hi, loW [hbClasses]float64
	bands       [hbClasses][]float64
	top         float64
}

func (c *classEnergy) add(x []float64, rate int, labels []string, top float64) {
	n := 1
	for n < int(0.025*float64(rate)) {
		n *= 2
	}
	win := int(0.025 * float64(rate))
	hop := float64(rate) / 100
	fft := fourier.NewFFT(n)
	hz := float64(rate) / float64(n)
	c.top = top
	rows := len(defaultHighBand[0])
	buf := make([]float64, n)
	for i, l := range labels {
		c0 := int(float64(i) * hop)
		if c0-win/2 < 0 || c0+win/2 >= len(x) || !interior(labels, i) {
			continue
		}
		clear(buf)
		for k := range win {
			w := 0.5 - 0.5*math.Cos(2*math.Pi*(float64(k)+0.5)/float64(win))
			buf[k] = w * x[c0-win/2+k]
		}
		spec := fft.Coefficients(nil, buf)
		cl := hbClass(l)
		if c.bands[cl] == nil {
			c.bands[cl] = make([]float64, rows)
		}
		gain := math.Pow(10, hbOffset(l)/10)
		for k, v := range spec {
			f := float64(k) * hz
			p := (real(v)*real(v) + imag(v)*imag(v)) * hz // per Hz below
			switch {
			case f >= 1000 && f < 4000:
				c.lo[cl] += p / 3000
				c.loW[cl] += p / 3000 * gain
			case f >= 8000 && f < top:
				c.hi[cl] += p / (top - 8000)
			}
			if b := int((f - highBandFrom) / highBandStep); f >= highBandFrom && b < rows && highBandFrom+float64(b+1)*highBandStep <= top {
				c.bands[cl][b] += p / highBandStep
			}
		}
	}
}

// ratios is the upper band's power density against 1–4 kHz's per class
// (dB).
func (c *classEnergy) ratios() [hbClasses]float64 {
	var r [hbClasses]float64
	for k := range r {
		r[k] = 10 * math.Log10(math.Max(c.hi[k], 1e-30)/math.Max(c.lo[k], 1e-30))
	}
	return r
}

// rows is ratios with each frame's hbOffset taken out: what the table
// holds.
func (c *classEnergy) rows() [hbClasses]float64 {
	var r [hbClasses]float64
	for k := range r {
		r[k] = 10 * math.Log10(math.Max(c.hi[k], 1e-30)/math.Max(c.loW[k], 1e-30))
	}
	return r
}

// heldBack splits a speaker's transcribed recordings as voxclone eval
// does: the first half clones, the rest is held back.
func heldBack(t *testing.T, speaker string) (refs []Reference, held []string) {
	paths := speechtest.WAVs(t, speaker)
	half := len(paths) / 2
	for _, p := range paths[:half] {
		refs = append(refs, Reference{Audio: speechtest.Load(t, p), Transcript: speechtest.Transcript(p)})
	}
	for _, p := range paths[half:] {
		if speechtest.Transcript(p) != "" {
			held = append(held, p)
		}
	}
	return refs, held
}

// TestHighBandPerClass compares, per phone class, the clone's 8–12 kHz
// level against 1–4 kHz with the real speaker's, on the references the
// clone learned its upper band from and on held-back recordings, for the
// speakers recorded above 16 kHz.
func TestHighBandPerClass(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow; real speech")
	}
	speechtest.Dir(t)
	e := New(Config{})
	var sumHeld, sumRefs [hbClasses]float64
	var absHeld, absSpread float64
	speakers := []string{"vctk_p225", "vctk_p226", "ljspeech_LJ"}
	for _, sp := range speakers {
		top := fullBandSpeakers[sp]
		refs, held := heldBack(t, sp)
		p, conv := cloneConversion(t, e, refs)
		if p.UpperBand == nil {
			t.Fatalf("%s: no upper band learned from references at %d Hz", sp, refs[0].Audio.Rate)
		}
		// own: the references; self: the clone saying their sentences;
		// real and clone: the held-back recordings and the clone saying
		// theirs. A class's level follows its sentences' phones (an "sh"
		// puts 25 dB less above 8 kHz than an "s"), so the clone is held
		// to its references on their own sentences.
		var own, self, real, clone classEnergy
		speak := func(text string, seed int, into *classEnergy) {
			out, r, err := e.speak(context.Background(), p, conv, text, sanitize(Options{}), uint64(seed))
			if err != nil {
				t.Fatal(err)
			}
			y := toFloat64(out.Samples)
			into.add(y, out.Rate, frameLabels(r.Phones, 10, int(float64(len(y))/float64(out.Rate)*100)+1), top)
		}
		for i, r := range refs {
			if r.Transcript == "" {
				continue
			}
			x := toFloat64(r.Audio.Samples)
			if labels := alignedLabels(t, x, r.Audio.Rate, r.Transcript, 0.01); labels != nil {
				own.add(x, r.Audio.Rate, labels, top)
				speak(r.Transcript, 100+i, &self)
			}
		}
		for i, path := range held {
			pcm := speechtest.Load(t, path)
			x := toFloat64(pcm.Samples)
			text := speechtest.Transcript(path)
			if labels := alignedLabels(t, x, pcm.Rate, text, 0.01); labels != nil {
				real.add(x, pcm.Rate, labels, top)
			}
			speak(text, i, &clone)
		}
		or, rr, cr := own.ratios(), real.ratios(), clone.ratios()
		// Against its references the clone is held to the rows, each
		// frame's phone offset taken out: what it learned and renders,
		// whatever flite's own balance of its fricatives below 8 kHz (its
		// "sh" holds 69–73% of the class's 1–4 kHz power in these
		// sentences, the speakers' 23–48%).
		ow, sw := own.rows(), self.rows()
		var line strings.Builder
		for k := range hbClasses {
			fmt.Fprintf(&line, " %s %.1f/%.1f (%+.1f), refs %.1f, rows %.1f/%.1f (%+.1f)", hbClassNames[k], cr[k], rr[k], cr[k]-rr[k], or[k], sw[k], ow[k], sw[k]-ow[k])
			sumHeld[k] += (cr[k] - rr[k]) / float64(len(speakers))
			sumRefs[k] += (sw[k] - ow[k]) / float64(len(speakers))
			absHeld += math.Abs(cr[k]-rr[k]) / float64(len(speakers)*hbClasses)
			absSpread += math.Abs(rr[k]-or[k]) / float64(len(speakers)*hbClasses)
			// The clone renders what it learned from the references: each
			// class must land near their level (measured here on all of
			// them, learned from the labelled first 30 s, blended toward
			// the default by frames seen: 2026-12-07, −1.6…+3.1 dB, stops
			// −1.9…+1.7; on 2026-12-06, before each frame kept its own
			// level, stops were −1.2…−5.0). Stops are short, and the
			// aligner's stop frames hold more of the burst than flite's.
			lim := 3.5
			if k == hbStop {
				lim = 5.5
			}
			if d := sw[k] - ow[k]; math.Abs(d) > lim {
				t.Errorf("%s: %s's upper band is %+.1f dB from the references', want within ±%.1f", sp, hbClassNames[k], d, lim)
			}
		}
		t.Logf("%s: 8–%.0f kHz re 1–4 kHz, held-back clone/real (clone − real), references; rows on the references' sentences clone/real (clone − real) dB:%s", sp, top/1000, line.String())
	}
	for k := range hbClasses {
		t.Logf("%s: clone − held-back %+.1f dB, clone − references on their sentences (rows) %+.1f dB on average", hbClassNames[k], sumHeld[k], sumRefs[k])
	}
	// Held-back recordings differ from the references of the same speaker
	// by several dB per class (other sentences, other sessions): that
	// spread bounds what any profile can reach on them.
	t.Logf("mean |clone − held-back| %.1f dB; mean |held-back − references| %.1f dB", absHeld, absSpread)
	if absHeld > 4.5 {
		t.Errorf("the clones' upper band is %.1f dB from held-back speech on average over speakers and classes, want ≤ 4.5", absHeld)
	}
	for k := range hbClasses {
		lim := 3.0
		if k == hbStop {
			lim = 6
		}
		if math.Abs(sumHeld[k]) > lim {
			t.Errorf("%s: the upper band is %+.1f dB from the real speakers' held-back speech on average, want within ±%.0f", hbClassNames[k], sumHeld[k], lim)
		}
	}
}

// TestHighBandTable measures the upper-band table (defaultHighBand) on the
// speakers recorded above 16 kHz, at their own rates: -highband.table
// prints it. Each speaker counts alike.
func TestHighBandTable(t *testing.T) {
	if !*printHighBand {
		t.Skip("run with -highband.table")
	}
	speechtest.Dir(t)
	rows := len(defaultHighBand[0])
	speakers := []string{"vctk_p225", "vctk_p226", "ljspeech_LJ"}
	// levels[speaker][class][band], NaN above the speaker's band.
	levels := make([][hbClasses][]float64, len(speakers))
	for i, sp := range speakers {
		var ce classEnergy
		for _, path := range speechtest.WAVs(t, sp) {
			text := speechtest.Transcript(path)
			if text == "" {
				continue
			}
			pcm := speechtest.Load(t, path)
			x := toFloat64(pcm.Samples)
			// LJ's recordings roll off over the last 500 Hz below 11 kHz.
			top := min(fullBandSpeakers[sp], float64(pcm.Rate)/2-500)
			if labels := alignedLabels(t, x, pcm.Rate, text, 0.01); labels != nil {
				ce.add(x, pcm.Rate, labels, top)
			}
		}
		for k := range hbClasses {
			levels[i][k] = make([]float64, rows)
			for b := range rows {
				levels[i][k][b] = math.NaN()
				if highBandFrom+float64(b+1)*highBandStep <= ce.top && ce.bands[k] != nil {
					levels[i][k][b] = 10 * math.Log10(ce.bands[k][b]/ce.loW[k])
				}
			}
		}
		t.Logf("%s: %.1f", sp, levels[i])
	}
	for k := range hbClasses {
		var line strings.Builder
		for b := range rows {
			// A band a speaker lacks continues its last one by the mean
			// change of the speakers who have both.
			var sum float64
			for i := range speakers {
				v := levels[i][k][b]
				if math.IsNaN(v) {
					var d, n float64
					for j := range speakers {
						if !math.IsNaN(levels[j][k][b]) {
							d += levels[j][k][b] - levels[j][k][b-1]
							n++
						}
					}
					v = levels[i][k][b-1] + d/n
					levels[i][k][b] = v
				}
				sum += v
			}
			fmt.Fprintf(&line, " %.1f,", sum/float64(len(speakers)))
		}
		t.Logf("%s: {%s}", hbClassNames[k], line.String())
	}
}

// TestFricativesReachHighBand checks on a bare clone (synthetic
// references) that the engine's output is 24 kHz with the upper band
// where speech has it: fricatives carry energy above 8 kHz, within 8 dB
// of the table, and well above the vowels'.
func TestFricativesReachHighBand(t *testing.T) {
	if raceEnabled {
		t.Skip("slow under the race detector")
	}
	ref, text := speechtest.Synthetic(t, "slt", 15)
	e := New(Config{})
	p, conv := cloneConversion(t, e, []Reference{{Audio: ref, Transcript: text}})
	var ce classEnergy
	for i, s := range []string{"She sells sea shells by the seashore.", "Fifty six chefs fished for fresh fish."} {
		out, r, err := e.speak(context.Background(), p, conv, s, sanitize(Options{}), uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if out.Rate != OutputRate {
			t.Fatalf("rendered at %d Hz, want %d", out.Rate, OutputRate)
		}
		y := toFloat64(out.Samples)
		ce.add(y, out.Rate, frameLabels(r.Phones, 10, int(float64(len(y))/float64(out.Rate)*100)+1), 12000)
	}
	r, row := ce.ratios(), ce.rows()
	want := 10 * math.Log10(meanPower(defaultHighBand[hbFricative][2:]))
	t.Logf("8–12 kHz re 1–4 kHz: fricatives %.1f dB (%.1f with each phone's offset taken out; table %.1f), vowels %.1f dB", r[hbFricative], row[hbFricative], want, r[hbVowel])
	if math.Abs(row[hbFricative]-want) > 8 {
		t.Errorf("fricatives' 8–12 kHz band is %.1f dB re 1–4 kHz with their offsets taken out, want %.1f ± 8", row[hbFricative], want)
	}
	if r[hbFricative] < r[hbVowel]+15 {
		t.Errorf("fricatives' upper band (%.1f dB) is not well above the vowels' (%.1f dB)", r[hbFricative], r[hbVowel])
	}
}

// meanPower is the mean power of levels in dB.
func meanPower(db []float64) float64 {
	var s float64
	for _, v := range db {
		s += math.Pow(10, v/10)
	}
	return s / float64(len(db))
}

// cloneConversion clones refs and returns the profile and its conversion
// at full similarity.
func cloneConversion(t *testing.T, e *Engine, refs []Reference) (*Profile, *conversion) {
	t.Helper()
	prof, err := e.Clone(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	p := new(Profile)
	if err := p.UnmarshalBinary(prof); err != nil {
		t.Fatal(err)
	}
	return p, newConversion(p, 1, 0)
}
