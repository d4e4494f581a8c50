package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// TestSweepCommand sweeps a data directory in-process: an old file no row
// refers to is deleted and reported; a young one stays.
func TestSweepCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"VOXCLONE_DATA_DIR": dir, "VOXCLONE_LOG_LEVEL": "error"}
	sweep := func(args ...string) (int, app.BlobSweep, string) {
		env, out, errb := testEnv(t)
		env.Getenv = func(k string) string { return vars[k] }
		code := run(context.Background(), env, append([]string{"sweep"}, args...))
		var res app.BlobSweep
		if code == 0 {
			if err := json.NewDecoder(bytes.NewReader(out.Bytes())).Decode(&res); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
		}
		return code, res, errb.String()
	}
	if code, res, errb := sweep(); code != 0 || res.Blobs != 0 || res.Deleted != 0 {
		t.Fatalf("sweep of an empty store: exit %d, %+v, %s", code, res, errb)
	}
	id, young := app.NewID(), app.NewID()
	old := filepath.Join(dir, blobDirName, "audio", id[:2], id+".mp3")
	kept := filepath.Join(dir, blobDirName, "audio", young[:2], young+".mp3")
	for _, f := range []string{old, kept} {
		if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("orphan"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(old, time.Now().Add(-2*time.Hour), time.Now().Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	code, res, errb := sweep()
	if code != 0 || res.Blobs != 2 || res.Deleted != 1 || res.Missing != 0 {
		t.Errorf("sweep: exit %d, %+v (%s); want 2 blobs, the old one deleted", code, res, errb)
	}
	if _, err := os.Stat(old); err == nil {
		t.Error("the old orphan is still there")
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("the young orphan is gone: %v", err)
	}
	if code, _, errb := sweep("-grace", "10ms"); code != exitUsage || !strings.Contains(errb, "under a second") {
		t.Errorf("sweep -grace 10ms: exit %d, %q; want %d and why", code, errb, exitUsage)
	}
}
