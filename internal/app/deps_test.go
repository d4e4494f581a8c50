package app_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestImportDirection keeps imports pointing one way: the service layer
// knows no HTTP or SQL, the storage adapters do not import each other, and
// the compatible APIs know no SQL or storage.
func TestImportDirection(t *testing.T) {
	const mod = "github.com/voxclone/voxclone/internal/"
	forbidden := map[string][]string{
		"app":      {"net/http", "database/sql", mod + "sqlite", mod + "postgres", mod + "blob", mod + "httpapi", mod + "jobs", "github.com/riverqueue/river"},
		"sqlite":   {"net/http", mod + "postgres", mod + "blob", mod + "httpapi", mod + "jobs"},
		"postgres": {"net/http", mod + "sqlite", mod + "blob", mod + "httpapi", mod + "jobs"},
		"blob":     {"net/http", "database/sql", mod + "sqlite", mod + "postgres", mod + "httpapi", mod + "jobs"},
		// S3 speaks HTTP through the SDK, but knows nothing of ours.
		"blob/s3blob":   {"database/sql", mod + "sqlite", mod + "postgres", mod + "httpapi", mod + "jobs"},
		"jobs":          {"net/http", mod + "sqlite", mod + "postgres", mod + "blob", mod + "httpapi"},
		"consent":       {"net/http", "database/sql", "encoding/json", mod + "app", mod + "httpapi"},
		"audio/speaker": {"net/http", "database/sql", "encoding/json", mod + "app", mod + "voice"},
		"watermark":     {"net/http", "database/sql", "encoding/json", mod + "app", mod + "voice"},
		// The compatible APIs translate to the service layer only.
		"compat/openai":     {"database/sql", mod + "sqlite", mod + "postgres", mod + "blob", mod + "httpapi", mod + "jobs", mod + "compat/elevenlabs"},
		"compat/elevenlabs": {"database/sql", mod + "sqlite", mod + "postgres", mod + "blob", mod + "httpapi", mod + "jobs", mod + "compat/openai"},
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command(goTool, "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		for _, b := range bad {
			if deps[b] {
				t.Errorf("%s imports %s", pkg, b)
			}
		}
	}
}
