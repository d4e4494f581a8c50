package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// Utterance is one recording of a speaker.
type Utterance struct {
	Name       string     // file name without extension
	Audio      *audio.PCM // as decoded (for cloning)
	Transcript string     // from the .txt beside it, or ""
}

// Speaker is one speaker's recordings, split by the protocol: the first half
// of the sorted utterances (at least one) is the cloning reference, the rest
// trains the speaker identifier and is the held-out real speech.
type Speaker struct {
	Name      string
	Reference []Utterance
	HeldOut   []Utterance
}

// LoadDataset reads dir/<speaker>/*.wav (and optional .txt transcripts),
// one speaker per folder, sorted by name. Speakers with fewer than two
// utterances cannot be both cloned and identified and are returned in
// skipped.
func LoadDataset(ctx context.Context, dir string) (speakers []Speaker, skipped []string, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range ents {
		path := filepath.Join(dir, e.Name())
		if st, err := os.Stat(path); err != nil || !st.IsDir() { // follows symlinks
			continue
		}
		utts, err := loadSpeaker(ctx, path)
		if err != nil {
			return nil, nil, err
		}
		if len(utts) < 2 {
			skipped = append(skipped, e.Name())
			continue
		}
		nRef := max(1, len(utts)/2)
		speakers = append(speakers, Speaker{Name: e.Name(), Reference: utts[:nRef], HeldOut: utts[nRef:]})
	}
	sort.Slice(speakers, func(i, j int) bool { return speakers[i].Name < speakers[j].Name })
	if len(speakers) < 2 {
		return nil, skipped, fmt.Errorf("eval: %s: need at least two speakers with two or more .wav files", dir)
	}
	return speakers, skipped, nil
}

func loadSpeaker(ctx context.Context, dir string) ([]Utterance, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.wav"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var utts []Utterance
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pcm, err := decodeFile(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("eval: %s: %w", p, err)
		}
		u := Utterance{Name: strings.TrimSuffix(filepath.Base(p), ".wav"), Audio: pcm}
		if b, err := os.ReadFile(strings.TrimSuffix(p, ".wav") + ".txt"); err == nil {
			u.Transcript = strings.TrimSpace(string(b))
		}
		utts = append(utts, u)
	}
	return utts, nil
}

func decodeFile(ctx context.Context, path string) (*audio.PCM, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, _, err := codec.Decode(ctx, b)
	return p, err
}

// to16k returns mono 16 kHz audio, the rate every metric works at.
func to16k(p *audio.PCM) *audio.PCM {
	m := p.Mono()
	if m.Rate == featRate {
		return m
	}
	return dsp.Resample(m, featRate)
}
