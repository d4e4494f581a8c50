package watermark

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
)

// corpusText is about 25 seconds of speech: the engine's output for ten
// voices is what the watermark is measured on.
const corpusText = "The old lighthouse keeper climbed the stairs every evening at dusk. " +
	"He checked the lamp, wiped the glass and wrote the weather in his book. " +
	"Ships passed far out at sea, and some of them blinked their lights in answer. " +
	"In winter the storms were long, and the spray reached the top of the tower. " +
	"Still he never missed a night, not once in thirty years of service. " +
	"When he retired, the village gave him a small boat and a warm coat."

// engineVoice is one voice's unmarked engine output.
type engineVoice struct {
	name string
	pcm  *audio.PCM
}

var (
	corpusOnce sync.Once
	corpusOut  []engineVoice
	corpusErr  error
)

// engineCorpus returns the engine's output, unmarked, for the three
// built-in voices and clones of seven real speakers. Rendering takes a
// minute or two, so it is kept in the temporary directory between runs,
// per fingerprint of the engine's output (engine output only, never the
// recordings themselves).
func engineCorpus(t *testing.T) []engineVoice {
	t.Helper()
	speakers := speechtest.Speakers(t)
	if len(speakers) < 7 {
		t.Skipf("need 7 speakers, have %d", len(speakers))
	}
	corpusOnce.Do(func() { corpusOut, corpusErr = buildCorpus(t, speakers[:7]) })
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusOut
}

func buildCorpus(t *testing.T, speakers []string) ([]engineVoice, error) {
	eng := voice.New(voice.Config{})
	profiles := make(map[string][]byte, len(speakers))
	for _, name := range speakers {
		prof, err := eng.Clone(context.Background(), corpusRefs(t, name))
		if err != nil {
			return nil, err
		}
		profiles[name] = prof
	}
	fp, err := engineFingerprint(eng, speakers, profiles)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(os.TempDir(), "voxclone-watermark-corpus-"+fp)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var out []engineVoice
	names := append([]string{"slt", "rms", "awb"}, speakers...)
	for _, name := range names {
		path := filepath.Join(dir, name+".wav")
		if b, err := os.ReadFile(path); err == nil {
			if p, err := wav.DecodeBytes(b, 0); err == nil {
				out = append(out, engineVoice{name, p})
				continue
			}
		}
		sp := voice.Speaker{Builtin: name}
		if prof, ok := profiles[name]; ok {
			sp = voice.Speaker{Profile: prof}
		}
		p, err := speak(eng, sp, corpusText)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := wav.Encode(&buf, p, wav.Float32); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			return nil, err
		}
		out = append(out, engineVoice{name, p})
	}
	return out, nil
}

// fingerprintText is short: its renderings stand for the engine's output.
const fingerprintText = "He checked the lamp and wrote the weather in his book."

// engineFingerprint names the engine's output, so that a corpus kept from
// an older engine is never measured as the current one's (keyed by the
// output rate alone, a kept corpus hid a band 28.2 dB under the speech):
// a hash of the rate, the speakers, a built-in voice's rendering of a
// short sentence, every clone's profile, and the first clone's rendering
// of the sentence. Every profile, not one: a change of labelling (the
// phone loop's settings) moves only the clones of speakers whose
// references are recognised, and a corpus keyed by the first speaker's
// aligned clone alone was kept across such changes (2026-12-07).
func engineFingerprint(eng *voice.Engine, speakers []string, profiles map[string][]byte) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%d %s %q\n", voice.OutputRate, eng.Name(), speakers)
	for _, name := range speakers {
		h.Write(profiles[name])
	}
	for _, sp := range []voice.Speaker{{Builtin: "slt"}, {Profile: profiles[speakers[0]]}} {
		p, err := speak(eng, sp, fingerprintText)
		if err != nil {
			return "", err
		}
		if err := binary.Write(h, binary.LittleEndian, p.Samples); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// speak renders text in sp, unmarked, at the engine's rate.
func speak(eng *voice.Engine, sp voice.Speaker, text string) (*audio.PCM, error) {
	script, err := voice.Prepare(text)
	if err != nil {
		return nil, err
	}
	out := &audio.PCM{Rate: voice.OutputRate, Channels: 1}
	err = eng.Stream(context.Background(), sp, script, voice.Options{}, func(c voice.Chunk) error {
		out.Samples = append(out.Samples, c.Audio.Samples...)
		return nil
	})
	return out, err
}

// corpusRefs reads about 30 s of a speaker's recordings.
func corpusRefs(t *testing.T, speaker string) []voice.Reference {
	var refs []voice.Reference
	total := 0.0
	for _, path := range speechtest.WAVs(t, speaker) {
		if total >= 30 {
			break
		}
		p := speechtest.Load(t, path)
		total += p.Seconds()
		refs = append(refs, voice.Reference{Audio: p, Transcript: speechtest.Transcript(path)})
	}
	return refs
}
