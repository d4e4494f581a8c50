package speechtest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// passage is plain prose, sentence by sentence, that Synthetic reads from
// the start for as long as it is asked to: varied sentences, as someone
// reading a sample aloud would say them. The first six are the Aesop fable
// phoneticians read; the rest were written for voxclone.
var passage = []string{
	"The north wind and the sun were disputing which was the stronger, when a traveller came along wrapped in a warm cloak.",
	"They agreed that the one who first made the traveller take his cloak off should be considered stronger than the other.",
	"Then the north wind blew as hard as he could, but the more he blew, the more closely did the traveller fold his cloak around him.",
	"At last the north wind gave up the attempt.",
	"Then the sun shone out warmly, and immediately the traveller took off his cloak.",
	"And so the north wind was obliged to confess that the sun was the stronger of the two.",
	"On Tuesday morning, the judge asked the young boy to measure the azure boat with a yellow ruler.",
	"Five thousand joyful voices sang through the foggy valley, and the choir leader smiled.",
	"She usually keeps a thick pile of vivid orange leather shoes beside the garage door.",
	"Which huge ship brought the zebra, the oyster and the cheese to the harbour in June?",
	"A quiet child drew pictures of three white geese while her father fixed the old clock.",
	"Nobody thought the thunder would wake the puppies sleeping under the wooden bench.",
	"Please ask Martha to bring the map, the torch and two spare batteries when she comes on Friday.",
	"Fresh bread, a jar of plum jam and a box of crisp green apples waited on the kitchen table.",
	"The children played with a rubber duck, a kite and a shiny tin whistle until dusk.",
	"We packed the tent into the car and drove north through the hills toward the lake.",
	"A thin mist rose from the water, and the boats rocked gently against the wooden pier.",
	"Each evening the fisherman counted his catch, mended the nets, and told stories about the storm of nineteen eighty.",
	"Nobody remembers why the village clock stopped at exactly a quarter past seven.",
	"The engineer measured the bridge twice, then wrote the numbers in a small leather notebook.",
	"My grandfather kept bees behind the orchard, and every August we helped him gather the honey.",
	"Although the journey took nearly eleven hours, nobody complained about the crowded bus.",
}

// Passage returns the sentences Synthetic reads, in order.
func Passage() []string { return slices.Clone(passage) }

// Synthetic returns at least minSec seconds of English read by one of
// flite's voices ("slt", "rms", "awb", "kal16"), sentence after sentence
// of Passage with short pauses between, and the text read. It is for tests
// that need speech of some kind, not a particular human voice; the same
// arguments always give the same samples. It fails the test when the
// passage runs out first.
func Synthetic(t testing.TB, voice string, minSec float64) (*audio.PCM, string) {
	t.Helper()
	s, err := synthetic(voice, minSec)
	if err != nil {
		t.Fatalf("speechtest: synthetic speech: %v", err)
	}
	return &audio.PCM{Rate: s.pcm.Rate, Channels: 1, Samples: slices.Clone(s.pcm.Samples)}, s.text
}

// SyntheticAt is Synthetic resampled to rate Hz, for tests of formats and
// measurements at the rates recordings come in.
func SyntheticAt(t testing.TB, voice string, minSec float64, rate int) *audio.PCM {
	t.Helper()
	p, _ := Synthetic(t, voice, minSec)
	if rate != p.Rate {
		p = dsp.Resample(p, rate)
	}
	return p
}

// SyntheticWAV is Synthetic as a 16-bit WAV file.
func SyntheticWAV(t testing.TB, voice string, minSec float64) ([]byte, string) {
	t.Helper()
	pcm, text := Synthetic(t, voice, minSec)
	var buf bytes.Buffer
	if err := wav.Encode(&buf, pcm, wav.PCM16); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), text
}

type spoken struct {
	pcm  *audio.PCM
	text string
}

type spokenKey struct {
	voice  string
	minSec float64
}

// cache keeps what was spoken for the test binary's other tests: flite is
// quick, but tests ask for the same speech many times.
var cache struct {
	sync.Mutex
	m map[spokenKey]spoken
}

// pauseSec is the silence between two sentences, as a reader breathes.
const pauseSec = 0.35

func synthetic(voice string, minSec float64) (spoken, error) {
	cache.Lock()
	defer cache.Unlock()
	key := spokenKey{voice, minSec}
	if s, ok := cache.m[key]; ok {
		return s, nil
	}
	var out *audio.PCM
	var read []string
	for _, sentence := range passage {
		r, err := flite.Synthesize(context.Background(), voice, sentence, flite.Options{})
		if err != nil {
			return spoken{}, err
		}
		if out == nil {
			out = &audio.PCM{Rate: r.Audio.Rate, Channels: 1}
		}
		out.Samples = append(out.Samples, r.Audio.Samples...)
		out.Samples = append(out.Samples, make([]float32, int(pauseSec*float64(out.Rate)))...)
		read = append(read, sentence)
		if out.Seconds() >= minSec {
			s := spoken{out, strings.Join(read, " ")}
			if cache.m == nil {
				cache.m = map[spokenKey]spoken{}
			}
			cache.m[key] = s
			return s, nil
		}
	}
	return spoken{}, fmt.Errorf("the whole passage read by %s lasts %.1f s, less than %.1f s", voice, out.Seconds(), minSec)
}
