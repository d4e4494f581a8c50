package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
)

// TestEndToEnd builds the binary, runs `voxclone serve` as a real process
// on SQLite and on PostgreSQL, and walks the API as a client would.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	wav, transcript := speech(t, "slt", 25)

	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, bin, dataDir(t))
		walk(t, s, wav, transcript)
		badInputs(t, s, wav)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		s := startServer(t, bin, dataDir(t), "VOXCLONE_DATABASE_URL="+pgtest.Schema(t))
		walk(t, s, wav, transcript)
		badInputs(t, s, wav)
	})
	t.Run("RateLimitAcrossRestart", func(t *testing.T) {
		t.Parallel()
		rateAcrossRestart(t, bin, wav)
	})
	t.Run("RateLimitAcrossProcesses", func(t *testing.T) {
		t.Parallel()
		rateAcrossProcesses(t, bin, wav)
	})
	t.Run("GracefulShutdown", func(t *testing.T) {
		t.Parallel()
		gracefulShutdown(t, bin, wav)
	})
	t.Run("WorkerHandsBack", func(t *testing.T) {
		t.Parallel()
		workerHandsBack(t, bin)
	})
	t.Run("ConsentByDefault", func(t *testing.T) {
		t.Parallel()
		consentByDefault(t, bin, wav)
	})
	t.Run("Commands", func(t *testing.T) {
		t.Parallel()
		commandsStartAndRefuse(t, bin)
	})
}

// dataDir is a fresh data directory nested two levels below the test's
// temporary root, so a path escaping it with ../.. still lands in the root,
// where the test can look for it.
func dataDir(t *testing.T) string {
	return filepath.Join(t.TempDir(), "a", "b", "data")
}

// walk is the happy path: register, upload, clone, synthesize WAV and MP3,
// list, patch, history, download, delete, and the model's files are gone.
func walk(t *testing.T, s *server, wav []byte, transcript string) {
	c, _ := registerUser(t, s.URL, "walker@example.com")
	form, ct := uploadForm(wav, "my voice.wav", map[string]string{"transcript": transcript})
	var sample app.Sample
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &sample)
	if sample.DurationSeconds < 20 || sample.DurationSeconds > 60 || sample.Format != "wav" || sample.Name != "my voice" || sample.Quality.Score <= 0 {
		t.Fatalf("sample = %+v", sample)
	}
	m := c.clone(map[string]any{"name": "Me", "description": "first try", "sample_ids": []string{sample.ID}})
	if m.Status != app.ModelReady {
		t.Fatalf("model = %+v", m)
	}
	const text = "The quick brown fox jumps over the lazy dog near the river bank."
	wavOut, wavID := synth(t, c, m.ID, "wav", text)
	_, mp3ID := synth(t, c, m.ID, "mp3", text)

	var models struct{ Items []app.Model }
	c.json("GET", "/api/voice/models", nil, 200, &models)
	if len(models.Items) != 1 || models.Items[0].ID != m.ID {
		t.Fatalf("models = %+v", models)
	}
	var patched app.Model
	c.json("PATCH", "/api/voice/models/"+m.ID, map[string]string{"name": "Me, renamed"}, 200, &patched)
	if patched.Name != "Me, renamed" || patched.Description != "first try" {
		t.Errorf("patched = %+v", patched)
	}
	var hist app.HistoryPage
	c.json("GET", "/api/voice/history?limit=1", nil, 200, &hist)
	if len(hist.Items) != 1 || hist.Items[0].ID != mp3ID || hist.NextCursor == "" {
		t.Fatalf("history page 1 = %+v", hist)
	}
	c.json("GET", "/api/voice/history?limit=1&cursor="+hist.NextCursor, nil, 200, &hist)
	if len(hist.Items) != 1 || hist.Items[0].ID != wavID || hist.Items[0].Text != text {
		t.Fatalf("history page 2 = %+v", hist)
	}
	status, h, got := c.do("GET", "/api/voice/history/"+wavID+"/audio", nil)
	if status != 200 || !bytes.Equal(got, wavOut) || h.Get("Content-Type") != "audio/wav" {
		t.Fatalf("history audio: status %d, %d bytes (want %d), %q", status, len(got), len(wavOut), h.Get("Content-Type"))
	}

	jobID := longForm(t, c, m.ID, text+" "+text)

	// The profile's key is made by the worker that built it, not from the
	// model's id; this is the server's only model so far.
	profiles := filepath.Join(s.DataDir, blobDirName, "profiles")
	owned := []string{wavID, mp3ID, jobID}
	if n, p := len(filesNamed(t, s.DataDir, owned...)), len(filesNamed(t, profiles, "")); n != 3 || p != 1 {
		t.Fatalf("found %d audio files and %d profiles of the model, want 3 and 1", n, p)
	}
	c.json("DELETE", "/api/voice/models/"+m.ID, nil, 204, nil)
	c.wantError("GET", "/api/voice/models/"+m.ID, nil, 404, "not_found")
	if left := append(filesNamed(t, s.DataDir, owned...), filesNamed(t, profiles, "")...); len(left) != 0 {
		t.Errorf("files left after deleting the model: %v", left)
	}
	if len(filesNamed(t, s.DataDir, sample.ID)) != 1 {
		t.Errorf("the sample's file went with the model")
	}
}

// longForm speaks text as a job, waits until it is done, checks its audio
// and returns its history entry's id.
func longForm(t *testing.T, c *client, modelID, text string) string {
	t.Helper()
	var a struct{ Job app.Job }
	c.json("POST", "/api/voice/jobs/synthesize", map[string]any{"model_id": modelID, "text": text, "format": "flac"}, 202, &a)
	deadline := time.Now().Add(2 * time.Minute)
	for !a.Job.Finished() {
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after 2 minutes", a.Job.ID, a.Job.Status)
		}
		time.Sleep(100 * time.Millisecond)
		c.json("GET", "/api/voice/jobs/"+a.Job.ID, nil, 200, &a)
	}
	if a.Job.Status != app.JobDone || a.Job.Progress != 1 || a.Job.HistoryID == "" {
		t.Fatalf("job = %+v, want done", a.Job)
	}
	status, _, data := c.do("GET", "/api/voice/history/"+a.Job.HistoryID+"/audio", nil)
	words := float64(len(strings.Fields(text)))
	if pcm, f, err := codec.Decode(context.Background(), data); status != 200 || err != nil || f != "flac" || pcm.Seconds() < words/5 {
		t.Fatalf("job audio: status %d, format %q, err %v", status, f, err)
	}
	return a.Job.HistoryID
}

// synth asks for text in format, decodes the answer and checks that its
// length suits the text. It returns the bytes and the synthesis id.
func synth(t *testing.T, c *client, modelID, format, text string) ([]byte, string) {
	t.Helper()
	status, h, data := c.do("POST", "/api/voice/synthesize", map[string]any{"model_id": modelID, "text": text, "format": format})
	if status != 200 {
		t.Fatalf("synthesize %s: status %d: %s", format, status, data)
	}
	// The audio is streamed as it is made: no length up front.
	if h.Get("Content-Type") != codec.ContentType(audio.Format(format)) || h.Get("Content-Length") != "" {
		t.Errorf("synthesize %s: Content-Type %q, Content-Length %q for %d bytes; want a stream", format, h.Get("Content-Type"), h.Get("Content-Length"), len(data))
	}
	pcm, got, err := codec.Decode(context.Background(), data)
	if err != nil || string(got) != format {
		t.Fatalf("synthesize %s: decoded as %q: %v", format, got, err)
	}
	// Read speech runs at about 2–4 words a second.
	words := float64(len(strings.Fields(text)))
	if sec := pcm.Seconds(); sec < words/5 || sec > words/1.5+1 {
		t.Errorf("synthesize %s: %.2f s of audio for %d words", format, sec, int(words))
	}
	id := h.Get("X-Synthesis-Id")
	if id == "" {
		t.Fatalf("synthesize %s: no X-Synthesis-Id", format)
	}
	return data, id
}

// filesNamed lists the files below dir whose names contain any of ids.
func filesNamed(t *testing.T, dir string, ids ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, id := range ids {
			if strings.Contains(d.Name(), id) {
				out = append(out, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// registerUser creates an account and returns its client and user id.
func registerUser(t *testing.T, url, email string) (*client, string) {
	t.Helper()
	c := &client{t: t, url: url}
	var out struct {
		User  app.User
		Token string
	}
	c.json("POST", "/api/auth/register", map[string]string{"email": email, "password": "correct horse battery"}, 201, &out)
	c.token = out.Token
	return c, out.User.ID
}

// jsonCT is json for a raw body with a content type.
func (c *client) jsonCT(method, path string, body []byte, ct string, status int, v any) http.Header {
	c.t.Helper()
	got, h, data := c.do(method, path, body, ct)
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

// signToken signs a session token with the secret kept in the data dir.
func signToken(t *testing.T, dataDir, userID string, exp time.Time) string {
	t.Helper()
	secret, err := os.ReadFile(filepath.Join(dataDir, secretFileName))
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.RegisteredClaims{Issuer: "voxclone", Subject: userID,
		IssuedAt: jwt.NewNumericDate(exp.Add(-time.Hour)), ExpiresAt: jwt.NewNumericDate(exp)}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(bytes.TrimSpace(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// trimWAV returns the first sec seconds of a WAV file as a WAV file.
func trimWAV(t *testing.T, wav []byte, sec float64) []byte {
	t.Helper()
	pcm, _, err := codec.Decode(context.Background(), wav)
	if err != nil {
		t.Fatal(err)
	}
	pcm.Samples = pcm.Samples[:int(sec*float64(pcm.Rate))*pcm.Channels]
	var buf bytes.Buffer
	if err := codec.Encode(context.Background(), &buf, pcm, audio.FormatWAV, codec.EncodeOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// randomBytes returns n random bytes.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// uploadStream posts a multipart upload whose body the caller writes, for
// requests that must still be in flight at a chosen moment.
func uploadStream(c *client) (io.WriteCloser, string, <-chan int) {
	pr, pw := io.Pipe()
	boundary := "e2eboundary0123456789"
	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", c.url+"/api/voice/upload", pr)
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	return pw, boundary, status
}

// runBinary runs the binary with args and the environment, returning its
// combined output and exit error.
func runBinary(t *testing.T, bin string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(serverEnv(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
