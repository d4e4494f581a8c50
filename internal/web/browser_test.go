package web_test

// Helpers for the browser test: build and start the real voxclone binary,
// make a speech WAV file, drive Chromium, and save
// screenshots.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/syncbuf"
)

const chromiumPath = "/usr/bin/chromium"

// requireBrowser returns Chromium's path. Without it the test skips on a
// developer machine but fails in CI, where a skip would hide that the web
// app went untested.
func requireBrowser(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("VOXCLONE_TEST_BROWSER") == "required" {
			t.Fatalf("%s not found (install the chromium package): %v", chromiumPath, err)
		}
		t.Skipf("%s not found; install chromium to run the browser test", chromiumPath)
	}
	return chromiumPath
}

// screenshotDir is where screenshots go: $VOXCLONE_SCREENSHOT_DIR, or a
// temporary folder that is removed after the test.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("VOXCLONE_SCREENSHOT_DIR")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildBinary compiles cmd/voxclone into dir and returns its path. It uses
// -race when this test does.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(dir, "voxclone")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./cmd/voxclone")...)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built %s in %s (race detector: %v)", bin, time.Since(start).Round(time.Millisecond), raceEnabled)
	return bin
}

// startServer runs `voxclone serve` on a free loopback port with its data in
// dataDir, waits for the health endpoint and returns the base URL. The
// process is stopped when the test ends.
func startServer(t *testing.T, bin, dataDir string) string {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	// Consent is off: the tests clone the fake microphone's speaker, who
	// cannot read a phrase for them (the consent card is tested apart).
	cmd.Env = append(os.Environ(), "VOXCLONE_ADDR="+addr, "VOXCLONE_DATA_DIR="+dataDir, "VOXCLONE_REQUIRE_CONSENT=false")
	logs := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start server: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		out := logs.String()
		if i := strings.Index(out, "WARNING: DATA RACE"); i >= 0 {
			t.Errorf("the server had a data race:\n%s", out[i:min(len(out), i+6000)])
		} else if t.Failed() {
			t.Logf("server output:\n%s", tail(out, 4000))
		}
	})
	base := "http://" + addr
	if err := waitHealthy(base+"/api/voice/health", exited, 60*time.Second); err != nil {
		t.Fatalf("server not healthy: %v\n%s", err, tail(logs.String(), 4000))
	}
	return base
}

func waitHealthy(url string, exited <-chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("server exited: %v", err)
		default:
		}
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("timed out waiting for " + url)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// newBrowser starts headless Chromium with a fresh profile. The fake media
// flags make getUserMedia succeed without a prompt and play micFile as the
// microphone.
func newBrowser(t *testing.T, exe, micFile string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-audio-capture", micFile),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// speechWAV writes at least minSeconds of a flite voice reading to
// dir/name.wav, a mono 16-bit WAV file, and returns its path and length.
// The web app needs speech, not a particular human voice, so this test runs
// on a clone without the real speech set.
func speechWAV(t *testing.T, dir, name, voice string, minSeconds float64) (string, float64) {
	t.Helper()
	pcm, _ := speechtest.Synthetic(t, voice, minSeconds)
	data, _ := speechtest.SyntheticWAV(t, voice, minSeconds)
	path := filepath.Join(dir, name+".wav")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, pcm.Seconds()
}

// wavFile wraps mono 16-bit samples in a WAV header.
func wavFile(rate int, pcm []byte) []byte {
	var h bytes.Buffer
	w := func(v any) { _ = binary.Write(&h, binary.LittleEndian, v) }
	h.WriteString("RIFF")
	w(uint32(36 + len(pcm)))
	h.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1))
	w(uint16(1))
	w(uint32(rate))
	w(uint32(rate * 2))
	w(uint16(2))
	w(uint16(16))
	h.WriteString("data")
	w(uint32(len(pcm)))
	return append(h.Bytes(), pcm...)
}
