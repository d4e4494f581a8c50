package voice

import (
	"context"
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/audio/prep"
)

// paramsHash names the analysis settings of this engine version; it changes
// when a change makes old profiles measure something else.
// 4: phone-labelled frame pool; 5: pitch statistics over periodic frames
// (allVoicedPitch names the versions before); 6: the speaker's band above
// 8 kHz from wide-band references (HBND; older profiles keep the default);
// 7: references prep denoised lose at most 10 dB of a bin to the noise
// subtraction (denoisedFloor), not 20; 8: each reference frame's
// envelope is held at most codecFloorDB under its 1–3 kHz level
// (holdHoles), so a lossy codec's spectral holes do not pull the means;
// 9: formants of noisy references from autocorrelations less the noise's
// (formantAnalyzer.setNoise).
const paramsHash = 0x5643_0009

// buildProfile cleans the references and measures the speaker.
func (e *Engine) buildProfile(ctx context.Context, refs []Reference) (*Profile, error) {
	acc := newStatsAcc()
	acc.pool = newPoolAcc()
	acc.lossy = true
	upper := newUpperBandAcc()
	budget := labelSeconds
	var rates []rateSample
	var speech, snr float64
	var reports []prep.Report
	preps, err := prepareAll(ctx, refs)
	if err != nil {
		return nil, err
	}
	if rt := reverbTime(preps.decays); rt >= reverberantRT60 {
		acc.rt60 = rt
	}
	for i, r := range preps.refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x := toFloat64(r.x)
		preps.refs[i].x = nil // converted: free it
		// SNR is a speech-weighted mean over the references; quality is
		// scored on the pooled speech, so short clips are not each
		// penalised for being short.
		speech += r.rep.SpeechSeconds
		reports = append(reports, r.rep)
		snr += r.rep.SNRDB * r.rep.SpeechSeconds
		if speakable(r.script) {
			rates = append(rates, rateSample{r.script, speakingTime(x, analysisRate, acc.rt60)})
		}
		noisy := r.rep.SNRDB < noisySNR
		acc.floor = subtractFloor
		if r.spans.NoiseReduced() {
			acc.floor = denoisedFloor
		}
		labels, err := acc.addReference(ctx, x, r.script, noisy, &budget)
		if err != nil {
			return nil, fmt.Errorf("voice: reference %d: %w", r.n, err)
		}
		upper.add(r.spans, labels, r.rep.SNRDB, r.rep.SpeechSeconds)
	}
	if float64(acc.voicedN)*analysisPeriod/1000 < minVoicedSeconds {
		return nil, ErrNoSpeech
	}
	st := acc.finish()
	bs, err := bases()
	if err != nil {
		return nil, err
	}
	p := &Profile{ParamsHash: paramsHash, SpeechSeconds: float32(speech),
		Quality: float32(prep.PooledScore(reports)), SNR: float32(snr / max(speech, 1e-9))}
	p.Prosody = prosodyOf(st)
	p.Spectrum = spectrumOf(st)
	p.Source = Source{Aperiodicity: f32s(st.Aperiodicity)}
	p.Base = fitBase(st, bs)
	rr, err := fitRate(ctx, p.Base.Voice, bs[p.Base.Voice].Activity, rates)
	if err != nil {
		return nil, err
	}
	p.Base.RateRatio = float32(rr)
	p.Pool = acc.pool.result()
	p.UpperBand = upper.result()
	return p, nil
}

// preparedRefs are the references cleaned for analysis (prepare), in
// upload order, and the free decays they hold (reverb.go).
type preparedRefs struct {
	refs   []preparedRef
	decays []float64
}

type preparedRef struct {
	n      int // 1-based, in the references given
	x      []float32
	rep    prep.Report
	spans  *prep.Spans
	script string
}

// prepareAll prepares every reference before any is analysed, so the
// room's reverberation time is read from all of them together (a minute
// of speech holds 50–100 usable decays, a short clip a handful), keeping
// prep's float32 samples until each is analysed. References
// without speech are left out; the total decides later.
func prepareAll(ctx context.Context, refs []Reference) (*preparedRefs, error) {
	out := &preparedRefs{}
	for i, r := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.Audio == nil || r.Audio.Frames() == 0 {
			continue
		}
		x, rep, spans, err := prepare(r.Audio)
		if err != nil {
			continue
		}
		out.refs = append(out.refs, preparedRef{i + 1, x, rep, spans, r.Transcript})
		out.decays = append(out.decays, decayTimes(x, analysisRate)...)
	}
	return out, nil
}

// addReference labels a prepared reference (within the labelling budget)
// and analyses it. It returns the labels (nil when none).
func (a *statsAcc) addReference(ctx context.Context, x []float64, transcript string, noisy bool, budget *float64) ([]string, error) {
	labels, aligned, err := labelFrames(ctx, x, transcript, budget)
	if err != nil {
		return nil, err
	}
	return labels, a.addLong(ctx, x, noisy, labels, aligned)
}

func prosodyOf(st *speakerStats) Prosody {
	w := append([]float64(nil), st.LogF0...)
	return Prosody{
		LogF0Median: float32(st.LogF0Median),
		LogF0SD:     float32(st.LogF0SD),
		LogF0P05:    float32(quantile(w, 0.05)),
		LogF0P95:    float32(quantile(w, 0.95)),
		VoicedRatio: float32(st.VoicedRatio),
	}
}

func spectrumOf(st *speakerStats) Spectrum {
	s := Spectrum{
		Alpha:      mcepAlpha,
		VoicedMean: f32s(st.VoicedMean), VoicedStd: f32s(st.VoicedStd),
		UnvoicedMean: f32s(st.UnvoicedMean), UnvoicedStd: f32s(st.UnvoicedStd),
		GV: f32s(st.GV), LTAS: f32s(st.LTAS),
	}
	for k := range s.Formants {
		s.Formants[k] = float32(st.Formants[k])
	}
	return s
}

// chooseBaseVoice picks the base voice whose median F0 is nearest the
// speaker's in log terms: the F0 mapping then moves the least, which is
// what the vocoder tolerates worst.
func chooseBaseVoice(logF0 float64, bs map[string]*speakerStats) string {
	best := ""
	for _, name := range baseVoices {
		d := math.Abs(bs[name].LogF0Median - logF0)
		if best == "" || d < math.Abs(bs[best].LogF0Median-logF0) {
			best = name
		}
	}
	return best
}

func f32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func f64s(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
