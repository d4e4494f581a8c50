package align

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/prep"
	"github.com/voxclone/voxclone/internal/speechtest"
)

type utterance struct {
	name, text string
	pcm        *audio.PCM
}

// transcribed returns the shared recordings that have a transcript, as
// 16 kHz mono, at most perSpeaker of each speaker.
func transcribed(t testing.TB, perSpeaker int) []utterance {
	t.Helper()
	var out []utterance
	for _, sp := range speechtest.Speakers(t) {
		n := 0
		for _, p := range speechtest.WAVs(t, sp) {
			text := speechtest.Transcript(p)
			if text == "" || n == perSpeaker {
				continue
			}
			out = append(out, utterance{sp + "/" + filepath.Base(p), text, load16k(t, p)})
			n++
		}
	}
	if len(out) < 3*perSpeaker {
		t.Fatalf("only %d transcribed recordings found", len(out))
	}
	return out
}

func TestAlignRealSpeech(t *testing.T) {
	var durs []float64
	for _, u := range transcribed(t, 3) {
		segs, err := Align(context.Background(), u.pcm, u.text)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		checkTiling(t, u.name, segs, u.pcm.Seconds())
		checkWordOrder(t, u.name, segs, Words(u.text))
		checkCoverage(t, u.name, segs, u.pcm)
		for _, s := range segs {
			if s.Phone != Silence {
				durs = append(durs, s.End-s.Start)
			}
		}
	}
	slices.Sort(durs)
	inRange := 0
	for _, d := range durs {
		if d >= 0.030-1e-9 && d <= 0.300 {
			inRange++
		}
	}
	frac := float64(inRange) / float64(len(durs))
	t.Logf("%d phones: duration median %.0f ms, 5–95%% %.0f–%.0f ms, %.1f%% within 30–300 ms", len(durs),
		1000*durs[len(durs)/2], 1000*durs[len(durs)/20], 1000*durs[len(durs)*19/20], 100*frac)
	if durs[0] < 0.025 || frac < 0.95 {
		t.Errorf("implausible phone durations: shortest %.0f ms, %.1f%% within 30–300 ms", 1000*durs[0], 100*frac)
	}
}

// TestAlignPrepared aligns audio as the engine receives it: cleaned by
// prep.Prepare, with edges trimmed and long pauses shortened.
func TestAlignPrepared(t *testing.T) {
	for _, u := range transcribed(t, 1) {
		pcm, _ := prep.Prepare(u.pcm, prep.Options{Rate: Rate})
		segs, err := Align(context.Background(), pcm, u.text)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		checkTiling(t, u.name, segs, pcm.Seconds())
		checkWordOrder(t, u.name, segs, Words(u.text))
		checkCoverage(t, u.name, segs, pcm)
	}
}

// checkTiling: segments are ordered, positive and cover [0, dur] exactly.
func checkTiling(t *testing.T, name string, segs []Segment, dur float64) {
	t.Helper()
	at := 0.0
	for i, s := range segs {
		if math.Abs(s.Start-at) > 1e-9 || s.End <= s.Start {
			t.Fatalf("%s: segment %d %+v does not follow %.3f", name, i, s, at)
		}
		if i > 0 && s.Phone == Silence && segs[i-1].Phone == Silence {
			t.Errorf("%s: adjacent pauses at %.3f", name, s.Start)
		}
		at = s.End
	}
	if math.Abs(at-dur) > 1e-9 {
		t.Errorf("%s: segments end at %.3f, audio at %.3f", name, at, dur)
	}
}

// checkWordOrder: the phones' words, in order, are the transcript's, and
// each known word is spelled with one of its dictionary pronunciations.
func checkWordOrder(t *testing.T, name string, segs []Segment, words []string) {
	t.Helper()
	prons, err := lookup(words)
	if err != nil {
		t.Fatal(err)
	}
	type run struct {
		word   string
		phones []string
	}
	var runs []run
	for _, s := range segs {
		if s.Phone == Silence {
			if s.Word != "" {
				t.Errorf("%s: pause carries word %q", name, s.Word)
			}
			continue
		}
		if Class(s.Phone) == ClassUnknown {
			t.Errorf("%s: unknown phone %q", name, s.Phone)
		}
		if len(runs) == 0 || runs[len(runs)-1].word != s.Word {
			runs = append(runs, run{word: s.Word})
		}
		r := &runs[len(runs)-1]
		r.phones = append(r.phones, strings.ToUpper(s.Phone))
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.word)
		known := prons[r.word]
		if len(known) > 0 && !slices.ContainsFunc(known, func(p []string) bool {
			return slices.Equal(p, r.phones) || len(r.phones) > len(p) // a repeated word
		}) {
			t.Errorf("%s: %q spelled %v, dictionary has %v", name, r.word, r.phones, known)
		}
	}
	want := slices.Compact(slices.Clone(words))
	if !slices.Equal(got, want) {
		t.Errorf("%s: words\n got %q\nwant %q", name, got, want)
	}
}

// checkCoverage: voiced frames lie in phones, and pauses are quieter than
// phones. Voicing rather than level decides, since breaths and clicks in
// pauses can be as loud as speech, and pre-emphasis removes the mains hum
// and rumble some recordings carry.
func checkCoverage(t *testing.T, name string, segs []Segment, pcm *audio.PCM) {
	t.Helper()
	pcm = preEmphasis(pcm)
	db := frameDB(pcm)
	peak := slices.Max(db)
	var voiced, voicedInPhone int
	var pauDB, phDB []float64
	for i, e := range db {
		ph := phoneAt(segs, (float64(i)+0.5)/frameRate)
		if e > peak-25 && periodicity(pcm, i) > 0.7 {
			voiced++
			if ph != Silence {
				voicedInPhone++
			}
		}
		if ph == Silence {
			pauDB = append(pauDB, e)
		} else {
			phDB = append(phDB, e)
		}
	}
	cover := float64(voicedInPhone) / float64(voiced)
	gap := mean(phDB) - mean(pauDB)
	if cover < 0.95 || (len(pauDB) > 20 && gap < 10) {
		t.Errorf("%s: %.1f%% of voiced frames in phones, pauses %.1f dB below phones", name, 100*cover, gap)
	}
}

func preEmphasis(p *audio.PCM) *audio.PCM {
	out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, len(p.Samples))}
	for i := 1; i < len(p.Samples); i++ {
		out.Samples[i] = p.Samples[i] - 0.97*p.Samples[i-1]
	}
	return out
}

// periodicity is the highest normalised autocorrelation of the 40 ms
// around 10 ms frame i at lags of 2.5–16 ms (F0 62–400 Hz).
func periodicity(p *audio.PCM, i int) float64 {
	n := p.Rate / 25
	c := i*p.Rate/frameRate + p.Rate/200
	lo, hi := p.Rate/400, p.Rate/62
	if c-n/2 < 0 || c+n/2+hi > len(p.Samples) {
		return 0
	}
	x := p.Samples[c-n/2:]
	best := 0.0
	for lag := lo; lag <= hi; lag++ {
		var xy, xx, yy float64
		for k := range n {
			a, b := float64(x[k]), float64(x[k+lag])
			xy, xx, yy = xy+a*b, xx+a*a, yy+b*b
		}
		best = max(best, xy/math.Sqrt(xx*yy+1e-12))
	}
	return best
}

// frameDB is the level of each 10 ms frame in dB.
func frameDB(p *audio.PCM) []float64 {
	n := p.Rate / frameRate
	out := make([]float64, p.Frames()/n)
	for i := range out {
		var e float64
		for _, s := range p.Samples[i*n : (i+1)*n] {
			e += float64(s) * float64(s)
		}
		out[i] = 10 * math.Log10(e/float64(n)+1e-10)
	}
	return out
}

func phoneAt(segs []Segment, t float64) string {
	i, _ := slices.BinarySearchFunc(segs, t, func(s Segment, t float64) int {
		switch {
		case s.End <= t:
			return -1
		case s.Start > t:
			return 1
		}
		return 0
	})
	if i < len(segs) {
		return segs[i].Phone
	}
	return Silence
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(max(1, len(x)))
}

// TestAlignUnknownWord: a word missing from the dictionary is aligned with
// flite's letter-to-sound pronunciation, marked Guessed.
func TestAlignUnknownWord(t *testing.T) {
	u := transcribed(t, 1)[0]
	words := Words(u.text)
	k := len(words) / 2
	words[k] = "zorblaxian"
	text := strings.Join(words, " ")
	unknown, err := UnknownWords(text)
	if err != nil || !slices.Equal(unknown, []string{"zorblaxian"}) {
		t.Fatalf("UnknownWords = %q, %v", unknown, err)
	}
	start := time.Now()
	segs, err := Align(context.Background(), u.pcm, text)
	if err != nil {
		t.Fatalf("%s: %v", u.name, err)
	}
	t.Logf("aligned in %v", time.Since(start))
	checkTiling(t, u.name, segs, u.pcm.Seconds())
	checkWordOrder(t, u.name, segs, words)
	var guessed []string
	for _, s := range segs {
		if s.Guessed != (s.Word == "zorblaxian") {
			t.Errorf("segment %+v: Guessed %v", s, s.Guessed)
		}
		if s.Guessed {
			guessed = append(guessed, s.Phone)
		}
	}
	// flite spells it z ao r b l ey k s iy ax n; ax is written ah.
	if got := strings.Join(guessed, " "); got != "z ao r b l ey k s iy ah n" {
		t.Errorf("zorblaxian aligned as %q", got)
	}
}

func TestRecognizeAgreesWithAlign(t *testing.T) {
	us := transcribed(t, 1)
	var frames, samePhone int
	var right, wrong []float64
	for i, u := range us {
		ref, err := Align(context.Background(), u.pcm, u.text)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		got, err := Recognize(context.Background(), u.pcm)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		checkTiling(t, u.name, got, u.pcm.Seconds())
		right = append(right, Agreement(ref, got, u.pcm.Seconds()))
		n := int(u.pcm.Seconds() * frameRate)
		a, b := FrameLabels(ref, 1.0/frameRate, n), FrameLabels(got, 1.0/frameRate, n)
		for k := range a {
			if a[k] == b[k] {
				samePhone++
			}
		}
		frames += n
		// Another speaker's sentence (not a parallel one) as a wrong transcript.
		other := us[(i+len(us)/2)%len(us)]
		if bad, err := Align(context.Background(), u.pcm, other.text); err == nil {
			wrong = append(wrong, Agreement(bad, got, u.pcm.Seconds()))
		}
	}
	c, p := mean(right), float64(samePhone)/float64(frames)
	t.Logf("phone loop vs alignment: %.1f%% of frames same class, %.1f%% same phone; wrong transcripts (%d aligned) %.1f%% same class",
		100*c, 100*p, len(wrong), 100*mean(wrong))
	if c < 0.6 || p < 0.4 {
		t.Errorf("phone loop agrees with alignment on %.1f%% of frames' class, %.1f%% of phones", 100*c, 100*p)
	}
	if len(wrong) > 0 && mean(wrong) > c-0.2 {
		t.Errorf("wrong transcripts agree %.2f, right ones %.2f: no margin", mean(wrong), c)
	}
}

func TestErrors(t *testing.T) {
	speech := transcribed(t, 1)[0]
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		pcm  *audio.PCM
		text string
		want error
	}{
		{"ErrNil", context.Background(), nil, "hello", audio.ErrEmpty},
		{"ErrEmpty", context.Background(), &audio.PCM{Rate: Rate, Channels: 1}, "hello", audio.ErrEmpty},
		{"ErrTooShort", context.Background(), &audio.PCM{Rate: Rate, Channels: 1, Samples: make([]float32, 800)}, "hello", audio.ErrEmpty},
		{"ErrRate", context.Background(), &audio.PCM{Rate: 22050, Channels: 1, Samples: make([]float32, 22050)}, "hello", ErrFormat},
		{"ErrStereo", context.Background(), &audio.PCM{Rate: Rate, Channels: 2, Samples: make([]float32, 32000)}, "hello", ErrFormat},
		{"ErrTooLong", context.Background(), &audio.PCM{Rate: Rate, Channels: 1, Samples: make([]float32, Rate*(MaxSeconds+1))}, "hello", audio.ErrTooLarge},
		{"ErrCancelled", cancelled, speech.pcm, speech.text, context.Canceled},
		{"ErrNoWords", context.Background(), speech.pcm, " -- ! ?", ErrTranscript},
		{"ErrTextTooLong", context.Background(), speech.pcm, strings.Repeat("word ", 2000), ErrNoMatch},
		// Three words a second of 17 phones each: more than the model's
		// 33 phones a second (three 10 ms states each), so no pass,
		// every-frame retry included, can find a path.
		{"ErrNoPath", context.Background(), speech.pcm, strings.Repeat("internationalization ", int(3*speech.pcm.Seconds())), ErrNoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Align(tt.ctx, tt.pcm, tt.text); !errors.Is(err, tt.want) {
				t.Errorf("Align: got %v, want %v", err, tt.want)
			}
			if tt.want == ErrTranscript || tt.want == ErrNoMatch {
				return
			}
			if _, err := Recognize(tt.ctx, tt.pcm); !errors.Is(err, tt.want) {
				t.Errorf("Recognize: got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestCancelWhileDecoding: a deadline that passes mid-decode returns at
// once, and the decoder left behind still works afterwards.
func TestCancelWhileDecoding(t *testing.T) {
	u := transcribed(t, 1)[0]
	long := &audio.PCM{Rate: Rate, Channels: 1}
	for range 4 {
		long.Samples = append(long.Samples, u.pcm.Samples...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Recognize(ctx, long)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("returned after %v", d)
	}
	if _, err := Align(context.Background(), u.pcm, u.text); err != nil {
		t.Fatalf("after a cancelled call: %v", err)
	}
}

// TestConcurrent runs calls in parallel, each on its own decoder.
func TestConcurrent(t *testing.T) {
	us := transcribed(t, 1)[:3]
	want := make([][]Segment, len(us))
	for i, u := range us {
		var err error
		if want[i], err = Align(context.Background(), u.pcm, u.text); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, len(us))
	for i, u := range us {
		go func() {
			got, err := Align(context.Background(), u.pcm, u.text)
			if err == nil && !slices.Equal(got, want[i]) {
				err = errors.New(u.name + ": result differs from the sequential run")
			}
			errs <- err
		}()
	}
	for range us {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
