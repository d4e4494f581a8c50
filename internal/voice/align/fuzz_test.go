package align

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/voxclone/voxclone/internal/audio"
)

// FuzzWords checks that any transcript splits into clean words and gives a
// well-formed grammar.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Hello, world!", "don't 'quote' me", "Forty-two 42 ½", "", "''' -- ", "naïve café ÆON", "a\x00b\xffc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		words := Words(text)
		prons := map[string][][]string{}
		for i, w := range words {
			if w == "" || w[0] == '\'' || w[len(w)-1] == '\'' || strings.IndexFunc(w, func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
			}) >= 0 {
				t.Fatalf("bad word %q from %q", w, text)
			}
			if i%2 == 0 { // half known, half without a pronunciation
				prons[w] = [][]string{{"HH", "AH"}, {"IY"}}
			}
		}
		g := buildGrammar(words, prons, len(words)%2 == 1)
		if g.final < 0 || g.final >= g.states || (len(words) > 0) != (g.final != g.start) {
			t.Fatalf("final state %d of %d for %d words", g.final, g.states, len(words))
		}
		for _, a := range g.arcs {
			if a.from < 0 || a.from >= g.states || a.to < 0 || a.to >= g.states || a.prob <= 0 || a.prob > 1 {
				t.Fatalf("bad arc %+v in %d states", a, g.states)
			}
			if _, _, ok := parsePhoneWord(a.word); !ok && a.word != unknownWord && (a.word != "" || a.to != g.final) {
				t.Fatalf("arc word %q is not a phone word", a.word)
			}
		}
	})
}

// FuzzAlign feeds arbitrary short audio and text to both decoders: they
// must return a known error or segments tiling the audio.
func FuzzAlign(f *testing.F) {
	tone := make([]byte, 2*Rate/2)
	for i := 0; i < len(tone)/2; i++ {
		v := int16(8000 * math.Sin(float64(i)*2*math.Pi*220/Rate))
		binary.LittleEndian.PutUint16(tone[2*i:], uint16(v))
	}
	f.Add(tone, "hello world")
	f.Add(make([]byte, 2*Rate/5), "")
	f.Add([]byte{0xff, 0x7f, 0x00, 0x80}, "a b c d e f g h i j")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		if len(data) > 2*Rate || len(text) > 100 { // keep each run short
			return
		}
		pcm := &audio.PCM{Rate: Rate, Channels: 1, Samples: make([]float32, len(data)/2)}
		for i := range pcm.Samples {
			pcm.Samples[i] = float32(int16(binary.LittleEndian.Uint16(data[2*i:]))) / 32768
		}
		segs, err := Align(context.Background(), pcm, text)
		checkFuzzResult(t, pcm, segs, err)
		segs, err = Recognize(context.Background(), pcm)
		checkFuzzResult(t, pcm, segs, err)
	})
}

func checkFuzzResult(t *testing.T, pcm *audio.PCM, segs []Segment, err error) {
	t.Helper()
	if err != nil {
		for _, known := range []error{audio.ErrEmpty, ErrTranscript, ErrNoMatch} {
			if errors.Is(err, known) {
				return
			}
		}
		t.Fatalf("unexpected error %v", err)
	}
	checkTiling(t, "fuzz", segs, pcm.Seconds())
}
