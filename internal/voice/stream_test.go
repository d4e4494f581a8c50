package voice

import (
	"bytes"
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/tts/normalize"
)

func TestPrepareErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		want error
	}{
		{"", ErrEmptyText},
		{" ... — !! ", ErrEmptyText},
		{"我们明天在公园见面吧", ErrUnreadable},
		{"Привет, как дела? OK", ErrUnreadable},
		{strings.Repeat("a", MaxScriptRunes+1), ErrTextTooLong},
	} {
		if _, err := Prepare(tc.text); !errors.Is(err, tc.want) {
			t.Errorf("Prepare(%.20q) = %v, want %v", tc.text, err, tc.want)
		}
	}
	if _, err := Prepare("Hello 世界, how are you?"); err != nil {
		t.Errorf("mostly English with two Chinese letters: %v", err)
	}
}

func TestPreparePlan(t *testing.T) {
	s, err := Prepare("The quick brown fox jumps over the lazy dog near the river bank today. Dr. Smith paid $5.\n\n" +
		"A new paragraph; short. Then " + strings.Repeat("word ", 80) + "end, " + strings.Repeat("more ", 30) + "done.")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.chunks {
		if len(c.spoken()) > maxStreamChunk {
			t.Errorf("chunk of %d bytes, over %d", len(c.spoken()), maxStreamChunk)
		}
		got = append(got, c.spoken())
	}
	want := []string{
		"The quick brown fox jumps over the lazy dog",
		"near the river bank today.",
		"Doctor Smith paid five dollars.",
		"A new paragraph, short.",
	}
	for i, w := range want {
		if i >= len(got) || got[i] != w {
			t.Fatalf("chunks %q,\nwant them to start %q", got, want)
		}
	}
	pauses := []normalize.Break{normalize.NoBreak, normalize.Sentence, normalize.Paragraph, normalize.Sentence}
	for i, p := range pauses {
		if s.chunks[i].pause != p {
			t.Errorf("chunk %d pause %v, want %v", i, s.chunks[i].pause, p)
		}
	}
	if last := s.chunks[len(s.chunks)-1]; !strings.HasSuffix(last.spoken(), "done.") || last.pause != normalize.NoBreak {
		t.Errorf("last chunk %q pause %v", last.spoken(), last.pause)
	}
	// Every written word is in exactly one chunk, in order.
	var words []string
	for _, c := range s.chunks {
		words = append(words, c.words...)
	}
	if strings.Join(words, " ") != normalize.Spoken(s.tokens) {
		t.Errorf("chunks lose or repeat words")
	}
}

// streamAll streams the script and returns its chunks.
func streamAll(t *testing.T, e *Engine, sp Speaker, text string, opt Options) []Chunk {
	t.Helper()
	s, err := Prepare(text)
	if err != nil {
		t.Fatal(err)
	}
	var out []Chunk
	if err := e.Stream(context.Background(), sp, s, opt, func(c Chunk) error {
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func joined(cs []Chunk) *audio.PCM {
	p := &audio.PCM{Rate: cs[0].Audio.Rate, Channels: 1}
	for _, c := range cs {
		p.Samples = append(p.Samples, c.Audio.Samples...)
	}
	return p
}

func sampleSpeaker(t *testing.T) Speaker {
	t.Helper()
	prof, err := sampleProfile().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return Speaker{Profile: prof}
}

// TestStream streams a cloned voice and a built-in one: chunks come in
// order on one timeline, at the engine's rate, the same with one worker
// or several, at the target level and under the true-peak ceiling.
func TestStream(t *testing.T) {
	const text = "One sentence here. Another one follows! Is this the third? Yes, and a fourth, which goes on for a while longer than the others."
	for name, sp := range map[string]Speaker{"profile": sampleSpeaker(t), "builtin": {Builtin: "rms"}} {
		t.Run(name, func(t *testing.T) {
			a := streamAll(t, New(Config{Workers: 1}), sp, text, Options{Seed: 3})
			b := streamAll(t, New(Config{Workers: 3}), sp, text, Options{Seed: 3})
			at := 0.0
			for i, c := range a {
				if c.Index != i || math.Abs(c.Start-at) > 1e-9 || c.Audio.Rate != OutputRate {
					t.Errorf("chunk %d: index %d, start %.3f (want %.3f), %d Hz", i, c.Index, c.Start, at, c.Audio.Rate)
				}
				at += c.Audio.Seconds()
			}
			pa, pb := joined(a), joined(b)
			if !bytes.Equal(f32bytes(pa.Samples), f32bytes(pb.Samples)) {
				t.Error("the number of workers changed the audio")
			}
			if l := loudness.Integrated(pa); math.Abs(l+16) > 1.5 {
				t.Errorf("loudness %.1f LUFS, want −16 ± 1.5", l)
			}
			if tp := loudness.TruePeak(pa); tp > -0.99 {
				t.Errorf("true peak %.2f dBTP, over −1", tp)
			}
			if d := pa.Seconds(); d < 5 || d > 14 {
				t.Errorf("%.1f s of audio", d)
			}
		})
	}
}

// TestStreamLevelSteady: the same sentence said six times comes out at the
// same level each time, the first included (no jump after it).
func TestStreamLevelSteady(t *testing.T) {
	cs := streamAll(t, New(Config{}), sampleSpeaker(t), strings.Repeat("The weather is nice today and the park is green. ", 6), Options{Seed: 1})
	if len(cs) != 6 {
		t.Fatalf("%d chunks, want 6", len(cs))
	}
	var levels []float64
	for _, c := range cs {
		levels = append(levels, loudness.Integrated(c.Audio))
	}
	for i, l := range levels {
		if math.Abs(l-levels[0]) > 0.5 {
			t.Errorf("sentence levels %.2f LUFS: sentence %d differs from the first by %.2f LU", levels, i, l-levels[0])
			break
		}
	}
}

// TestStreamJoins: every chunk fades in and out (no step at a join), and
// the pause after a chunk grows with what ends it.
func TestStreamJoins(t *testing.T) {
	cs := streamAll(t, New(Config{}), Speaker{Builtin: "slt"},
		"A first clause, then more words follow here. A full stop here.\n\nA new paragraph starts. The end.", Options{})
	gaps := map[int]float64{}
	for i, c := range cs {
		x := c.Audio.Samples
		if math.Abs(float64(x[0])) > 1e-4 || math.Abs(float64(x[len(x)-1])) > 1e-4 {
			t.Errorf("chunk %d starts at %g and ends at %g, want silence at the joins", i, x[0], x[len(x)-1])
		}
		n := 0
		for n < len(x) && x[len(x)-1-n] == 0 {
			n++
		}
		gaps[i] = float64(n) / float64(c.Audio.Rate)
	}
	// Chunks: "A first clause," | "then more words follow here." | "A full stop here." | "A new paragraph starts." | "The end."
	if len(cs) != 5 {
		t.Fatalf("%d chunks, want 5", len(cs))
	}
	if !(gaps[0] < gaps[1] && gaps[1] < gaps[2]) || gaps[2] <= gaps[3] || gaps[4] > 0.001 {
		t.Errorf("pauses %v s: want clause < sentence < paragraph, and none at the end", gaps)
	}
}

// TestStreamWords: the words carry their written form, their place in the
// text and increasing times inside the audio.
func TestStreamWords(t *testing.T) {
	const text = "“Dr. Smith,” she said, “pays $5.50 on 2024-03-15.”"
	cs := streamAll(t, New(Config{}), Speaker{Builtin: "slt"}, text, Options{Speed: 1.3})
	var ws []Word
	end := 0.0
	for _, c := range cs {
		ws = append(ws, c.Words...)
		end = c.Start + c.Audio.Seconds()
	}
	want := []string{"Dr", "Smith", "she", "said", "pays", "$5.50", "on", "2024-03-15"}
	if len(ws) != len(want) {
		t.Fatalf("words %+v, want %q", ws, want)
	}
	last := 0.0
	for i, w := range ws {
		if w.Text != want[i] || text[w.Offset:w.Offset+w.Len] != w.Text {
			t.Errorf("word %d = %q at %d+%d, want %q", i, w.Text, w.Offset, w.Len, want[i])
		}
		if w.Start < last-1e-9 || w.End <= w.Start || w.End > end {
			t.Errorf("word %q at %.3f–%.3f after %.3f, audio %.3f s", w.Text, w.Start, w.End, last, end)
		}
		last = w.End
	}
	if d := ws[5].End - ws[5].Start; d < 4*(ws[4].End-ws[4].Start) {
		t.Errorf("$5.50 (five words) lasts %.2f s, pays %.2f s", d, ws[4].End-ws[4].Start)
	}
}

// TestStreamStops: an emit error, or a cancelled context, ends the stream
// at once with that error and leaves no goroutine behind.
func TestStreamStops(t *testing.T) {
	s, err := Prepare(strings.Repeat("This sentence is here to make the text long. ", 40))
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{})
	before := runtime.NumGoroutine()
	boom := errors.New("client gone")
	n := 0
	err = e.Stream(context.Background(), Speaker{Builtin: "slt"}, s, Options{}, func(Chunk) error {
		if n++; n == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 2 {
		t.Errorf("emit error: Stream = %v after %d chunks, want it after 2", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	err = e.Stream(ctx, sampleSpeaker(t), s, Options{}, func(Chunk) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: Stream = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancelled stream took %v", d)
	}
	for deadline := time.Now().Add(2 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the streams, %d before:\n%s", g, before, buf[:runtime.Stack(buf, true)])
	}
}

// TestStreamLookahead: while the listener holds the first chunk, only a
// few chunks beyond it are rendered.
func TestStreamLookahead(t *testing.T) {
	s, err := Prepare(strings.Repeat("Short one. ", 30))
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{Workers: 2})
	var started atomic.Int32
	renderStarted = func(int) { started.Add(1) }
	defer func() { renderStarted = nil }()
	first := true
	err = e.Stream(context.Background(), Speaker{Builtin: "slt"}, s, Options{}, func(Chunk) error {
		if first {
			time.Sleep(time.Second)
			if n := int(started.Load()); n > e.lookahead()+1 {
				t.Errorf("%d chunks rendered while the first was held, want at most %d", n, e.lookahead()+1)
			}
			first = false
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := int(started.Load()); n != s.Chunks() {
		t.Errorf("%d renders for %d chunks", n, s.Chunks())
	}
}

func TestStreamErrUnknownVoice(t *testing.T) {
	s, _ := Prepare("Hello.")
	err := New(Config{}).Stream(context.Background(), Speaker{Builtin: "kal16"}, s, Options{}, func(Chunk) error { return nil })
	if !errors.Is(err, ErrUnknownVoice) {
		t.Errorf("Stream with kal16 = %v, want ErrUnknownVoice", err)
	}
	err = New(Config{}).Stream(context.Background(), Speaker{Profile: []byte("junk")}, s, Options{}, func(Chunk) error { return nil })
	if !errors.Is(err, ErrBadProfile) {
		t.Errorf("Stream with a junk profile = %v, want ErrBadProfile", err)
	}
}
