package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/syncbuf"
)

// buildBinary compiles voxclone into a temporary directory of t and
// returns its path. -trimpath keeps the build cache's entries independent
// of where the source lies, so TestReadmeQuickStart's build of a copy of
// the repository finds them.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "voxclone")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a running `voxclone serve` (or `worker`) process.
type server struct {
	t       *testing.T
	cmd     *exec.Cmd
	URL     string
	DataDir string
	logs    *syncbuf.Buffer
	exited  chan error
	// tasks receives the "task started" and "task ended" log lines.
	tasks chan taskLine
}

// taskLine is a worker's log line about a task.
type taskLine struct {
	Msg, Task, ID, Outcome string
	Attempt                int
	Waited                 time.Duration // on "task started": the queue latency
}

// startServer runs `voxclone serve` on a free loopback port with dataDir
// and the extra VOXCLONE_* settings, and waits until health answers 200.
func startServer(t *testing.T, bin, dataDir string, extra ...string) *server {
	t.Helper()
	return startProcess(t, bin, "serve", dataDir, extra...)
}

// startProcess runs `voxclone <command>` (serve or worker) as startServer
// does. Spoken consent is off, for tests that clone recordings of people
// who cannot read a phrase for them; extra may turn it on again.
func startProcess(t *testing.T, bin, command, dataDir string, extra ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, command)
	cmd.Env = append(serverEnv(), "VOXCLONE_ADDR=127.0.0.1:0", "VOXCLONE_DATA_DIR="+dataDir, "VOXCLONE_LOG_FORMAT=json",
		"VOXCLONE_REQUIRE_CONSENT=false")
	cmd.Env = append(cmd.Env, extra...)
	return launch(t, cmd, dataDir)
}

// startServerIn runs `voxclone serve` in dir with the default settings
// but for a free loopback port (and JSON logs, to read the address) and
// the extra settings, as `make run` would there: the data goes to dir/data.
func startServerIn(t *testing.T, bin, dir string, extra ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Dir = dir
	cmd.Env = append(serverEnv(), "VOXCLONE_ADDR=127.0.0.1:0", "VOXCLONE_LOG_FORMAT=json")
	cmd.Env = append(cmd.Env, extra...)
	return launch(t, cmd, filepath.Join(dir, "data"))
}

// launch starts cmd, a `voxclone serve` or `worker`, and waits until
// health answers.
func launch(t *testing.T, cmd *exec.Cmd, dataDir string) *server {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, DataDir: dataDir, logs: &syncbuf.Buffer{}, exited: make(chan error, 1),
		tasks: make(chan taskLine, 1000)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go s.readLogs(stderr, urls)
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs.String())
		}
	})
	select {
	case s.URL = <-urls:
	case err := <-s.exited:
		t.Fatalf("voxclone %s exited early: %v\n%s", cmd.Args[1], err, s.logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("voxclone %s did not report its address\n%s", cmd.Args[1], s.logs.String())
	}
	s.waitHealthy()
	return s
}

// serverEnv is the test process's environment without VOXCLONE_* settings,
// so a developer's shell cannot change what the test runs.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VOXCLONE_") || strings.HasPrefix(kv, "VOXCLONE_SPEECH_DIR=") {
			env = append(env, kv)
		}
	}
	return env
}

// readLogs copies the JSON log to s.logs, reports the "listening" URL
// and passes on the task lines.
func (s *server) readLogs(r io.Reader, urls chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		s.logs.Write(append(line, '\n'))
		var rec struct {
			URL string
			taskLine
		}
		if json.Unmarshal(line, &rec) != nil {
			continue
		}
		switch rec.Msg {
		case "listening":
			select {
			case urls <- rec.URL:
			default:
			}
		case "task started", "task ended":
			select {
			case s.tasks <- rec.taskLine:
			default:
			}
		}
	}
}

func (s *server) waitHealthy() {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL + "/api/voice/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("health never answered 200\n%s", s.logs.String())
}

// stop sends SIGTERM and expects a clean exit.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		if err != nil {
			s.t.Fatalf("voxclone serve exited with %v\n%s", err, s.logs.String())
		}
	case <-time.After(40 * time.Second):
		s.t.Fatal("voxclone serve did not stop after SIGTERM")
	}
}

// client talks to a server as one user.
type client struct {
	t     *testing.T
	url   string
	token string
}

// do sends a request: body nil, []byte with contentType, or JSON of any
// other value. It returns the status, headers and body.
func (c *client) do(method, path string, body any, contentType ...string) (int, http.Header, []byte) {
	c.t.Helper()
	var r io.Reader
	ct := strings.Join(contentType, "")
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case io.Reader:
		r = b
	default:
		data, _ := json.Marshal(b)
		r, ct = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.url+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, data
}

// json sends a request, checks the status and decodes the JSON answer
// into v (when not nil); it returns the headers.
func (c *client) json(method, path string, body any, status int, v any) http.Header {
	c.t.Helper()
	got, h, data := c.do(method, path, body)
	if got != status {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, status, data)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			c.t.Fatalf("%s %s: %q: %v", method, path, data, err)
		}
	}
	return h
}

// wantError checks status and error code of a request.
func (c *client) wantError(method, path string, body any, status int, code string, contentType ...string) http.Header {
	c.t.Helper()
	got, h, data := c.do(method, path, body, contentType...)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if got != status || json.Unmarshal(data, &e) != nil || e.Error.Code != code || e.Error.Message == "" {
		c.t.Fatalf("%s %s: status %d body %s; want %d with code %q", method, path, got, data, status, code)
	}
	return h
}

// clone asks for a voice model, expects it pending, and waits until a
// worker has built it.
func (c *client) clone(body map[string]any) app.Model {
	c.t.Helper()
	var m app.Model
	h := c.json("POST", "/api/voice/clone", body, 202, &m)
	if m.Status != app.ModelPending || h.Get("Location") != "/api/voice/models/"+m.ID {
		c.t.Fatalf("clone answered %+v, Location %q; want pending at its URL", m, h.Get("Location"))
	}
	deadline := time.Now().Add(2 * time.Minute)
	for m.Status == app.ModelPending {
		if time.Now().After(deadline) {
			c.t.Fatalf("model %s still pending after 2 minutes", m.ID)
		}
		time.Sleep(100 * time.Millisecond)
		c.json("GET", "/api/voice/models/"+m.ID, nil, 200, &m)
	}
	return m
}

// uploadForm builds a multipart upload of data under fileName.
func uploadForm(data []byte, fileName string, fields map[string]string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("audio", fileName)
	fw.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// register creates an account on url and returns its client.
func register(t *testing.T, url, email string) *client {
	t.Helper()
	c := &client{t: t, url: url}
	var out struct{ Token string }
	c.json("POST", "/api/auth/register", map[string]string{"email": email, "password": "correct horse battery"}, 201, &out)
	c.token = out.Token
	return c
}

// speech is minSec to 60 seconds of a flite voice reading, as a WAV file,
// with the text read. The end-to-end tests need speech, not a particular
// human voice, so they run on a clone without the real speech set.
func speech(t *testing.T, voice string, minSec float64) ([]byte, string) {
	t.Helper()
	if minSec > 60 {
		t.Fatalf("speech: %.0f s asked, at most 60", minSec)
	}
	return speechtest.SyntheticWAV(t, voice, minSec)
}

// speechFile writes speech(t, voice, minSec) to dir/name.wav, with the text
// read beside it in dir/name.txt as clone expects, and returns the WAV's
// path.
func speechFile(t *testing.T, dir, name, voice string, minSec float64) string {
	t.Helper()
	wav, text := speech(t, voice, minSec)
	path := filepath.Join(dir, name+".wav")
	if err := os.WriteFile(path, wav, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".txt"), []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
