package codec

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestMPEG2MatchesFFmpeg decodes real speech that lame wrote as MPEG-2
// (22.05 kHz, what it picks at 32 kbit/s) and MPEG-2.5 (8 kHz) layer III,
// as a phone or a voice-memo app uploads it. go-mp3 garbles these, so
// Decode must hand them to ffmpeg: its output has to match ffmpeg's own
// decoding of the same bytes, not merely sound like speech.
func TestMPEG2MatchesFFmpeg(t *testing.T) {
	speakers := speechtest.Speakers(t)
	for _, tc := range []struct {
		name, kbps, resample string
		rate                 int
	}{
		{"mpeg2_22k_32kbps", "32", "22.05", 22050},
		{"mpeg25_8k_16kbps", "16", "8", 8000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, sp := range []string{speakers[0], speakers[len(speakers)-1]} {
				src := speechtest.WAVs(t, sp)[0]
				data := lameEncode(t, src, "-b", tc.kbps, "--resample", tc.resample, "-m", "m")
				got, f, err := Decode(context.Background(), data)
				if err != nil || f != audio.FormatMP3 {
					t.Fatalf("%s: format %q, err %v", sp, f, err)
				}
				want := ffmpegDecode(t, data)
				if got.Rate != tc.rate || got.Channels != 1 || got.Rate != want.Rate {
					t.Fatalf("%s: %d Hz %d ch, want %d Hz mono (ffmpeg: %d Hz)", sp, got.Rate, got.Channels, tc.rate, want.Rate)
				}
				if d := got.Frames() - want.Frames(); d < -2 || d > 2 {
					t.Errorf("%s: %d frames, ffmpeg %d", sp, got.Frames(), want.Frames())
				}
				c := correlation(got.Samples, want.Samples)
				if old, err := decodeMP3(data); err == nil {
					t.Logf("%s: correlation with ffmpeg %.4f (go-mp3: %.4f, %.3f s)", sp, c, correlation(old.Samples, want.Samples), old.Seconds())
				} else {
					t.Logf("%s: correlation with ffmpeg %.4f (go-mp3: %v)", sp, c, err)
				}
				if c < 0.95 {
					t.Errorf("%s: decode correlates %.3f with ffmpeg's, want ≥ 0.95", sp, c)
				}
				// The length is the recording's, give or take what lame's
				// resampler adds and its LAME tag does not record (go-mp3
				// returns the same 0.06 s more at 22.05 kHz).
				orig := speechtest.Load(t, src)
				if d := got.Seconds() - orig.Seconds(); d < -0.01 || d > 0.2 {
					t.Errorf("%s: %.3f s decoded, recording is %.3f s", sp, got.Seconds(), orig.Seconds())
				}
			}
		})
	}
}

// TestMPEG2JunkIsCorrupt is the hostile upload in MPEG-2 form: valid
// 22.05 kHz frame headers with random bytes behind them must be refused
// by the frame scan as corrupt (a 422), before ffmpeg is asked, and a
// failing ffmpeg must be reported as corrupt too.
func TestMPEG2JunkIsCorrupt(t *testing.T) {
	junk := speechtest.GarbageMP3(200_000, 3)
	// MPEG-2 (version bits 10), layer III, no CRC, 32 kbit/s, 22.05 kHz: 104-byte frames.
	const header, frameLen = 0xFFF34000, 72000 * 32 / 22050
	for off := 0; off+4 <= len(junk); off += frameLen {
		junk[off], junk[off+1], junk[off+2], junk[off+3] = header>>24, header>>16&0xff, header>>8&0xff, header&0xff
	}
	if mp3IsMPEG1(junk) {
		t.Fatal("the junk should be MPEG-2: the test would prove nothing")
	}
	asked := false
	fake := &fakeRunner{run: func([]byte, []string) ([]byte, error) {
		asked = true
		return nil, &ffmpeg.Error{ExitCode: 1, Err: errors.New("exit status 1")}
	}}
	_, _, err := (&Codec{FFmpeg: fake}).Decode(context.Background(), junk)
	if !errors.Is(err, audio.ErrCorrupt) || asked {
		t.Errorf("junk: err %v, ffmpeg asked %v; want ErrCorrupt from the scan", err, asked)
	}
	// Frames that pass the scan but that ffmpeg fails on.
	src := speechtest.WAVs(t, speechtest.Speakers(t)[0])[0]
	data := lameEncode(t, src, "-b", "32", "--resample", "22.05", "-m", "m")
	_, _, err = (&Codec{FFmpeg: fake}).Decode(context.Background(), data)
	if !errors.Is(err, audio.ErrCorrupt) || !asked {
		t.Errorf("ffmpeg failing: err %v, asked %v; want ErrCorrupt from ffmpeg", err, asked)
	}
}

// lameEncode runs the lame program on a WAV file, writing to a file so the
// LAME tag carries the encoder delay and padding.
func lameEncode(t *testing.T, wavPath string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "x.mp3")
	if b, err := exec.Command("lame", append(append([]string{"--quiet"}, args...), wavPath, out)...).CombinedOutput(); err != nil {
		t.Fatalf("lame: %v %s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func ffmpegDecode(t *testing.T, data []byte) *audio.PCM {
	t.Helper()
	out := filepath.Join(t.TempDir(), "x.wav")
	in := filepath.Join(t.TempDir(), "x.mp3")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("ffmpeg", "-loglevel", "error", "-i", in, "-c:a", "pcm_s16le", out).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := wav.DecodeBytes(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
