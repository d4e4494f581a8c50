package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
)

func inspectJSON(t *testing.T, stdin []byte, args ...string) map[string]any {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: bytes.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), env, append([]string{"inspect"}, args...)); code != 0 {
		t.Fatalf("inspect exit %d: %s", code, stderr.String())
	}
	var m map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil {
		t.Fatalf("inspect output is not JSON: %v\n%s", err, stdout.String())
	}
	return m
}

func TestInspectAndConvert(t *testing.T) {
	in := speechtest.WAVs(t, "librispeech_1688")[0]
	m := inspectJSON(t, nil, in)
	for _, k := range []string{"duration_seconds", "speech_seconds", "sample_rate", "channels", "format",
		"loudness_lufs", "true_peak_dbtp", "snr_db", "clipping_ratio", "score", "warnings"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	if m["format"] != "wav" || m["sample_rate"] != 16000.0 || m["warnings"] == nil {
		t.Errorf("report %v", m)
	}

	out := filepath.Join(t.TempDir(), "out.mp3")
	var stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), env, []string{"convert", in, out, "--rate", "24000", "--loudness", "-16"}); code != 0 {
		t.Fatalf("convert exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	c := inspectJSON(t, data, "-")
	if c["format"] != "mp3" || c["sample_rate"] != 24000.0 {
		t.Errorf("converted: %v", c)
	}
	if d := c["duration_seconds"].(float64) - m["duration_seconds"].(float64); math.Abs(d) > 0.05 {
		t.Errorf("duration changed by %.3f s", d)
	}
	if l := c["loudness_lufs"].(float64); math.Abs(l+16) > 1 {
		t.Errorf("converted loudness %.2f, want ≈ -16", l)
	}
}

func TestConvertErrors(t *testing.T) {
	in := speechtest.WAVs(t, "cmuarctic_axb")[0]
	for name, args := range map[string][]string{
		"ErrFormat":   {"convert", in, filepath.Join(t.TempDir(), "x.doc")},
		"ErrRate":     {"convert", in, filepath.Join(t.TempDir(), "x.wav"), "--rate", "96000"},
		"ErrMissing":  {"convert", filepath.Join(t.TempDir(), "none.wav"), "x.wav"},
		"ErrArgs":     {"convert", in},
		"ErrNotAudio": {"inspect", "cmd_inspect.go"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
			if code := run(context.Background(), env, args); code == 0 {
				t.Errorf("exit 0, want failure")
			}
		})
	}
}
