package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// events writes `go test -json` lines for pkg: one per (action, test,
// output) triple.
func events(pkg string, evs ...[3]string) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(`{"Action":"` + e[0] + `","Package":"` + pkg + `"`)
		if e[1] != "" {
			b.WriteString(`,"Test":"` + e[1] + `"`)
		}
		if e[2] != "" {
			b.WriteString(`,"Output":` + quote(e[2]))
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(s) + `"`
}

const pkg = module + "internal/x"

// race is a run under -race: one pass, one failure, two skips (one of
// which the plain run below runs), and a test a timeout cut short.
var race = events(pkg,
	[3]string{"run", "TestOK", ""}, [3]string{"output", "TestOK", "=== RUN   TestOK\n"}, [3]string{"pass", "TestOK", ""},
	[3]string{"output", "TestBad", "=== RUN   TestBad\n"}, [3]string{"output", "TestBad", "    x_test.go:9: boom\n"},
	[3]string{"output", "TestBad", "--- FAIL: TestBad (0.00s)\n"}, [3]string{"fail", "TestBad", ""},
	[3]string{"output", "TestSlow", "    x_test.go:12: slow under -race\n"}, [3]string{"output", "TestSlow", "--- SKIP: TestSlow (0.00s)\n"}, [3]string{"skip", "TestSlow", ""},
	[3]string{"output", "TestSpeech", "    x_test.go:20: speechtest: needs the real speech set\n"}, [3]string{"skip", "TestSpeech", ""},
	[3]string{"output", "TestRaceOnly", "    z_test.go:1: slow under -race\n"}, [3]string{"skip", "TestRaceOnly", ""},
	[3]string{"output", "TestHang", "=== RUN   TestHang\n"},
	[3]string{"output", "", "panic: test timed out after 1s\n"},
	[3]string{"output", "", "PASS\n"}, [3]string{"output", "", "FAIL\t" + pkg + "\t1.0s\n"}, [3]string{"fail", "", ""},
) + "# not an event\n"

var plain = events(pkg, [3]string{"pass", "TestSlow", ""},
	[3]string{"output", "TestRaceOnly", "    z_test.go:1: speechtest: needs the real speech set\n"}, [3]string{"skip", "TestRaceOnly", ""},
	[3]string{"output", "TestSpeech", "    x_test.go:20: speechtest: needs the real speech set\n"}, [3]string{"skip", "TestSpeech", ""},
	[3]string{"output", "TestOther", "    y_test.go:3: speechtest: needs the real speech set\n"}, [3]string{"skip", "TestOther", ""})

func TestRelay(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := relay(strings.NewReader(race), &out, filepath.Join(dir, "race.jsonl")); err != nil {
		t.Fatal(err)
	}
	want := "=== RUN   TestBad\n    x_test.go:9: boom\n--- FAIL: TestBad (0.00s)\n" +
		"panic: test timed out after 1s\nFAIL\t" + pkg + "\t1.0s\n=== RUN   TestHang\n# not an event\n"
	if out.String() != want {
		t.Errorf("relay printed\n%s\nwant\n%s", out.String(), want)
	}
	if err := relay(strings.NewReader(plain), &bytes.Buffer{}, filepath.Join(dir, "plain.jsonl")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := summarise(&out, []string{filepath.Join(dir, "race.jsonl"), filepath.Join(dir, "plain.jsonl")}); err != nil {
		t.Fatal(err)
	}
	// TestRaceOnly skipped in both runs: it counts under the plain run's
	// reason.
	want = "3 tests skipped (go test -v shows each):\n" +
		"    3  speechtest: needs the real speech set\n       in internal/x (3)\n"
	if out.String() != want {
		t.Errorf("summary\n%s\nwant\n%s", out.String(), want)
	}
}

func TestSummariseNothingSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	if err := os.WriteFile(path, []byte(`{"package":"p","test":"TestA","action":"pass"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := summarise(&out, []string{path}); err != nil || out.String() != "No test was skipped.\n" {
		t.Errorf("summary %q, %v", out.String(), err)
	}
}

func TestSkipReason(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  string
	}{
		{[]string{"=== RUN   TestA\n", "    a_test.go:3: first\n", "    a_test.go:4: needs chromium\n", "--- SKIP: TestA (0.00s)\n"}, "needs chromium"},
		{[]string{"--- SKIP: TestA (0.00s)\n"}, "(no reason given)"},
	} {
		if got := skipReason(tc.lines); got != tc.want {
			t.Errorf("skipReason(%q) = %q, want %q", tc.lines, got, tc.want)
		}
	}
}
