// Package speechtest finds the real speech recordings that tests use. They
// live outside the repository, in ../shared/speech beside the checkout (or
// where VOXCLONE_SPEECH_DIR points), one folder per speaker; they are never
// copied into the repository.
package speechtest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// Dir returns the speech directory. A missing directory fails the test:
// skipping would let a broken checkout pass silently.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("VOXCLONE_SPEECH_DIR"); d != "" {
		return d
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("speechtest: %v", err)
	}
	d := filepath.Join(root, "..", "shared", "speech")
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Fatalf("speechtest: speech directory %s not found (set VOXCLONE_SPEECH_DIR)", d)
	}
	return d
}

// Speakers lists the speaker folder names, sorted.
func Speakers(t testing.TB) []string {
	t.Helper()
	ents, err := os.ReadDir(Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// WAVs returns the sorted paths of a speaker's .wav files.
func WAVs(t testing.TB, speaker string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(Dir(t), speaker, "*.wav"))
	if err != nil || len(m) == 0 {
		t.Fatalf("speechtest: no wav files for speaker %q", speaker)
	}
	sort.Strings(m)
	return m
}

// Transcript returns the text beside a .wav file, or "" when there is none.
func Transcript(wavPath string) string {
	b, err := os.ReadFile(strings.TrimSuffix(wavPath, ".wav") + ".txt")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Load decodes one of the recordings. The files are WAV, so the pure-Go
// reader suffices and tests of the other decoders stay independent of it.
func Load(t testing.TB, path string) *audio.PCM {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := wav.DecodeBytes(b, 0)
	if err != nil {
		t.Fatalf("speechtest: %s: %v", path, err)
	}
	return p
}
