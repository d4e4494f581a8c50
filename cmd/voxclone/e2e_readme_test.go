package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/prep"
)

// TestReadmeQuickStart is a newcomer's first hour: a clone of the
// repository alone (its files as git would hand them over, with no
// ../shared beside it), the binary built there, `voxclone serve` run there
// with the default settings, and the README's curl quick start run as
// written, on a recording the test makes itself: 40 s of reading aloud,
// as the README advises.
func TestReadmeQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the repository, builds and runs the binary")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("curl is needed to run the README's quick start: %v", err)
	}
	clone := bareClone(t)
	if _, err := os.Stat(filepath.Join(clone, "..", "shared")); err == nil {
		t.Fatalf("%s has a ../shared beside it", clone)
	}
	bin := filepath.Join(clone, "bin", "voxclone")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", "-o", bin, "./cmd/voxclone")
	build.Dir = clone
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in the clone: %v\n%s", err, out)
	}
	wav := readAloud(t, 40)
	// As the quick start says: consent off, to try voxclone out.
	s := startServerIn(t, bin, clone, "VOXCLONE_REQUIRE_CONSENT=false")
	runQuickStart(t, s, clone, wav)
}

// bareClone copies the repository's files, those git tracks or would add
// (not what .gitignore leaves out: bin/, data/), to a fresh directory and
// returns it.
func bareClone(t *testing.T) string {
	t.Helper()
	root := filepath.Join("..", "..")
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files (the test copies what a clone holds): %v", err)
	}
	clone := filepath.Join(t.TempDir(), "voxclone")
	n := 0
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		st, err := os.Lstat(src)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the work tree but not yet in the index
		}
		copyFile(t, src, filepath.Join(clone, name), st.Mode().Perm())
		n++
	}
	if n < 50 {
		t.Fatalf("copied only %d files", n)
	}
	return clone
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// readAloud is sec seconds of flite reading prose, as a WAV file, checked
// to hold what the README asks of a sample.
func readAloud(t *testing.T, sec float64) []byte {
	t.Helper()
	wav, _ := speech(t, "rms", sec)
	pcm, _, err := codec.Decode(context.Background(), wav)
	if err != nil {
		t.Fatal(err)
	}
	if r := prep.Analyze(pcm); r.SpeechSeconds < prep.RecommendedSpeechSeconds {
		t.Fatalf("the recording holds %.1f s of speech, less than the README's %.0f s", r.SpeechSeconds, prep.RecommendedSpeechSeconds)
	}
	return wav
}

// runQuickStart runs the README's curl quick start, as written, against s
// in a work directory beside clone: only the API address changes, and
// SAMPLE is wav.
func runQuickStart(t *testing.T, s *server, clone string, wav []byte) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(clone, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := shellBlockAfter(t, string(readme), "## Quick start with curl")
	for _, line := range []string{"API=http://localhost:8080/api\n", "SAMPLE=me.wav\n"} {
		if !strings.Contains(script, line) {
			t.Fatalf("quick start no longer sets %q", strings.TrimSpace(line))
		}
	}
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "me.wav"), wav, 0o600); err != nil {
		t.Fatal(err)
	}
	script = strings.Replace(script, "API=http://localhost:8080/api", "API="+s.URL+"/api", 1)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = work
	cmd.Env = serverEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("quick start failed: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), `"items":[{`) {
		t.Errorf("quick start's history call printed %q, want one item", out.String())
	}
	mp3, err := os.ReadFile(filepath.Join(work, "hello.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	if pcm, f, err := codec.Decode(context.Background(), mp3); err != nil || f != "mp3" || pcm.Seconds() < 1 {
		t.Errorf("hello.mp3: format %q, err %v", f, err)
	}
	if len(filesNamed(t, s.DataDir, ".mp3")) != 1 {
		t.Errorf("the synthesis is not kept in the clone's ./data")
	}
}

// shellBlockAfter returns the first ```sh block after heading.
func shellBlockAfter(t *testing.T, doc, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, heading)
	if !ok {
		t.Fatalf("README has no %q section", heading)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	if !ok {
		t.Fatalf("no shell block after %q", heading)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("unterminated shell block")
	}
	return block
}
