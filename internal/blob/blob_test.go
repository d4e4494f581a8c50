package blob_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob"
)

func newLocal(t testing.TB, dir string) *blob.Local {
	t.Helper()
	l, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestLocal(t *testing.T) {
	apptest.BlobSuite(t, func(t *testing.T) app.Blobs { return newLocal(t, t.TempDir()) })
}

func TestLocalLayoutAndModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	l := newLocal(t, dir)
	id := app.NewID()
	if _, err := l.Put(t.Context(), "samples/"+id+".wav", strings.NewReader("RIFF")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "samples", id[:2], id+".wav")
	st, err := os.Stat(file)
	if err != nil {
		t.Fatalf("blob not at the fanned-out path: %v", err)
	}
	if m := st.Mode().Perm(); m != 0o600 {
		t.Errorf("file mode %v, want 0600", m)
	}
	for _, d := range []string{dir, filepath.Join(dir, "samples"), filepath.Dir(file)} {
		if st, err := os.Stat(d); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("dir %s: mode %v (%v), want 0700", d, st.Mode().Perm(), err)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(file))
	if len(ents) != 1 {
		t.Errorf("leftover files beside the blob: %v", ents)
	}
}

// TestLocalSymlinkEscape plants a symlink to a directory outside the root
// where a kind directory would be: writes must not follow it out.
func TestLocalSymlinkEscape(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "samples")); err != nil {
		t.Fatal(err)
	}
	l := newLocal(t, dir)
	_, err := l.Put(t.Context(), apptest.BlobKey("samples", "wav"), bytes.NewReader([]byte("x")))
	if err == nil {
		t.Error("Put through a symlink out of the root succeeded")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("files written outside the root: %v", ents)
	}
}

func FuzzValidKey(f *testing.F) {
	for _, s := range []string{"samples/0123456789abcdef0123456789abcdef.wav", "../etc/passwd",
		"a/0123456789abcdef0123456789abcdef.x", "samples/0123456789abcdef0123456789abcdef.wav\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if !blob.ValidKey(key) {
			return
		}
		if strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.Count(key, "/") != 1 ||
			filepath.Clean(key) != key || !filepath.IsLocal(key) {
			t.Fatalf("ValidKey accepted %q", key)
		}
	})
}

// TestLocalSweepTemp leaves a write's temporary file behind, as a process
// killed mid-Put does, and sweeps: an old one goes, one written to
// recently stays (a write may be in progress), and blobs are untouched.
func TestLocalSweepTemp(t *testing.T) {
	dir := t.TempDir()
	l := newLocal(t, dir)
	id := app.NewID()
	key := "audio/" + id + ".mp3"
	if _, err := l.Put(t.Context(), key, strings.NewReader("ID3")); err != nil {
		t.Fatal(err)
	}
	fan := filepath.Join(dir, "audio", id[:2])
	stale, fresh := filepath.Join(fan, ".tmp-0011223344556677"), filepath.Join(fan, ".tmp-8899aabbccddeeff")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("half a file"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	if err := os.Chtimes(stale, now.Add(-2*time.Hour), now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := l.SweepTemp(t.Context(), now.Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("SweepTemp = %d, %v; want 1 file deleted", n, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("abandoned temporary file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temporary file was deleted: %v", err)
	}
	rc, err := l.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("blob gone after the sweep: %v", err)
	}
	rc.Close()
}
