package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInputBounds: no command of the built binary reads more than it can
// use. Endless standard input is refused once what has come proves it too
// long (a voice profile past the 8 MB a profile can be, WAV and MP3 past
// the samples the decoder keeps, a FLAC whose header declares more than
// detect checks), and sparse files of hundreds of megabytes from their
// head and size, before the rest is read. Before, inspect and convert read
// up to 512 MB, clone and say read a file whole whatever its size, and
// detect read a FLAC whole before measuring it.
func TestInputBounds(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	flacHead := append([]byte("fLaC\x80\x00\x00\x22"), make([]byte, 34)...)
	binary.BigEndian.PutUint64(flacHead[18:], 44100<<44|15<<36|44100*400) // 400 s declared
	cdWAV := wavHeader(44100, 2)
	mp3Frame := make([]byte, 417)
	copy(mp3Frame, []byte{0xFF, 0xFB, 0x90, 0x64}) // MPEG-1 layer III, 128 kbit/s, 44.1 kHz stereo
	for _, c := range []struct {
		name    string
		args    []string
		in      *endless
		maxRead int64
		want    string
	}{
		{"InspectProfile", []string{"inspect", "-"}, &endless{head: []byte("VXCP\x01\x00"), unit: make([]byte, 4096)},
			8<<20 + 2<<20, "larger than 8 MB, the most a voice profile can be"},
		{"InspectWAV", []string{"inspect", "-"}, &endless{head: cdWAV, unit: make([]byte, 4096)},
			4<<25/2 + 2<<20, "longer than voxclone decodes"},
		{"ConvertMP3", []string{"convert", "-", filepath.Join(dir, "out.wav")}, &endless{unit: mp3Frame},
			(1<<25)/88200*40000 + 3<<20, "longer than voxclone decodes"},
		{"DetectFLAC", []string{"detect", "-"}, &endless{head: flacHead, unit: make([]byte, 4096)},
			1 << 20, "at least 7 minutes long"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			cmd.Env = []string{"VOXCLONE_DATA_DIR=" + t.TempDir()}
			cmd.Stdin = c.in
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			if err == nil || !strings.Contains(stderr.String(), c.want) || c.in.read > c.maxRead || took > 20*time.Second {
				t.Errorf("voxclone %s on endless input: %v after %v and %d bytes read (at most %d wanted); stderr %q, want it to say %q",
					strings.Join(c.args, " "), err, took, c.in.read, c.maxRead, stderr.String(), c.want)
			}
			t.Logf("refused after %v, %d bytes read: %s", took, c.in.read, strings.TrimSpace(stderr.String()))
		})
	}

	sparse := func(name string, head []byte, size int64) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, head, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, size); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		return path
	}
	hugeWAV := sparse("huge.wav", cdWAV, 600<<20)
	hugeProfile := sparse("huge.voice", []byte("VXCP\x01\x00"), 300<<20)
	sample := filepath.Join(dir, "sample.wav")
	if err := os.WriteFile(sample, pcmWAV(16000, 16000), 0o600); err != nil {
		t.Fatal(err)
	}
	hugeText := sparse("huge.txt", []byte("hello"), 100<<20)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"InspectWAV", []string{"inspect", hugeWAV}, "huge.wav: at least 60 minutes of 44100 Hz audio"},
		{"InspectProfile", []string{"inspect", hugeProfile}, "huge.voice: larger than 8 MB"},
		{"ConvertWAV", []string{"convert", hugeWAV, filepath.Join(dir, "out.mp3")}, "longer than voxclone decodes"},
		{"CloneSample", []string{"clone", "-o", filepath.Join(dir, "x.voice"), hugeWAV}, "huge.wav: at least 60 minutes"},
		{"CloneTranscript", []string{"clone", "-o", filepath.Join(dir, "x.voice"), "--transcript", hugeText, sample}, "huge.txt: larger than 20000 bytes"},
		{"SayProfile", []string{"say", "-v", hugeProfile, "-o", filepath.Join(dir, "x.wav"), "hello"}, "huge.voice: larger than 8 MB"},
	} {
		t.Run("Sparse"+c.name, func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			cmd.Env = []string{"VOXCLONE_DATA_DIR=" + t.TempDir()}
			start := time.Now()
			out, err := cmd.CombinedOutput()
			if took := time.Since(start); err == nil || !strings.Contains(string(out), c.want) || took > 10*time.Second {
				t.Errorf("voxclone %s: %v after %v, output %q; want a refusal at once saying %q",
					strings.Join(c.args, " "), err, took, out, c.want)
			}
		})
	}
}

// wavHeader is the header of a 16-bit WAV whose data runs to the end of
// the file (its size left unknown, as streaming writers leave it).
func wavHeader(rate, channels int) []byte {
	h := pcmWAV(rate, 0)
	binary.LittleEndian.PutUint16(h[22:], uint16(channels))
	binary.LittleEndian.PutUint32(h[28:], uint32(2*rate*channels))
	binary.LittleEndian.PutUint16(h[32:], uint16(2*channels))
	binary.LittleEndian.PutUint32(h[40:], 0xFFFFFFFF)
	return h
}
