// Package speechtest gives tests speech to work on. Real human speech lives
// outside the repository, in ../shared/speech beside the checkout (or where
// VOXCLONE_SPEECH_DIR points), one folder per speaker; it is never copied
// into the repository. A clone without it still passes its tests: those
// that need human speech skip (fail when VOXCLONE_TEST_SPEECH=required, as
// CI sets), and those that only need speech of some kind use Synthetic,
// which flite makes on the spot.
package speechtest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// Environment variables that steer the real speech set.
const (
	// DirEnv names the speech directory, overriding ../shared/speech.
	DirEnv = "VOXCLONE_SPEECH_DIR"
	// RequiredEnv set to "required" turns a missing speech set from a skip
	// into a failure.
	RequiredEnv = "VOXCLONE_TEST_SPEECH"
)

// Skip messages. The first test of a package to skip says what is
// missing and where it comes from; the others say it briefly, so a run
// without the set reads as one explanation per package, not fifty.
const (
	explanation = "so tests that need human speech skip: point " + DirEnv + " at one folder of WAV files " +
		"(and NAME.txt transcripts) per speaker from public corpora such as LibriSpeech, VCTK, CMU ARCTIC " +
		"or LJ Speech; see README, Tests"
	skipReason = "speechtest: needs the real speech set (" + DirEnv + ")"
)

var explainOnce sync.Once

// Dir returns the speech directory: VOXCLONE_SPEECH_DIR, else
// ../shared/speech beside the module root. When neither exists the test
// skips, or fails when VOXCLONE_TEST_SPEECH=required.
func Dir(t testing.TB) string {
	t.Helper()
	d, err := find()
	if err == nil {
		return d
	}
	if os.Getenv(RequiredEnv) == "required" {
		t.Fatalf("speechtest: %s=required but %v", RequiredEnv, err)
	}
	msg := skipReason
	explainOnce.Do(func() { msg = "speechtest: " + err.Error() + ", " + explanation })
	t.Skip(msg)
	return ""
}

// find locates the speech directory without a test.
func find() (string, error) {
	if d := os.Getenv(DirEnv); d != "" {
		return isDir(d, DirEnv+"="+d)
	}
	root, err := moduleRoot()
	if err != nil {
		return "", fmt.Errorf("no real speech set: %s unset and no go.mod above the working directory", DirEnv)
	}
	d := filepath.Join(root, "..", "shared", "speech")
	return isDir(d, d+" ("+DirEnv+" unset)")
}

func isDir(d, what string) (string, error) {
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		return "", fmt.Errorf("no real speech set at %s", what)
	}
	return d, nil
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
