package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// profileFile clones a voice from 12 s of speech into dir and returns the
// profile's path.
func profileFile(t *testing.T, dir string) string {
	t.Helper()
	prof := filepath.Join(dir, "me.voice")
	if code, _, errb := runCLI(t, "", "clone", speechFile(t, dir, "me", "slt", 12), "-o", prof); code != 0 {
		t.Fatalf("clone: exit %d: %s", code, errb)
	}
	return prof
}

// TestSayValidates: out-of-range options are refused before any work,
// with exit status 2 and the API's own message for the same value.
func TestSayValidates(t *testing.T) {
	dir := t.TempDir()
	prof := profileFile(t, dir)
	out := filepath.Join(dir, "out.wav")
	three, minusOne := 3.0, -1.0
	for _, tc := range []struct {
		flags []string
		api   error // what the API answers for the same value
	}{
		{[]string{"-speed", "5"}, app.CheckVoiceOptions(5, 0, nil)},
		{[]string{"-speed", "0"}, app.CheckVoiceOptions(0, 0, nil)},
		{[]string{"-speed", "-1"}, app.CheckVoiceOptions(-1, 0, nil)},
		{[]string{"-pitch", "99"}, app.CheckVoiceOptions(1, 99, nil)},
		{[]string{"-similarity", "3"}, app.CheckVoiceOptions(1, 0, &three)},
		{[]string{"-similarity", "-1"}, app.CheckVoiceOptions(1, 0, &minusOne)},
		{[]string{"-loudness", "6"}, nil},
	} {
		args := append([]string{"say", "-v", prof, "-o", out}, append(tc.flags, "Hello.")...)
		code, stdout, errb := runCLI(t, "", args...)
		want := "Loudness must be between -70 and 0 LUFS."
		if tc.api != nil {
			want = app.ErrorMessage(tc.api)
		}
		if code != 2 || stdout != "" || errb != "voxclone say: "+want+"\n" {
			t.Errorf("say %s: exit %d, stderr %q; want 2 and %q", strings.Join(tc.flags, " "), code, errb, want)
		}
	}
	if want := "Speed must be between 0.5 and 2."; app.ErrorMessage(app.CheckVoiceOptions(5, 0, nil)) != want {
		t.Errorf("the API's speed message changed: %q", app.ErrorMessage(app.CheckVoiceOptions(5, 0, nil)))
	}
	// In range, flags after the text, and "--" making a flag-like word text.
	if code, _, errb := runCLI(t, "", "say", "Good", "morning.", "-v", prof, "-o", out, "-speed", "2", "-similarity", "0"); code != 0 {
		t.Errorf("say with flags after the text: exit %d: %s", code, errb)
	}
	if code, _, errb := runCLI(t, "", "say", "-v", prof, "-o", out, "--", "-speed", "is", "a", "word"); code != 0 {
		t.Errorf("say -- -speed: exit %d: %s", code, errb)
	}
}

// TestCloneTooLittleSpeech: a 2 s clip is refused saying how much speech
// there is and how much is needed, as the API and inspect do.
func TestCloneTooLittleSpeech(t *testing.T) {
	dir := t.TempDir()
	code, _, errb := runCLI(t, "", "clone", speechFile(t, dir, "hello", "slt", 2), "-o", filepath.Join(dir, "x.voice"))
	if code != 1 || !regexp.MustCompile(`^voxclone clone: too little speech: [0-9.]+ s in all, need at least 10 s \(30 s or more works best; pauses do not count\)\n$`).MatchString(errb) {
		t.Errorf("exit %d, stderr %q", code, errb)
	}
}

// TestFlagsAnywhere: every command takes its flags before, between or
// after its arguments ("clone in.wav -o x.voice").
func TestFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	in := speechFile(t, dir, "in", "slt", 12)
	for _, args := range [][]string{
		{"clone", in, "-o", filepath.Join(dir, "a.voice")},
		{"clone", "-o", filepath.Join(dir, "b.voice"), in},
		{"convert", in, filepath.Join(dir, "x.flac"), "-rate", "16000", "-loudness", "-23"},
		{"convert", in, "--bitrate", "32", filepath.Join(dir, "x.mp3")},
	} {
		if code, _, errb := runCLI(t, "", args...); code != 0 {
			t.Errorf("voxclone %s: exit %d: %s", strings.Join(args, " "), code, errb)
		}
	}
}

func TestInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args, pos []string
		o         string
		quiet     bool
	}{
		{[]string{"a", "-o", "x", "b"}, []string{"a", "b"}, "x", false},
		{[]string{"-q", "a", "-o=x", "b", "-q"}, []string{"a", "b"}, "x", true},
		{[]string{"a", "--", "-o", "x"}, []string{"a", "-o", "x"}, "", false},
		{[]string{"-o", "--", "a", "-q"}, []string{"a"}, "--", true}, // "--" as -o's value
		{[]string{"-q", "--", "-", "--"}, []string{"-", "--"}, "", true},
	} {
		env, _, _ := testEnv(t)
		fs := newFlags(env, "test", "usage: test")
		o := fs.String("o", "", "")
		q := fs.Bool("q", false, "")
		pos, err := fs.parse(tc.args)
		if err != nil || !reflect.DeepEqual(pos, tc.pos) || *o != tc.o || *q != tc.quiet {
			t.Errorf("parse(%q) = %q, -o %q, -q %v, %v; want %q, %q, %v", tc.args, pos, *o, *q, err, tc.pos, tc.o, tc.quiet)
		}
	}
}

// TestErrorsForPeople: each failure says once what is wrong and what to
// do, without Go package prefixes, with exit 2 for a wrong call and 1 for
// input that cannot be used.
func TestErrorsForPeople(t *testing.T) {
	dir := t.TempDir()
	in := speechFile(t, dir, "in", "slt", 2)
	notAudio := filepath.Join(dir, "fake.wav")
	if err := os.WriteFile(notAudio, []byte("Dear diary, no audio today.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"clone", notAudio, "-o", filepath.Join(dir, "x.voice")}, 1,
			"voxclone clone: " + notAudio + ": Unsupported audio format; supported: WAV, MP3, FLAC, Ogg (Opus or Vorbis), WebM, M4A/MP4, 3GP, AAC.\n"},
		{[]string{"convert", in, filepath.Join(dir, "me.m4a")}, 2,
			"voxclone convert: " + filepath.Join(dir, "me.m4a") + ": cannot write .m4a files; name the output .wav, .mp3, .flac, .ogg, .opus, .aac, .pcm or .ulaw, or - for WAV on standard output\n"},
		{[]string{"convert", in, filepath.Join(dir, "noext")}, 2,
			"voxclone convert: " + filepath.Join(dir, "noext") + ": cannot write files without an extension; name the output .wav, .mp3, .flac, .ogg, .opus, .aac, .pcm or .ulaw, or - for WAV on standard output\n"},
		{[]string{"convert", in, filepath.Join(dir, "x.wav"), "--rate", "96000"}, 2,
			"voxclone convert: Sample rate must be between 8000 and 48000 Hz, or 0 for the default.\n"},
		{[]string{"convert", filepath.Join(dir, "none.wav"), filepath.Join(dir, "x.wav")}, 1,
			"voxclone convert: " + filepath.Join(dir, "none.wav") + ": no such file or directory\n"},
		{[]string{"convert", in}, 2, "voxclone convert: need IN and OUT\nRun 'voxclone convert -h' for usage.\n"},
		{[]string{"convert", "--frobnicate", in, "x.wav"}, 2, "voxclone convert: unknown flag -frobnicate\nRun 'voxclone convert -h' for usage.\n"},
		{[]string{"inspect", notAudio}, 1,
			"voxclone inspect: " + notAudio + ": Unsupported audio format; supported: WAV, MP3, FLAC, Ogg (Opus or Vorbis), WebM, M4A/MP4, 3GP, AAC.\n"},
		{[]string{"say", "-v", notAudio, "-o", filepath.Join(dir, "o.wav"), "hi"}, 1,
			"voxclone say: " + notAudio + ": not a voice profile, or a damaged one: make it again with voxclone clone\n"},
		{[]string{"say", "-o", filepath.Join(dir, "o.wav"), "hi"}, 2, "voxclone say: need -v PROFILE and -o FILE\nRun 'voxclone say -h' for usage.\n"},
	} {
		code, stdout, errb := runCLI(t, "", tc.args...)
		if code != tc.code || stdout != "" || errb != tc.want {
			t.Errorf("voxclone %s:\nexit %d, stderr %q\nwant %d, %q", strings.Join(tc.args, " "), code, errb, tc.code, tc.want)
		}
		if regexp.MustCompile(`\b(codec|voice|audio|app|ffmpeg): `).MatchString(errb) {
			t.Errorf("voxclone %s: a package prefix in %q", strings.Join(tc.args, " "), errb)
		}
	}
}

func TestStripPrefixes(t *testing.T) {
	for in, want := range map[string]string{
		"eval: /data: need at least two speakers": "/data: need at least two speakers",
		"codec: decoding mp3: audio: corrupt":     "decoding mp3: audio: corrupt",
		"voice: codec: x":                         "x",
		"VOXCLONE_ADDR: bad":                      "VOXCLONE_ADDR: bad",
	} {
		if got := stripPrefixes(in); got != want {
			t.Errorf("stripPrefixes(%q) = %q, want %q", in, got, want)
		}
	}
}
