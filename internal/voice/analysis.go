package voice

import (
	"context"
	"math"

	"github.com/voxclone/voxclone/internal/voice/mcep"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// Analysis settings shared by enrolment and base-voice measurement; both
// sides of every statistic must be measured the same way.
const (
	analysisRate   = 16000
	analysisPeriod = 10.0 // ms
	mcepOrder      = 24
	mcepAlpha      = 0.42
	ltasBands      = 64
	// silenceDB drops frames this far below the utterance's loud frames
	// from the spectral statistics, so pauses do not count as unvoiced speech.
	silenceDB = 40.0
	// noisySNR is the SNR (prep's estimate, dB) below which a reference
	// counts as noisy; prep itself denoises below 25 dB.
	noisySNR  = 30.0
	nucleusDB = 10.0
	// floorMarginDB keeps frames near the noise floor out of the speech
	// statistics; in noisy recordings they are noise, not unvoiced speech.
	floorMarginDB  = 6.0
	minNoiseFrames = 10
	subtractFloor  = 0.01 // −20 dB: spectral subtraction never removes more
	// denoisedFloor is subtractFloor for references prep has already
	// denoised: its Wiener gain has taken up to 15 dB out of every bin where
	// the speech was weak, and what it left there is mostly speech.
	// Subtracting the residual down to −20 dB as well cut the voiced mean
	// 9–15 dB from 1 to 8 kHz and cost words (docs/engine.md, "Noisy
	// references").
	denoisedFloor = 0.1 // −10 dB
	// apStride analyses aperiodicity on every apStride-th voiced frame: the
	// profile keeps only its mean (the pool marks the other frames
	// apUnknown), and D4C is the costliest analysis per frame. Every 8th
	// frame still leaves hundreds for a minute of speech; against every 4th
	// it saved ≈ 0.09 CPU-s per 60 s clone at the same eval figures.
	apStride = 8
	// statStride is the frame hop, in analysis periods, for audio beyond
	// the labelling budget: those frames feed only the profile's means,
	// variances and quantiles, never the pool, and a 40 ms hop still
	// samples most sounds (a vowel lasts 60–200 ms) more than once; a
	// minute past the budget still gives 1,500 frames. Each such frame
	// counts statStride times, so labelled and unlabelled audio keep their
	// weights per second.
	statStride = 4
	// pitchStride is DIO's hop there, in analysis periods (20 ms), finer
	// than statStride: DIO's post-processing counts in frames (its voicing
	// edge trim, vrm in fixF0Contour, drops a frame at each edge at 10 and
	// 20 ms but none at 30 ms or more), so a 40 ms hop would change where
	// voicing starts and stops, not just how often it is sampled. The
	// envelopes, mel-cepstra, formants and aperiodicity run on every
	// statStride/pitchStride-th of its frames.
	pitchStride = 2
	// pitchSpeed is DIO's decimation ratio at enrolment: candidates on a
	// 4 kHz copy, then StoneMask refines them on the 16 kHz signal, as at
	// synthesis. Against 8 kHz (Speed 2) it costs ≈ 40% less, and on five
	// real speakers F0 moved by at most 0.003 semitones in 95% of the
	// frames both call voiced, and 0.7–2.5% of frames changed voicing
	// (docs/performance.md, "Enrolment speed (2026-12-06, evening)").
	pitchSpeed = 4
)

// speakerStats are a speaker's measurements: the real speaker at
// enrolment, or a base voice reading the calibration text.
type speakerStats struct {
	LogF0        []float64 `json:"-"` // the frames the pitch statistics describe (pitchSet)
	LogF0Median  float64   `json:"logF0Median"`
	LogF0SD      float64   `json:"logF0SD"`
	VoicedMean   []float64 `json:"voicedMean"`
	VoicedStd    []float64 `json:"voicedStd"`
	UnvoicedMean []float64 `json:"unvoicedMean"`
	UnvoicedStd  []float64 `json:"unvoicedStd"`
	GV           []float64 `json:"gv"`
	LTAS         []float64 `json:"ltas"`
	Formants     []float64 `json:"formants"`
	Aperiodicity []float64 `json:"aperiodicity"`
	VoicedRatio  float64   `json:"voicedRatio"`
	// Phones holds mean mel-cepstra per phone and class (base voices
	// only, labelled by their exact phone times).
	Phones *phoneTable `json:"phoneMeans,omitempty"`
	// Activity predicts speaking time from phone durations (base voices
	// only, rate.go).
	Activity *phoneActivity `json:"activity,omitempty"`
}

// statsAcc accumulates speakerStats over utterances.
type statsAcc struct {
	conv            *mcep.Converter
	f0c             world.F0Cache // DIO's plans, kept across chunks
	logF0           []float64     // voiced frames
	strongF0        []float64     // clearly periodic voiced frames (pitch.go)
	v, u            moments
	gv              []float64
	gvN             int
	ltas            []float64
	ltasN           float64
	ltasBand        []int // band of each envelope bin (addLTAS)
	formants        [4][]float64
	ap              []float64
	apN             int
	frames, voicedN int
	// pool collects labelled frames (nil: no pool); labels and aligned
	// describe the chunk being analysed.
	pool    *poolAcc
	labels  []string
	aligned bool
	// rt60 is the references' reverberation time when they read
	// reverberant (reverb.go), else 0: the envelopes are then analysed
	// as they are.
	rt60 float64
	// floor is how much of each bin the noise subtraction keeps at least
	// (subtractFloor, or denoisedFloor after prep's noise reduction).
	floor float64
	// lossy holds each frame's envelope above its codec floor
	// (holdHoles): references may have been through a lossy codec, the
	// base voices never were.
	lossy bool
}

func newStatsAcc() *statsAcc {
	bins := world.FFTSizeFor(analysisRate, 0)/2 + 1
	return &statsAcc{
		conv: mcep.NewConverter(bins, mcepOrder, mcepAlpha),
		v:    newMoments(mcepOrder + 1), u: newMoments(mcepOrder + 1),
		gv: make([]float64, mcepOrder+1), ltas: make([]float64, ltasBands),
		ap:    make([]float64, world.NumBands(analysisRate)),
		floor: subtractFloor,
	}
}

// chunkSeconds bounds how much audio is analysed at once: the vocoder's
// per-frame rows cost ≈ 0.8 MB per second of audio per stream, so a
// 5-minute reference in one piece would need half a gigabyte.
const chunkSeconds = 20

// addLong analyses a reference of any length in chunks of at most
// chunkSeconds (a short tail joins the previous chunk), checking ctx
// between them.
// labels (nil for none) holds a phone per 10 ms frame of x for the pool;
// a chunk ends where they end, so the audio past them can be analysed at
// statStride.
func (a *statsAcc) addLong(ctx context.Context, x []float64, noisy bool, labels []string, aligned bool) error {
	n := chunkSeconds * analysisRate
	hop := int(analysisRate * analysisPeriod / 1000)
	lab := min(len(x), len(labels)*hop)
	a.aligned = aligned
	for s := 0; s < len(x); {
		end := min(s+n, len(x))
		if len(x)-end < n/10 {
			end = len(x)
		}
		if s < lab && lab < end && lab-s >= n/10 && len(x)-lab >= n/10 {
			end = lab
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		a.labels = labels[min(s/hop, len(labels)):]
		stride := 1
		if s >= lab {
			stride = statStride
		}
		if err := a.addStrided(x[s:end], noisy, stride); err != nil {
			return err
		}
		s = end
	}
	return nil
}

// add analyses one utterance at analysisRate, every frame.
func (a *statsAcc) add(x []float64, noisy bool) error { return a.addStrided(x, noisy, 1) }

// addStrided analyses one utterance at analysisRate on frames stride
// analysis periods apart, each counting stride times. For noisy
// recordings, frames near the noise floor are left out and the noise
// envelope is subtracted from the rest.
func (a *statsAcc) addStrided(x []float64, noisy bool, stride int) error {
	period := analysisPeriod * float64(stride)
	f0, err := a.pitch(x, stride)
	if err != nil {
		return err
	}
	env, cep, err := world.EnvelopeCepstra(x, analysisRate, f0, period, world.EnvelopeOptions{})
	if err != nil {
		return err
	}
	if len(env) == 0 {
		return nil
	}
	var late [][]float64
	if a.rt60 > 0 {
		late = dereverb(env, period, a.rt60, envOver, envFloor, world.NumBands(analysisRate))
	}
	loud, nucleus, quiet, noise := frameClasses(env, noisy)
	periodic := periodicFrames(x, f0, analysisRate, period)
	a.pool.startChunk()
	fa := newFormantAnalyzer(x)
	if noise != nil {
		fa.setNoise(quiet, period)
	}
	utt := newMoments(mcepOrder + 1)
	mc := make([]float64, mcepOrder+1)
	clean := make([]float64, len(env[0]))
	held := make([]float64, len(env[0]))
	w := float64(stride)
	treated := noise != nil || a.rt60 > 0
	for i, e := range env {
		if !loud[i] {
			continue
		}
		e = denoised(clean, e, noise, a.floor)
		changed := treated
		if a.lossy && holdHoles(held, e) {
			e, changed = held, true
		}
		a.frames += stride
		a.addLTAS(e, w)
		a.melCepstrum(mc, e, cep[i], changed)
		if stride == 1 && i < len(a.labels) {
			a.pool.add(i, a.labels[i], mc, f0[i], a.aligned)
		}
		if f0[i] <= 0 {
			a.u.add(mc, w)
			continue
		}
		a.voicedN += stride
		for range stride {
			a.logF0 = append(a.logF0, math.Log(f0[i]))
			if periodic[i] {
				a.strongF0 = append(a.strongF0, math.Log(f0[i]))
			}
		}
		a.v.add(mc, w)
		utt.add(mc, w)
		if nucleus[i] {
			fs := fa.at(float64(i) * period / 1000)
			for range stride {
				a.addFormants(fs)
			}
		}
	}
	if utt.n >= 20 {
		for m, v := range utt.variance() {
			a.gv[m] += v
		}
		a.gvN++
	}
	return a.addAperiodicity(x, f0, loud, len(env[0]), stride, late)
}

// pitch returns F0 on frames stride analysis periods apart, from DIO run
// at a hop of at most pitchStride periods (see pitchStride).
func (a *statsAcc) pitch(x []float64, stride int) ([]float64, error) {
	hop := min(stride, pitchStride)
	f0, err := a.f0c.F0(x, analysisRate, world.F0Options{FramePeriod: analysisPeriod * float64(hop), Speed: pitchSpeed})
	if err != nil || hop == stride {
		return f0, err
	}
	every := stride / hop
	out := make([]float64, 0, (len(f0)+every-1)/every)
	for i := 0; i < len(f0); i += every {
		out = append(out, f0[i])
	}
	return out, nil
}

// melCepstrum writes frame env's mel-cepstrum to mc from CheapTrick's own
// cepstrum of it, unless env was changed (noise or reverberation
// subtracted, codec holes held: fromEnv). The log of every bin and the transform it spares
// were ≈ 0.035 of the 0.05 CPU-s a 60 s clone spent in FromEnvelope
// (pprof); the float64 results differ from FromEnvelope's only in
// rounding, and no byte of the goldens' profiles moved.
func (a *statsAcc) melCepstrum(mc, env, cep []float64, fromEnv bool) {
	if fromEnv {
		a.conv.FromEnvelope(mc, env)
		return
	}
	a.conv.FromCepstrum(mc, cep)
}

// addAperiodicity runs D4C on a subset of the loud voiced frames, as many
// per second whatever the stride (the profile keeps only their mean).
// late (nil when dry) holds each frame's late-reverberation share per band.
func (a *statsAcc) addAperiodicity(x, f0 []float64, loud []bool, bins, stride int, late [][]float64) error {
	every := max(1, apStride/stride)
	sub := make([]float64, len(f0))
	k := 0
	for i, f := range f0 {
		if f > 0 && loud[i] {
			if k%every == 0 {
				sub[i] = f
			}
			k++
		}
	}
	ap, err := world.Aperiodicity(x, analysisRate, sub, analysisPeriod*float64(stride), 2*(bins-1), world.AperiodicityOptions{})
	if err != nil {
		return err
	}
	for i, row := range world.CodeAperiodicity(ap, analysisRate) {
		if sub[i] <= 0 {
			continue
		}
		if late != nil {
			dryAperiodicity(row, late[i])
		}
		a.pool.setAp(i, row)
		for b, v := range row {
			a.ap[b] += v
		}
		a.apN++
	}
	return nil
}

// addLTAS adds a frame's power envelope on mel-spaced bands, weighted w.
func (a *statsAcc) addLTAS(env []float64, w float64) {
	// The band of each bin is fixed; taking its logarithm per frame cost
	// ≈ 0.04 CPU-s of a 60 s clone.
	if len(a.ltasBand) != len(env) {
		a.ltasBand = ltasBandOf(len(env))
	}
	for j, p := range env {
		a.ltas[a.ltasBand[j]] += w * p
	}
	a.ltasN += w
}

// ltasBandOf returns the LTAS band of each of bins envelope bins.
func ltasBandOf(bins int) []int {
	nyqMel := hzToMel(analysisRate / 2)
	band := make([]int, bins)
	for j := range band {
		f := float64(j) * analysisRate / 2 / float64(bins-1)
		band[j] = min(ltasBands-1, int(hzToMel(f)/nyqMel*ltasBands))
	}
	return band
}

func (a *statsAcc) addFormants(fs [4]float64) {
	for k, f := range fs {
		if f > 0 {
			a.formants[k] = append(a.formants[k], f)
		}
	}
}

// finish turns the sums into statistics.
func (a *statsAcc) finish() *speakerStats {
	s := &speakerStats{LogF0: a.pitchSet()}
	s.LogF0Median, s.LogF0SD = robustStats(s.LogF0)
	s.VoicedMean, s.VoicedStd = a.v.mean(), a.v.std()
	s.UnvoicedMean, s.UnvoicedStd = a.u.mean(), a.u.std()
	s.GV = scaled(a.gv, 1/math.Max(1, float64(a.gvN)))
	s.LTAS = make([]float64, ltasBands)
	for b, p := range a.ltas {
		s.LTAS[b] = 10 * math.Log10(math.Max(p/math.Max(1, a.ltasN), 1e-20))
	}
	s.Formants = make([]float64, 4)
	for k, v := range a.formants {
		s.Formants[k] = quantile(v, 0.5)
	}
	s.Aperiodicity = scaled(a.ap, 1/math.Max(1, float64(a.apN)))
	s.VoicedRatio = float64(a.voicedN) / math.Max(1, float64(a.frames))
	return s
}

// pitchSet is the log-F0 of the frames the pitch statistics describe: the
// clearly periodic ones, or every voiced frame when too few are.
func (a *statsAcc) pitchSet() []float64 {
	if len(a.strongF0) < minPeriodicFrames {
		return a.logF0
	}
	return a.strongF0
}

// frameClasses splits frames by power. Speech frames lie within silenceDB
// of the 95th-percentile frame; nuclei lie within nucleusDB of it (vowel
// centres, where formants are clearest). In noisy recordings speech frames
// must also be floorMarginDB above the 5th-percentile frame (the noise
// floor), and frames within floorMarginDB/2 of the floor estimate the noise
// envelope (nil when clean or with fewer than minNoiseFrames). In clean
// recordings the quietest frames are weak speech, not noise, and
// subtracting them cost 0.5–0.7 dB of held-out MCD.
func frameClasses(env [][]float64, noisy bool) (loud, nucleus, quiet []bool, noise []float64) {
	pw := make([]float64, len(env))
	for i, e := range env {
		for _, p := range e {
			pw[i] += p
		}
	}
	sorted := append([]float64(nil), pw...)
	top, floor := quantile(sorted, 0.95), quantile(sorted, 0.05)
	thr := top * math.Pow(10, -silenceDB/10)
	if noisy {
		thr = math.Max(thr, floor*math.Pow(10, floorMarginDB/10))
	}
	nthr := top * math.Pow(10, -nucleusDB/10)
	qthr := floor * math.Pow(10, floorMarginDB/20)
	loud, nucleus, quiet = make([]bool, len(env)), make([]bool, len(env)), make([]bool, len(env))
	noise = make([]float64, len(env[0]))
	n := 0
	for i, p := range pw {
		loud[i] = p > thr && p > 0
		nucleus[i] = p > nthr && p > 0
		if p <= qthr {
			quiet[i] = true
			for j, v := range env[i] {
				noise[j] += v
			}
			n++
		}
	}
	if !noisy || n < minNoiseFrames {
		return loud, nucleus, quiet, nil
	}
	for j := range noise {
		noise[j] /= float64(n)
	}
	return loud, nucleus, quiet, noise
}

// denoised subtracts the noise envelope from a frame's power envelope,
// keeping at least floor of each bin, into dst.
func denoised(dst, env, noise []float64, floor float64) []float64 {
	if noise == nil {
		return env
	}
	for j, v := range env {
		dst[j] = math.Max(v-2.0*noise[j], v*floor)
	}
	return dst
}

func hzToMel(f float64) float64 { return 1127 * math.Log(1+f/700) }

func scaled(v []float64, k float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * k
	}
	return out
}

// moments accumulates per-dimension means and variances.
type moments struct {
	n       float64 // total weight
	sum, sq []float64
}

func newMoments(d int) moments { return moments{sum: make([]float64, d), sq: make([]float64, d)} }

// add adds x with weight w (a frame standing for w frames).
func (m *moments) add(x []float64, w float64) {
	m.n += w
	for i, v := range x {
		m.sum[i] += w * v
		m.sq[i] += w * v * v
	}
}

func (m *moments) mean() []float64 { return scaled(m.sum, 1/math.Max(1, m.n)) }

func (m *moments) variance() []float64 {
	out := m.mean()
	for i, mu := range out {
		out[i] = math.Max(0, m.sq[i]/math.Max(1, m.n)-mu*mu)
	}
	return out
}

func (m *moments) std() []float64 {
	v := m.variance()
	for i := range v {
		v[i] = math.Sqrt(v[i])
	}
	return v
}
