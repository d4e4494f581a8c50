package voice

import (
	"errors"
	"math"

	"github.com/voxclone/voxclone/internal/audio/prep"
	"github.com/voxclone/voxclone/internal/fftpack"
)

// The speaker's upper band (docs/engine.md, "The speaker's band above
// 8 kHz"). References recorded at 22.05 kHz and above hold the band the
// engine renders from highBandTable; their labelled frames are measured
// the way defaultHighBand was (25 ms Hann windows, the 10 ms analysis
// frames whose neighbours are of their class, power density of each table
// band against 1–4 kHz weighed by the phone's hbOffset, summed per phone
// class) on prep's full-band copy, and each class's row is blended
// toward the default by how many of its frames were seen.
const (
	// minUpperBandRate is the lowest input rate whose band reaches 10 kHz.
	minUpperBandRate = 22050
	// upperBandEdgeHz: the top this close to a reference's Nyquist
	// frequency is its anti-alias filter's roll-off, not the speaker.
	upperBandEdgeHz = 500
	// minUpperBandTop is the least band a reference must hold to count:
	// above it the row continues the default's shape, and beyond 10 kHz
	// that is less than half of the 8–12 kHz band.
	minUpperBandTop = 10000
	// upperBandDropDB: a table band whose long-term level lies further
	// than this below the 1–4 kHz level ends the reference's band (an
	// upsampled narrow-band recording, an encoder's lowpass). Speech
	// over all its frames stays within 25 dB up to 12 kHz.
	upperBandDropDB = 40
	// upperBandRelevance is the frames (10 ms) of a class at which its row
	// is half the speaker's, half the default.
	upperBandRelevance = 100
)

// upperBandAcc sums, per class, the power density of 1–4 kHz and of each
// table band over the labelled frames of wide-band references. A band's
// own 1–4 kHz sum counts only the references that hold it.
type upperBandAcc struct {
	refs []upperBandRef
	fft  map[int]*fftpack.FFT
}

// upperBandRef is one reference's sums per class, kept until result
// knows whether the references as a whole are clean enough.
type upperBandRef struct {
	lo          [hbClasses]float64
	hi          [hbClasses][]float64
	frames      [hbClasses]int
	held        int // table bands the reference holds
	snr, speech float64
}

func newUpperBandAcc() *upperBandAcc {
	return &upperBandAcc{fft: map[int]*fftpack.FFT{}}
}

// add measures one prepared reference: labels name its 10 ms analysis
// frames (nil: none), s maps them onto the input's full band, snr and
// speech are prep's SNR (dB) and speech seconds for it. References below
// minUpperBandRate and ones whose band ends below minUpperBandTop add
// nothing; noisy ones are judged in result.
func (u *upperBandAcc) add(s *prep.Spans, labels []string, snr, speech float64) {
	if u == nil || s == nil || len(labels) == 0 || s.InputRate() < minUpperBandRate {
		return
	}
	rate := s.InputRate()
	win := int(0.025 * float64(rate))
	hop := analysisRate * analysisPeriod / 1000
	// Only the span the labelled frames cover is read (the first 30 s of
	// references, however long they are).
	end := 0
	for i := range labels {
		end = max(end, s.InputAt(int(float64(i)*hop))+win)
	}
	x := s.Denoised(end)
	n := 1
	for n < win {
		n *= 2
	}
	fft := u.fft[n]
	if fft == nil {
		fft = fftpack.NewFFT(n)
		u.fft[n] = fft
	}
	hz := float64(rate) / float64(n)
	rows := len(defaultHighBand[0])
	window := make([]float64, win)
	for k := range window {
		window[k] = 0.5 - 0.5*math.Cos(2*math.Pi*(float64(k)+0.5)/float64(win))
	}
	// Per class, this reference's sums; the band it holds is known only
	// once all its frames are in.
	var lo [hbClasses]float64
	var hi [hbClasses][]float64
	var frames [hbClasses]int
	ltas := make([]float64, rows)
	var ltasLo float64
	buf := make([]float64, n)
	var coef []complex128
	for i, l := range labels {
		c := s.InputAt(int(float64(i) * hop))
		if c < 0 || c-win/2 < 0 || c-win/2+win > len(x) || !interior(labels, i) {
			continue
		}
		clear(buf)
		for k, w := range window {
			buf[k] = w * float64(x[c-win/2+k])
		}
		coef = fft.Coefficients(coef, buf)
		cl := hbClass(l)
		if hi[cl] == nil {
			hi[cl] = make([]float64, rows)
		}
		var fLo float64
		for k, v := range coef {
			f := float64(k) * hz
			p := real(v)*real(v) + imag(v)*imag(v)
			if f >= 1000 && f < 4000 {
				fLo += p
			}
			if b := int((f - highBandFrom) / highBandStep); f >= highBandFrom && b < rows {
				hi[cl][b] += p / highBandStep * hz
				ltas[b] += p / highBandStep * hz
			}
		}
		fLo *= hz / 3000
		// The row is the class's, its phones' offsets taken out.
		lo[cl] += fLo * math.Pow(10, hbOffset(l)/10)
		ltasLo += fLo
		frames[cl]++
	}
	held := 0
	for b := range rows {
		top := highBandFrom + float64(b+1)*highBandStep
		if top > float64(rate)/2-upperBandEdgeHz || ltas[b] < ltasLo*math.Pow(10, -upperBandDropDB/10) {
			break
		}
		held = b + 1
	}
	if highBandFrom+float64(held)*highBandStep < minUpperBandTop {
		return
	}
	u.refs = append(u.refs, upperBandRef{lo: lo, hi: hi, frames: frames, held: held, snr: snr, speech: speech})
}

// sums adds up the references that teach the band: per class and band
// the 1–4 kHz and band densities of the references that hold the band,
// and the frames. Above 8 kHz the speech of a noisy recording is mostly
// its noise, but one clip's SNR is a poor guide: prep reads the noise
// from pauses, and a clip of a few seconds with under half a second of
// them has its weakest speech taken for the noise floor (ljspeech_LJ's
// clips, one studio, read 17.7–45.8 dB). When the speech-weighted SNR
// over the references clears noisySNR they all count; otherwise only
// the ones that clear it alone.
func (u *upperBandAcc) sums() (lo, hi [hbClasses][]float64, frames [hbClasses]int) {
	var snr, speech float64
	for _, r := range u.refs {
		snr += r.snr * r.speech
		speech += r.speech
	}
	clean := speech > 0 && snr/speech >= noisySNR
	rows := len(defaultHighBand[0])
	for c := range hbClasses {
		lo[c], hi[c] = make([]float64, rows), make([]float64, rows)
	}
	for _, r := range u.refs {
		if !clean && r.snr < noisySNR {
			continue
		}
		for c := range hbClasses {
			if r.frames[c] == 0 {
				continue
			}
			frames[c] += r.frames[c]
			for b := range r.held {
				lo[c][b] += r.lo[c]
				hi[c][b] += r.hi[c][b]
			}
		}
	}
	return lo, hi, frames
}

// result is the speaker's table, or nil when no wide-band frames were
// seen. Each class's measured row (continued above the highest band any
// reference held by the default's steps) is blended with the default's
// row, in dB, with weight n/(n+upperBandRelevance) for its n frames.
func (u *upperBandAcc) result() *UpperBand {
	if u == nil {
		return nil
	}
	lo, hi, frames := u.sums()
	total := 0
	for _, n := range frames {
		total += n
	}
	if total == 0 {
		return nil
	}
	ub := &UpperBand{Seconds: float32(float64(total) * analysisPeriod / 1000)}
	for c := range hbClasses {
		def := defaultHighBand[c]
		row := make([]float32, len(def))
		w := float64(frames[c]) / float64(frames[c]+upperBandRelevance)
		var own float64
		for b := range def {
			switch {
			case lo[c][b] > 0 && hi[c][b] > 0:
				own = 10 * math.Log10(hi[c][b]/lo[c][b])
			case b > 0:
				own += def[b] - def[b-1]
			default:
				own = def[b]
			}
			row[b] = float32(w*own + (1-w)*def[b])
		}
		ub.Levels[c] = row
	}
	return ub
}

// table is the upper band the conversion renders: the profile's own, or
// the default.
func (ub *UpperBand) table() *highBandTable {
	if ub == nil {
		return &defaultHighBand
	}
	var t highBandTable
	for c := range hbClasses {
		t[c] = f64s(ub.Levels[c])
	}
	return &t
}

// HBND section layout (docs/engine.md): layout version u8, classes u8,
// bands u8, seconds f32, then classes × bands f32 levels (dB). Version 2's
// rows are measured on frames inside their class, the fricative row an
// alveolar sibilant's (hbOffset); version 1's, over all frames and
// fricatives alike, would render each fricative 5–20 dB off, so a
// profile carrying one speaks with the default table, as an unknown
// layout does.
const (
	upperBandVersion = 2
	maxUpperBandAbs  = 80 // dB; speech's rows stay within −40…+10
)

func (ub *UpperBand) write(w *pwriter) {
	bands := len(defaultHighBand[0])
	w.b = append(w.b, upperBandVersion, hbClasses, byte(bands))
	w.f32(ub.Seconds)
	for _, row := range ub.Levels {
		if len(row) != bands {
			w.err = errors.New("voice: upper band row length")
			return
		}
		w.f32(row...)
	}
}

// readUpperBand decodes an HBND section. A layout version this reader
// does not know is ignored (nil: the default table), as POOL's is; a known
// layout with other dimensions or values out of range is damage.
func readUpperBand(r *preader) (*UpperBand, error) {
	h := r.take(3)
	if h == nil {
		return nil, errShort
	}
	if h[0] != upperBandVersion {
		return nil, nil
	}
	bands := len(defaultHighBand[0])
	if int(h[1]) != hbClasses || int(h[2]) != bands {
		return nil, errors.New("upper band layout")
	}
	ub := &UpperBand{}
	r.f32(&ub.Seconds)
	if r.err != nil || 4*hbClasses*bands > len(r.b) {
		return nil, errShort
	}
	if s := float64(ub.Seconds); math.IsNaN(s) || s < 0 || s > 1e6 {
		return nil, errors.New("upper band seconds")
	}
	for c := range ub.Levels {
		ub.Levels[c] = make([]float32, bands)
		for b := range bands {
			r.f32(&ub.Levels[c][b])
			if v := float64(ub.Levels[c][b]); math.IsNaN(v) || math.Abs(v) > maxUpperBandAbs {
				return nil, errors.New("upper band level out of range")
			}
		}
	}
	return ub, nil
}

// interior tells whether labels[i]'s neighbours are of its class: its
// 25 ms window then sees its own class and not the next phone.
func interior(labels []string, i int) bool {
	c := hbClass(labels[i])
	return i > 0 && i+1 < len(labels) && hbClass(labels[i-1]) == c && hbClass(labels[i+1]) == c
}
