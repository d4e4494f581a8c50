package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
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
		switch k {
		case "VOXCLONE_DATA_DIR":
			return dir
		case "VOXCLONE_WATERMARK_KEY": // detect needs the instance's key
			return strings.Repeat("k", 32)
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

// TestDetectNeedsTheKey: detect in a data directory without a watermark
// key, and no VOXCLONE_WATERMARK_KEY, refuses and says where it looked,
// rather than generating a key, which finds no mark: it used to answer
// "not watermarked" for any file, and leave the new key behind.
func TestDetectNeedsTheKey(t *testing.T) {
	env, stdout, stderr := testEnv(t)
	dir := env.Getenv("VOXCLONE_DATA_DIR")
	path := filepath.Join(dir, "clip.wav")
	if err := os.WriteFile(path, pcmWAV(8000, 8000), 0o600); err != nil {
		t.Fatal(err)
	}
	code := run(context.Background(), env, []string{"detect", path})
	keyFile := filepath.Join(dir, "watermark-key")
	if code == 0 || !strings.Contains(stderr.String(), "no watermark key") || !strings.Contains(stderr.String(), keyFile) {
		t.Errorf("detect without a key: exit %d, stdout %q, stderr %q; want a refusal naming %s", code, stdout.String(), stderr.String(), keyFile)
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Errorf("detect generated %s", keyFile)
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

// endless is an input that starts with head and then repeats unit for
// ever, counting what was read.
type endless struct {
	head, unit []byte
	read       int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		src := e.unit
		if e.read < int64(len(e.head)) {
			src = e.head[e.read:]
		} else {
			src = src[(e.read-int64(len(e.head)))%int64(len(src)):]
		}
		k := copy(p[n:], src)
		n += k
		e.read += int64(k)
	}
	return n, nil
}

// TestDetectRefusesBeforeReading: detect refuses input whose head and
// size prove it longer than 6 minutes without reading it all: a WAV or
// MP3 without end on standard input once 6 minutes' worth of bytes (at
// the WAV's byte rate, at MP3's highest bitrate) have come, and a 600-MB
// WAV file from its header and size alone, instead of reading up to
// 512 MB first.
func TestDetectRefusesBeforeReading(t *testing.T) {
	wavHeader := pcmWAV(8000, 0)
	binary.LittleEndian.PutUint32(wavHeader[40:], 0xFFFFFFFF) // data size unknown: to the end
	frame := make([]byte, 417)
	copy(frame, []byte{0xFF, 0xFB, 0x90, 0x64}) // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
	for _, c := range []struct {
		name    string
		in      *endless
		maxRead int64
	}{
		{"WAV", &endless{head: wavHeader, unit: make([]byte, 4096)}, 44 + 360*16000 + 2<<20},
		{"MP3", &endless{unit: frame}, 360*40000 + 3<<20},
	} {
		env, stdout, stderr := testEnv(t)
		env.Stdin = c.in
		code := run(context.Background(), env, []string{"detect", "-"})
		if code == 0 || !strings.Contains(stderr.String(), "at least") || !strings.Contains(stderr.String(), "minutes long") || c.in.read > c.maxRead {
			t.Errorf("%s without end: exit %d after reading %d bytes (at most %d wanted), stdout %q, stderr %q",
				c.name, code, c.in.read, c.maxRead, stdout.String(), stderr.String())
		}
	}

	path := filepath.Join(t.TempDir(), "huge.wav")
	if err := os.WriteFile(path, wavHeader, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 600<<20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "detect", path)
	if code == 0 || !strings.Contains(stderr, "at least 656 minutes long") {
		t.Errorf("600-MB WAV file: exit %d, stdout %q, stderr %q; want a refusal naming at least 656 minutes", code, stdout, stderr)
	}
}

// TestDetectNamesSynthesis: detect, run by the operator on the instance's
// data directory, names the synthesis a file came from, whoever's it is,
// as the API names it for its owner. Fifty seconds of clean MP3 are too
// little for the mark's bits to read alone (the CRC; 100 s were not
// enough either when measured), so detect named none before it matched
// the mark with the newest syntheses, as the API does.
func TestDetectNamesSynthesis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	s := startServer(t, buildBinary(t), dataDir(t))
	alice, bob := register(t, s.URL, "alice@example.com"), register(t, s.URL, "bob@example.com")
	var text strings.Builder
	for i := range 10 {
		fmt.Fprintf(&text, "Sentence %d of the report: the river rose slowly over the old stone bridge at night. ", i+1)
	}
	speak := func(c *client, text string) (string, []byte) {
		status, h, audio := c.do("POST", "/api/voice/synthesize", map[string]string{"voice": "slt", "text": text, "format": "mp3"})
		if status != 200 || h.Get("X-Synthesis-Id") == "" {
			t.Fatalf("synthesize: %d %s", status, audio)
		}
		return h.Get("X-Synthesis-Id"), audio
	}
	bob.do("POST", "/api/voice/synthesize", map[string]string{"voice": "slt", "text": "Another user's words."})
	id, audio := speak(alice, text.String())
	speak(bob, "And one more, made after it.")
	path := filepath.Join(t.TempDir(), "found.mp3")
	if err := os.WriteFile(path, audio, 0o600); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string {
		if k == "VOXCLONE_DATA_DIR" {
			return s.DataDir
		}
		return ""
	}}
	if code := run(context.Background(), env, []string{"detect", path}); code != 0 {
		t.Fatalf("detect: exit %d: %s", code, stderr.String())
	}
	var got detectAnswer
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || !got.Watermarked || got.SynthesisID != id || got.CreatedAt == nil {
		t.Errorf("detect = %s (%v); want watermarked, naming alice's synthesis %s", stdout.String(), err, id)
	}
}
