package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/prep"
)

// TestReadmeCommands keeps the README's command table and configuration
// table in step with the commands map and the variables LoadConfig reads.
func TestReadmeCommands(t *testing.T) {
	readme := readmeSection(t, "## Commands")
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z]+)` \\|").FindAllStringSubmatch(readme, -1) {
		listed = append(listed, m[1])
	}
	var have []string
	for name := range commands {
		have = append(have, name)
	}
	slices.Sort(listed)
	slices.Sort(have)
	if !slices.Equal(listed, have) {
		t.Errorf("README lists commands %v; the binary has %v", listed, have)
	}
}

func TestReadmeConfiguration(t *testing.T) {
	readme := readmeSection(t, "## Configuration")
	// Every variable read outside the tests, by getenv or the helpers
	// that read one (duration, days, count).
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	env, err := os.ReadFile(filepath.Join("..", "..", ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	vars := regexp.MustCompile(`(?:getenv|duration|days|count)\((?:getenv, )?"(VOXCLONE_[A-Z_]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(vars) < 8 {
		t.Fatalf("found only %d variables in config.go", len(vars))
	}
	for _, v := range vars {
		if !strings.Contains(readme, "`"+v[1]+"`") {
			t.Errorf("%s is not in the README's configuration table", v[1])
		}
		if !strings.Contains(string(env), v[1]+"=") {
			t.Errorf("%s is not in .env.example", v[1])
		}
	}
}

// readmeSection returns the README from heading to the next "## ".
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), heading+"\n")
	if !ok {
		t.Fatalf("README has no %q section", heading)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// TestReadmeRoutes fails when a path of the native API's OpenAPI document
// (which TestOpenAPIMatchesRoutes keeps in step with the route table) is
// not in the README's API section, where users look for the routes.
func TestReadmeRoutes(t *testing.T) {
	api := readmeSection(t, "## API")
	raw, err := os.ReadFile(filepath.Join("..", "..", "internal", "httpapi", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for path := range doc.Paths {
		// The path alone, not the start of a longer one.
		if !regexp.MustCompile(regexp.QuoteMeta(path) + `([^\w/{}]|$)`).MatchString(api) {
			t.Errorf("%s is not in the README's API section", path)
		}
	}
}

// TestReadmeLayout fails when a Go package directory is missing from the
// README's one-line-per-directory map.
func TestReadmeLayout(t *testing.T) {
	layout := readmeSection(t, "## Layout")
	root := filepath.Join("..", "..")
	for _, top := range []string{"cmd", "internal"} {
		filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() || d.Name() == "testdata" {
				return nil
			}
			if !hasGoSource(path) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			if !strings.Contains(layout, "\n"+filepath.ToSlash(rel)+"/ ") {
				t.Errorf("%s/ is not in the README's layout", rel)
			}
			return nil
		})
	}
}

// hasGoSource reports whether dir holds a non-test Go file.
func hasGoSource(dir string) bool {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			return true
		}
	}
	return false
}

// TestCIRequiresEverySuite: every suite that skips when a dependency is
// missing has a VOXCLONE_TEST_*=required switch; .ci/run must set each, so
// CI fails rather than skips, and the README must name each.
func TestCIRequiresEverySuite(t *testing.T) {
	root := filepath.Join("..", "..")
	switches := map[string]bool{}
	name := regexp.MustCompile(`"(VOXCLONE_TEST_[A-Z]+)"`)
	filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(src), `== "required"`) {
			return err
		}
		for _, m := range name.FindAllStringSubmatch(string(src), -1) {
			switches[m[1]] = true
		}
		return nil
	})
	for _, want := range []string{"VOXCLONE_TEST_POSTGRES", "VOXCLONE_TEST_BROWSER", "VOXCLONE_TEST_SPEECH"} {
		if !switches[want] {
			t.Errorf("no test reads %s=required any more; found %v", want, switches)
		}
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	tests := readmeSection(t, "## Tests")
	for s := range switches {
		if !regexp.MustCompile(`(?m)^export ` + s + `=required$`).Match(ci) {
			t.Errorf(".ci/run does not export %s=required", s)
		}
		if !strings.Contains(tests, "`"+s+"=required`") {
			t.Errorf("the README's Tests section does not explain %s=required", s)
		}
	}
}

// TestReadmeSpeechAdvice: the quick start asks for a sample in seconds of
// speech, with the numbers the quality report uses, so a sample inside the
// advice gets no "little speech" warning.
func TestReadmeSpeechAdvice(t *testing.T) {
	section := readmeSection(t, "## Quick start with curl")
	intro, _, _ := strings.Cut(section, "```")
	intro = strings.Join(strings.Fields(intro), " ")
	for _, want := range []string{
		fmt.Sprintf("at least %.0f s of speech", prep.MinSpeechSeconds),
		fmt.Sprintf("%.0f s or more of speech works best", prep.RecommendedSpeechSeconds),
		"little speech", "Pauses do not count",
	} {
		if !strings.Contains(intro, want) {
			t.Errorf("the quick start's advice %q lacks %q", intro, want)
		}
	}
}
