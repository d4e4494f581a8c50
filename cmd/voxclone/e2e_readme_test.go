package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/codec"
)

// readmeQuickStart runs the README's curl quick start, as written, against
// a running server: only the API address and the sample path change.
func readmeQuickStart(t *testing.T, bin string, wav []byte) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("curl is needed to run the README's quick start: %v", err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := shellBlockAfter(t, string(readme), "## Quick start with curl")
	for _, line := range []string{"API=http://localhost:8080/api\n", "SAMPLE=me.wav\n"} {
		if !strings.Contains(script, line) {
			t.Fatalf("quick start no longer sets %q", strings.TrimSpace(line))
		}
	}
	s := startServer(t, bin, dataDir(t))
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "me.wav"), wav, 0o600); err != nil {
		t.Fatal(err)
	}
	script = strings.Replace(script, "API=http://localhost:8080/api", "API="+s.URL+"/api", 1)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("quick start failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"items":[{`) {
		t.Errorf("quick start's history call printed %q, want one item", out)
	}
	mp3, err := os.ReadFile(filepath.Join(work, "hello.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	if pcm, f, err := codec.Decode(context.Background(), mp3); err != nil || f != "mp3" || pcm.Seconds() < 1 {
		t.Errorf("hello.mp3: format %q, err %v", f, err)
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
