package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/codec"
)

// TestCloneAndSay runs both commands in-process: clone writes a profile
// from two recordings, say speaks with it to a file and to stdout.
func TestCloneAndSay(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	prof := filepath.Join(dir, "me.voice")
	var stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(k string) string {
		if k == "VOXCLONE_DATA_DIR" { // where the watermark key is generated
			return dir
		}
		return ""
	}}
	args := []string{"clone", "-o", prof, speechFile(t, dir, "one", "slt", 6), speechFile(t, dir, "two", "slt", 6)}
	if code := run(ctx, env, args); code != 0 {
		t.Fatalf("clone exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "base voice slt") {
		t.Errorf("clone summary %q does not name the base voice", stderr.String())
	}
	out := filepath.Join(dir, "out.flac")
	if code := run(ctx, env, []string{"say", "-v", prof, "-o", out, "--speed", "1.2", "Good", "morning."}); code != 0 {
		t.Fatalf("say exit %d: %s", code, stderr.String())
	}
	checkAudio(t, mustRead(t, out), "flac")

	var stdout bytes.Buffer
	env = &Env{Stdin: strings.NewReader("Text from standard input."), Stdout: &stdout, Stderr: &stderr, Getenv: env.Getenv}
	if code := run(ctx, env, []string{"say", "-v", prof, "-o", "-"}); code != 0 {
		t.Fatalf("say to stdout exit %d: %s", code, stderr.String())
	}
	checkAudio(t, stdout.Bytes(), "wav")

	if code := run(ctx, env, []string{"say", "-v", prof, "-o", filepath.Join(dir, "x.xyz"), "hi"}); code == 0 {
		t.Error("unknown output extension accepted")
	}
	testSayWatermark(t, env, dir, prof)
}

// testSayWatermark: say marks what it speaks unless told not to, and
// detect finds the mark with the key say generated in the data directory.
func testSayWatermark(t *testing.T, env *Env, dir, prof string) {
	const text = "The quick brown fox jumps over the lazy dog near the river bank, " +
		"and every morning the baker sells warm bread to all of the neighbours."
	for _, tc := range []struct {
		flags []string
		want  bool
	}{{nil, true}, {[]string{"-no-watermark"}, false}} {
		out := filepath.Join(dir, "long.mp3")
		args := append(append([]string{"say", "-v", prof, "-o", out}, tc.flags...), text)
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: env.Getenv}
		if code := run(context.Background(), env, args); code != 0 {
			t.Fatalf("say %v exit %d: %s", tc.flags, code, stderr.String())
		}
		stdout.Reset()
		if code := run(context.Background(), env, []string{"detect", out}); code != 0 {
			t.Fatalf("detect exit %d: %s", code, stderr.String())
		}
		var got detectAnswer
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || got.Watermarked != tc.want {
			t.Errorf("say %v, detect = %s (%v), want watermarked %v", tc.flags, stdout.String(), err, tc.want)
		}
	}
}

func checkAudio(t *testing.T, b []byte, want string) {
	t.Helper()
	pcm, f, err := codec.Decode(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if string(f) != want || pcm.Seconds() < 0.5 || pcm.Seconds() > 5 {
		t.Errorf("got %s of %.2f s, want %s of 0.5–5 s", f, pcm.Seconds(), want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
