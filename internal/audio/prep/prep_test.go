package prep

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// speaker concatenates a speaker's first n files, like a user uploading a
// longer recording.
func speaker(t testing.TB, name string, n int) *audio.PCM {
	t.Helper()
	var out *audio.PCM
	for _, f := range speechtest.WAVs(t, name)[:n] {
		p := speechtest.Load(t, f)
		if out == nil {
			out = p
			continue
		}
		out.Samples = append(out.Samples, p.Samples...)
	}
	return out
}

// synthetic is at least sec seconds of a flite voice reading, at rate Hz,
// for tests of processing that any speech exercises.
func synthetic(t testing.TB, voice string, sec float64, rate int) *audio.PCM {
	t.Helper()
	return speechtest.SyntheticAt(t, voice, sec, rate)
}

func addNoise(p *audio.PCM, snrDB float64, seed uint64) *audio.PCM {
	r := rand.New(rand.NewPCG(seed, 1))
	var pw float64
	for _, v := range p.Samples {
		pw += float64(v) * float64(v)
	}
	pw /= float64(len(p.Samples))
	sigma := math.Sqrt(pw / math.Pow(10, snrDB/10))
	out := &audio.PCM{Rate: p.Rate, Channels: p.Channels, Samples: slices.Clone(p.Samples)}
	for i := range out.Samples {
		out.Samples[i] += float32(r.NormFloat64() * sigma)
	}
	return out
}

func hasWarning(r Report, prefix string) bool {
	for _, w := range r.Warnings {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

func TestAnalyzeCleanSpeech(t *testing.T) {
	for _, sp := range []string{"librispeech_1688", "vctk_p226", "ljspeech_LJ"} {
		p := speaker(t, sp, 6)
		r := Analyze(p)
		t.Logf("%s: %+v", sp, r)
		if r.SpeechSeconds < 0.5*r.DurationSeconds || r.SpeechSeconds > r.DurationSeconds {
			t.Errorf("%s: speech %.1f s of %.1f s", sp, r.SpeechSeconds, r.DurationSeconds)
		}
		if r.SNRDB < 25 {
			t.Errorf("%s: clean read speech has SNR %.1f dB", sp, r.SNRDB)
		}
		if r.ClippingRatio > 0.0005 || hasWarning(r, "clipped") || hasWarning(r, "too noisy") {
			t.Errorf("%s: unexpected warnings %q (clipping %.5f)", sp, r.Warnings, r.ClippingRatio)
		}
		if r.Score < 60 {
			t.Errorf("%s: score %d for clean speech", sp, r.Score)
		}
	}
}

func TestAnalyzeDegradations(t *testing.T) {
	clean := addNoise(synthetic(t, "slt", 25, 16000), 45, 3)
	base := Analyze(clean)

	noisy := Analyze(addNoise(clean, 5, 1))
	if noisy.SNRDB > base.SNRDB-10 || !hasWarning(noisy, "too noisy") || noisy.Score >= base.Score {
		t.Errorf("noise: SNR %.1f → %.1f, score %d → %d, warnings %q", base.SNRDB, noisy.SNRDB, base.Score, noisy.Score, noisy.Warnings)
	}

	hot := loudness.Gain(clean, 20)
	for i, v := range hot.Samples {
		hot.Samples[i] = max(-1, min(1, v))
	}
	clipped := Analyze(hot)
	if clipped.ClippingRatio < 0.001 || !hasWarning(clipped, "clipped") || clipped.Score >= base.Score {
		t.Errorf("clipping: ratio %.4f, score %d → %d, warnings %q", clipped.ClippingRatio, base.Score, clipped.Score, clipped.Warnings)
	}

	padded := &audio.PCM{Rate: clean.Rate, Channels: 1}
	padded.Samples = append(make([]float32, 10*clean.Rate), clean.Samples...)
	padded.Samples = append(padded.Samples, make([]float32, 10*clean.Rate)...)
	pr := Analyze(padded)
	if math.Abs(pr.SpeechSeconds-base.SpeechSeconds) > 1 || pr.DurationSeconds < base.DurationSeconds+19 {
		t.Errorf("silence: speech %.1f → %.1f s, duration %.1f → %.1f", base.SpeechSeconds, pr.SpeechSeconds, base.DurationSeconds, pr.DurationSeconds)
	}

	short := &audio.PCM{Rate: clean.Rate, Channels: 1, Samples: clean.Samples[:5*clean.Rate]}
	sr := Analyze(short)
	if !hasWarning(sr, "too little speech") || sr.Score >= base.Score {
		t.Errorf("short: score %d, warnings %q", sr.Score, sr.Warnings)
	}

	quiet := Analyze(loudness.Gain(clean, -35))
	if !hasWarning(quiet, "too quiet") {
		t.Errorf("quiet: %.1f LUFS, warnings %q", quiet.LoudnessLUFS, quiet.Warnings)
	}
}

// withPauses is clean speech with 3 s of silence at each end and 2 s in
// the middle.
func withPauses(clean *audio.PCM) *audio.PCM {
	rate := clean.Rate
	in := &audio.PCM{Rate: rate, Channels: 1}
	in.Samples = append(make([]float32, 3*rate), clean.Samples[:len(clean.Samples)/2]...)
	in.Samples = append(in.Samples, make([]float32, 2*rate)...)
	in.Samples = append(in.Samples, clean.Samples[len(clean.Samples)/2:]...)
	in.Samples = append(in.Samples, make([]float32, 3*rate)...)
	return in
}

func TestPrepare(t *testing.T) {
	// Two seconds of silence inside and 3 s at the ends must shrink.
	in := withPauses(synthetic(t, "rms", 20, 48000))
	in = addNoise(in, 45, 2)
	before := slices.Clone(in.Samples)
	for _, opt := range []Options{DefaultOptions(), {Rate: 24000, TargetLUFS: -20}} {
		out, r := Prepare(in, opt)
		if !slices.Equal(before, in.Samples) {
			t.Fatal("Prepare modified its input")
		}
		if out.Rate != opt.Rate || out.Channels != 1 {
			t.Fatalf("output %d Hz %d ch, want %d Hz mono", out.Rate, out.Channels, opt.Rate)
		}
		if got := out.Seconds(); got > r.DurationSeconds-7 || got < r.SpeechSeconds*0.9 {
			t.Errorf("output %.1f s from %.1f s input with %.1f s speech", got, r.DurationSeconds, r.SpeechSeconds)
		}
		if l := loudness.Integrated(out); math.Abs(l-opt.TargetLUFS) > 0.5 {
			t.Errorf("output loudness %.2f LUFS, want %.0f", l, opt.TargetLUFS)
		}
		if tp := loudness.TruePeak(out); tp > -1 {
			t.Errorf("output true peak %.2f dBTP", tp)
		}
	}
}

func TestDownmixAntiphase(t *testing.T) {
	mono := synthetic(t, "kal16", 3, 16000)
	st := &audio.PCM{Rate: mono.Rate, Channels: 2, Samples: make([]float32, 2*mono.Frames())}
	for i, v := range mono.Samples {
		st.Samples[2*i], st.Samples[2*i+1] = 0.5*v, -v
	}
	d := Downmix(st)
	if c := d.Samples[1000] + mono.Samples[1000]; math.Abs(float64(c)) > 1e-6 {
		t.Errorf("anti-phase downmix should keep the louder (right) channel")
	}
	for i, v := range mono.Samples {
		st.Samples[2*i], st.Samples[2*i+1] = v, 0.5*v
	}
	if got, want := Downmix(st).Samples[1000], 0.75*mono.Samples[1000]; math.Abs(float64(got-want)) > 1e-6 {
		t.Errorf("in-phase downmix = %v, want the average %v", got, want)
	}
}

func TestEmpty(t *testing.T) {
	r := Analyze(&audio.PCM{Rate: 16000, Channels: 1})
	if r.Warnings == nil || r.Score > 10 {
		t.Errorf("empty: %+v", r)
	}
	silent := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 16000*5)}
	out, r := Prepare(silent, Options{})
	if r.SpeechSeconds != 0 || !hasWarning(r, "no speech") || out.Rate != 16000 {
		t.Errorf("silence: %+v", r)
	}
}

func concat(ps ...*audio.PCM) *audio.PCM {
	out := &audio.PCM{Rate: 16000, Channels: 1}
	for _, p := range ps {
		out.Samples = append(out.Samples, dsp.Resample(p, 16000).Samples...)
	}
	return out
}

func TestAnalyzeSeveralVoicesAndMusic(t *testing.T) {
	const warn = "music or several voices"
	man, woman := speaker(t, "cmuarctic_aew", 3), speaker(t, "ljspeech_LJ", 3)
	for _, p := range []*audio.PCM{man, woman, speaker(t, "librispeech_3080", 6), speaker(t, "vctk_p226", 6)} {
		if r := Analyze(p); hasWarning(r, warn) {
			t.Errorf("one speaker flagged: %q", r.Warnings)
		}
	}
	if r := Analyze(concat(man, woman)); !hasWarning(r, warn) {
		t.Errorf("a man and a woman not flagged: %q", r.Warnings)
	}
	clean := speaker(t, "vctk_p226", 6)
	base := Analyze(clean)
	r := Analyze(withMusic(concat(clean), -25))
	if !hasWarning(r, warn) || r.Score >= base.Score {
		t.Errorf("music bed: score %d → %d, warnings %q", base.Score, r.Score, r.Warnings)
	}
}

func TestPooledScore(t *testing.T) {
	files := speechtest.WAVs(t, "vctk_p225")
	var reps []Report
	for _, f := range files[:4] {
		reps = append(reps, Analyze(speechtest.Load(t, f)))
	}
	one := reps[0]
	if got := PooledScore(reps[:1]); got != one.Score {
		t.Errorf("one sample: pooled %d, own score %d", got, one.Score)
	}
	var speech float64
	for _, r := range reps {
		speech += r.SpeechSeconds
		if r.SpeechSeconds >= MinSpeechSeconds {
			t.Fatalf("test needs short clips; %.1f s", r.SpeechSeconds)
		}
	}
	pooled := PooledScore(reps)
	maxOwn := 0
	for _, r := range reps {
		maxOwn = max(maxOwn, r.Score)
	}
	// More speech in all must score higher than any short clip alone, but a
	// noisy clip still pulls it down.
	if pooled <= maxOwn {
		t.Errorf("pooled %d over %.1f s of speech, not above the best clip's %d", pooled, speech, maxOwn)
	}
	noisy := reps[0]
	noisy.Score /= 3
	if got := PooledScore(append([]Report{noisy}, reps[1:]...)); got >= pooled {
		t.Errorf("a poor clip did not lower the pooled score: %d >= %d", got, pooled)
	}
	if got := PooledScore([]Report{{}}); got != 0 {
		t.Errorf("no speech: %d", got)
	}
}
