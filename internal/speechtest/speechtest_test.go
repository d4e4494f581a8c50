package speechtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// inChild reports whether this test binary is the child that child
// started; there, the test at hand asks for the speech set twice, as two
// tests of one package would.
func inChild(t *testing.T) bool {
	if os.Getenv("SPEECHTEST_CHILD") != "1" {
		return false
	}
	t.Run("First", func(t *testing.T) { Dir(t) })
	t.Run("Second", func(t *testing.T) { Dir(t) })
	return true
}

// child runs the calling test again in a fresh test binary with extra
// environment and returns its verbose output: a skip or failure there ends
// the child's test, not this one.
func child(t *testing.T, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), append(env, "SPEECHTEST_CHILD=1")...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestDirFound(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DirEnv, dir)
	t.Setenv(RequiredEnv, "required")
	if got := Dir(t); got != dir {
		t.Errorf("Dir = %q, want %q", got, dir)
	}
}

// TestDirMissingSkips: without the set, tests skip; the first skip of a
// package explains in one line (the variable, the public corpora), the
// later ones say it briefly.
func TestDirMissingSkips(t *testing.T) {
	if inChild(t) {
		return
	}
	out, err := child(t, DirEnv+"=/nonexistent/speech", RequiredEnv+"=")
	if err != nil || strings.Count(out, "--- SKIP: TestDirMissingSkips/") != 2 {
		t.Fatalf("err %v, output:\n%s", err, out)
	}
	first, second := skipMessage(out, "First"), skipMessage(out, "Second")
	for _, want := range []string{DirEnv + "=/nonexistent/speech", "LibriSpeech", "VCTK", "CMU ARCTIC", "LJ Speech", "README"} {
		if !strings.Contains(first, want) {
			t.Errorf("first skip %q does not mention %q", first, want)
		}
	}
	if second != "speechtest: needs the real speech set (VOXCLONE_SPEECH_DIR)" {
		t.Errorf("second skip says %q", second)
	}
}

// skipMessage returns the line a subtest of the child logged.
func skipMessage(out, name string) string {
	_, rest, _ := strings.Cut(out, "=== RUN   TestDirMissingSkips/"+name+"\n")
	line, _, _ := strings.Cut(rest, "\n")
	_, msg, _ := strings.Cut(line, ": ")
	return strings.TrimSpace(msg)
}

// TestDirRequired: with the set required but missing, tests fail.
func TestDirRequired(t *testing.T) {
	if inChild(t) {
		return
	}
	out, err := child(t, DirEnv+"=/nonexistent/speech", RequiredEnv+"=required")
	if err == nil || !strings.Contains(out, "--- FAIL: TestDirRequired/First") ||
		!strings.Contains(out, RequiredEnv+"=required but no real speech set at "+DirEnv+"=/nonexistent/speech") {
		t.Errorf("required and missing: err %v, output:\n%s", err, out)
	}
}

func TestSynthetic(t *testing.T) {
	p, text := Synthetic(t, "slt", 12)
	if p.Rate != 16000 || p.Channels != 1 || p.Seconds() < 12 || p.Seconds() > 20 {
		t.Errorf("got %d Hz, %d ch, %.1f s", p.Rate, p.Channels, p.Seconds())
	}
	if !strings.HasPrefix(text, passage[0]+" "+passage[1]) {
		t.Errorf("text %q does not start with the passage", text)
	}
	again, _ := Synthetic(t, "slt", 12)
	again.Samples[0] = 1
	if third, _ := Synthetic(t, "slt", 12); third.Samples[0] == 1 || len(third.Samples) != len(p.Samples) {
		t.Error("Synthetic hands out its cached samples")
	}
	wav, _ := SyntheticWAV(t, "kal16", 3)
	if string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" {
		t.Errorf("SyntheticWAV made %q…", wav[:12])
	}
}
