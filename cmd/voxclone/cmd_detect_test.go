package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDetectTooLong: detect refuses a file longer than an upload may be,
// from its headers, before decoding it: 4,000 samples at 1 Hz are an 8-KB
// WAV of 67 minutes, which the detector would resample to 32 million
// samples at 8 kHz (gigabytes of work). Six minutes are checked.
func TestDetectTooLong(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "VOXCLONE_DATA_DIR" {
			return dir
		}
		return ""
	}
	for _, c := range []struct {
		name   string
		rate   int
		frames int
		ok     bool
	}{{"long", 1, 4000, false}, {"six", 8000, 8000 * 360, true}} {
		path := filepath.Join(dir, c.name+".wav")
		if err := os.WriteFile(path, pcmWAV(c.rate, c.frames), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: getenv}
		start := time.Now()
		code := run(context.Background(), env, []string{"detect", path})
		if c.ok && code != 0 {
			t.Errorf("%s: exit %d: %s", c.name, code, stderr.String())
		}
		if !c.ok && (code == 0 || !strings.Contains(stderr.String(), "67 minutes") || time.Since(start) > 5*time.Second) {
			t.Errorf("%s: exit %d after %v, stdout %q, stderr %q; want a refusal at once naming the length",
				c.name, code, time.Since(start), stdout.String(), stderr.String())
		}
	}
}

// pcmWAV is a 16-bit mono WAV file of silence.
func pcmWAV(rate, frames int) []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + 2*frames))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(1))
	le(uint32(rate))
	le(uint32(2 * rate))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(2 * frames))
	b.Write(make([]byte, 2*frames))
	return b.Bytes()
}
