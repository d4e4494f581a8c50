package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/voice"
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
	in := speechFile(t, t.TempDir(), "reading", "slt", 12)
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

// TestConvertErrors checks each refusal says what is wrong, in words for
// people, exits 2 for a wrong call and 1 for input it cannot use, and
// writes no output file.
func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	in := speechFile(t, t.TempDir(), "short", "slt", 2)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string // in standard error
	}{
		{"ErrFormat", []string{"convert", in, filepath.Join(dir, "x.doc")}, 2, "voxclone convert: " + filepath.Join(dir, "x.doc") + ": cannot write .doc files; name the output .wav,"},
		{"ErrRate", []string{"convert", in, filepath.Join(dir, "x.wav"), "--rate", "96000"}, 2, "voxclone convert: Sample rate must be between 8000 and 48000 Hz, or 0 for the default."},
		{"ErrMissing", []string{"convert", filepath.Join(dir, "none.wav"), filepath.Join(dir, "y.wav")}, 1, "voxclone convert: " + filepath.Join(dir, "none.wav") + ": no such file or directory"},
		{"ErrArgs", []string{"convert", in}, 2, "voxclone convert: need IN and OUT\nRun 'voxclone convert -h' for usage."},
		{"ErrNotAudio", []string{"inspect", "cmd_inspect.go"}, 1, "voxclone inspect: cmd_inspect.go: Unsupported audio format; supported: WAV, MP3, FLAC, Ogg (Opus or Vorbis), WebM, M4A/MP4, 3GP, AAC."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
			if code := run(context.Background(), env, tt.args); code != tt.code || !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want %d and %q", code, stdout.Len(), stderr.String(), tt.code, tt.want)
			}
		})
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("failed conversions left %d files, e.g. %s", len(files), files[0].Name())
	}
}

// TestInspectProfile clones a speaker, inspects the profile by file and on
// standard input, and checks that damaged profiles fail with a clear
// error. The file is named .wav to show detection goes by content.
func TestInspectProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "me.wav")
	var stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := run(context.Background(), env, []string{"clone", "-o", prof, speechFile(t, dir, "reading", "slt", 30)}); code != 0 {
		t.Fatalf("clone exit %d: %s", code, stderr.String())
	}
	data := mustRead(t, prof)
	m := inspectJSON(t, nil, prof)
	for _, k := range []string{"hints", "params_hash", "current_analysis", "speech_seconds", "quality_score", "snr_db", "pitch", "base", "pool"} {
		if _, ok := m[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	pitch, base, pool := m["pitch"].(map[string]any), m["base"].(map[string]any), m["pool"].(map[string]any)
	if hz := pitch["median_hz"].(float64); hz < 140 || hz > 320 {
		t.Errorf("median F0 %.1f Hz for a female speaker", hz)
	}
	if base["voice"] != "slt" || pool["phones_total"] != 39.0 || len(pool["phones"].(map[string]any)) != 39 || m["current_analysis"] != true {
		t.Errorf("summary %v", m)
	}
	if again := inspectJSON(t, data, "-"); !reflect.DeepEqual(again, m) {
		t.Error("the summary of standard input differs from the file's")
	}

	for name, bad := range map[string][]byte{
		"Truncated": data[:len(data)/2],
		"BitFlip":   flipByte(data, 100),
		"MagicOnly": []byte("VXCP"),
		"BadValue":  withNaNPitch(t, data),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".voice")
			if err := os.WriteFile(path, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: env.Getenv}
			code := run(context.Background(), env, []string{"inspect", path})
			want := "voxclone inspect: " + path + ": not a voice profile, or a damaged one: make it again with voxclone clone\n"
			if code != 1 || stdout.Len() != 0 || stderr.String() != want {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
			}
		})
	}
	t.Run("Binary", func(t *testing.T) {
		if testing.Short() {
			t.Skip("builds the binary")
		}
		inspectBinary(t, buildBinary(t), prof, filepath.Join(dir, "Truncated.voice"))
	})
}

// inspectBinary runs the built binary on a good and a damaged profile.
func inspectBinary(t *testing.T, bin, good, damaged string) {
	out, err := exec.Command(bin, "inspect", good).Output()
	var s voice.Summary
	if err != nil || json.Unmarshal(out, &s) != nil || s.Pool == nil || s.Pitch.MedianHz == 0 {
		t.Errorf("inspect %s: %v\n%s", good, err, out)
	}
	out, err = exec.Command(bin, "inspect", damaged).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "not a voice profile, or a damaged one") || strings.Contains(string(out), "panic") {
		t.Errorf("inspect %s: %v\n%s", damaged, err, out)
	}
}

func flipByte(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x10
	return c
}

// withNaNPitch re-encodes a profile with a NaN pitch median: the checksum
// is valid, so only the parser's range checks can refuse it.
func withNaNPitch(t *testing.T, b []byte) []byte {
	t.Helper()
	var p voice.Profile
	if err := p.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	p.Prosody.LogF0Median = float32(math.NaN())
	out, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
