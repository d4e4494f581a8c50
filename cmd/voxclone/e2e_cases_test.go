package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
)

// badInputs sends what a careless or hostile client would.
func badInputs(t *testing.T, s *server, wav []byte) {
	owner, ownerID := registerUser(t, s.URL, "owner@example.com")
	form, ct := uploadForm(wav, "owner.wav", nil)
	var sample app.Sample
	owner.jsonCT("POST", "/api/voice/upload", form, ct, 201, &sample)
	m := owner.clone(map[string]any{"name": "Owner", "sample_ids": []string{sample.ID}})

	t.Run("Credentials", func(t *testing.T) {
		anon := &client{t: t, url: s.URL}
		anon.wantError("GET", "/api/voice/models", nil, 401, "unauthorized")
		(&client{t: t, url: s.URL, token: "not.a.token"}).wantError("GET", "/api/voice/models", nil, 401, "unauthorized")
		expired := &client{t: t, url: s.URL, token: signToken(t, s.DataDir, ownerID, time.Now().Add(-time.Minute))}
		expired.wantError("GET", "/api/voice/models", nil, 401, "unauthorized")
		// The same signing with a future expiry is accepted, so the 401
		// above is about the expiry and not about how the test signs.
		fresh := &client{t: t, url: s.URL, token: signToken(t, s.DataDir, ownerID, time.Now().Add(time.Hour))}
		fresh.json("GET", "/api/voice/models/"+m.ID, nil, 200, nil)
	})
	t.Run("EveryPrivateRouteNeedsAuth", func(t *testing.T) {
		privateRoutesNeedAuth(t, s.URL)
	})
	t.Run("OtherUsersModel", func(t *testing.T) {
		other, _ := registerUser(t, s.URL, "other@example.com")
		other.wantError("GET", "/api/voice/models/"+m.ID, nil, 404, "not_found")
		other.wantError("DELETE", "/api/voice/models/"+m.ID, nil, 404, "not_found")
		other.wantError("POST", "/api/voice/synthesize", map[string]any{"model_id": m.ID, "text": "Mine now."}, 404, "not_found")
		other.wantError("DELETE", "/api/voice/samples/"+sample.ID, nil, 404, "not_found")
		owner.json("GET", "/api/voice/models/"+m.ID, nil, 200, nil)
	})
	t.Run("Uploads", func(t *testing.T) {
		c, _ := registerUser(t, s.URL, "uploader@example.com")
		big, bigCT := uploadForm(randomBytes(12<<20), "big.wav", nil)
		c.wantError("POST", "/api/voice/upload", big, 413, "too_large", bigCT)
		text, textCT := uploadForm([]byte("Dear diary, today I recorded nothing at all.\n"), "diary.wav", nil)
		c.wantError("POST", "/api/voice/upload", text, 415, "unsupported_media", textCT)
		short, shortCT := uploadForm(trimWAV(t, wav, 3), "short.wav", nil)
		c.wantError("POST", "/api/voice/upload", short, 422, "unprocessable", shortCT)

		evil, evilCT := uploadForm(wav, "../../etc/passwd", nil)
		var got app.Sample
		c.jsonCT("POST", "/api/voice/upload", evil, evilCT, 201, &got)
		if got.Name != "passwd" {
			t.Errorf("sample name = %q, want the sanitized file name", got.Name)
		}
		root := filepath.Dir(filepath.Dir(filepath.Dir(s.DataDir)))
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && (d.Name() == "passwd" || d.Name() == "etc") {
				t.Errorf("%s exists: a client's file name reached the file system", path)
			}
			return nil
		})
		if len(filesNamed(t, s.DataDir, got.ID)) != 1 {
			t.Errorf("sample %s is not stored under its server-made key", got.ID)
		}
	})
	t.Run("RateLimit", func(t *testing.T) {
		c, _ := registerUser(t, s.URL, "chatty@example.com")
		form, ct := uploadForm(wav, "chatty.wav", nil)
		var smp app.Sample
		c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &smp)
		mdl := c.clone(map[string]any{"name": "Chatty", "sample_ids": []string{smp.ID}})
		body := map[string]any{"model_id": mdl.ID, "text": "Hi.", "format": "pcm"}
		for i := 1; i <= 20; i++ {
			h := c.json("POST", "/api/voice/synthesize", body, 200, nil)
			if h.Get("RateLimit-Remaining") != strconv.Itoa(20-i) {
				t.Fatalf("request %d: RateLimit-Remaining %q, want %d", i, h.Get("RateLimit-Remaining"), 20-i)
			}
		}
		h := c.wantError("POST", "/api/voice/synthesize", body, 429, "rate_limited")
		if ra, _ := strconv.Atoi(h.Get("Retry-After")); ra < 1 || ra > 3600 {
			t.Errorf("Retry-After = %q", h.Get("Retry-After"))
		}
	})
}

// rateAcrossRestart spends part of a budget, restarts the server on the
// same SQLite data and finds the budget still spent.
func rateAcrossRestart(t *testing.T, bin string, wav []byte) {
	dir := dataDir(t)
	s := startServer(t, bin, dir, "VOXCLONE_RATE_LIMIT=3/h")
	c, _ := registerUser(t, s.URL, "restart@example.com")
	modelID := uploadAndClone(t, c, wav)
	body := map[string]any{"model_id": modelID, "text": "Once.", "format": "pcm"}
	c.json("POST", "/api/voice/synthesize", body, 200, nil)
	c.json("POST", "/api/voice/synthesize", body, 200, nil)
	s.stop()

	s = startServer(t, bin, dir, "VOXCLONE_RATE_LIMIT=3/h")
	c.url = s.URL // the token survives: the secret is kept in the data dir
	h := c.json("POST", "/api/voice/synthesize", body, 200, nil)
	if h.Get("RateLimit-Remaining") != "0" {
		t.Errorf("after restart: RateLimit-Remaining %q, want 0", h.Get("RateLimit-Remaining"))
	}
	c.wantError("POST", "/api/voice/synthesize", body, 429, "rate_limited")
}

// rateAcrossProcesses runs two servers on one PostgreSQL schema and data
// directory; a user's budget is shared between them.
func rateAcrossProcesses(t *testing.T, bin string, wav []byte) {
	dir := dataDir(t)
	dsn := "VOXCLONE_DATABASE_URL=" + pgtest.Schema(t)
	a := startServer(t, bin, dir, dsn, "VOXCLONE_RATE_LIMIT=3/h")
	b := startServer(t, bin, dir, dsn, "VOXCLONE_RATE_LIMIT=3/h")
	ca, _ := registerUser(t, a.URL, "twin@example.com")
	cb := &client{t: t, url: b.URL, token: ca.token}
	modelID := uploadAndClone(t, cb, wav)
	body := map[string]any{"model_id": modelID, "text": "Twice.", "format": "pcm"}
	ca.json("POST", "/api/voice/synthesize", body, 200, nil)
	cb.json("POST", "/api/voice/synthesize", body, 200, nil)
	ca.json("POST", "/api/voice/synthesize", body, 200, nil)
	cb.wantError("POST", "/api/voice/synthesize", body, 429, "rate_limited")
	ca.wantError("POST", "/api/voice/synthesize", body, 429, "rate_limited")
}

func uploadAndClone(t *testing.T, c *client, wav []byte) string {
	t.Helper()
	form, ct := uploadForm(wav, "v.wav", nil)
	var smp app.Sample
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &smp)
	return c.clone(map[string]any{"name": "V", "sample_ids": []string{smp.ID}}).ID
}

// gracefulShutdown sends SIGTERM while an upload is half sent; the upload
// must still succeed and the process exit cleanly.
func gracefulShutdown(t *testing.T, bin string, wav []byte) {
	s := startServer(t, bin, dataDir(t))
	c, _ := registerUser(t, s.URL, "slow@example.com")
	w, boundary, status := uploadStream(c)
	head := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"slow.wav\"\r\nContent-Type: audio/wav\r\n\r\n", boundary)
	half := len(wav) / 2
	if _, err := w.Write(append([]byte(head), wav[:half]...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the handler is now reading the body
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the server is now shutting down
	if _, err := w.Write(append(wav[half:], "\r\n--"+boundary+"--\r\n"...)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if got := <-status; got != 201 {
		t.Errorf("upload in flight during shutdown: status %d, want 201\n%s", got, s.logs.String())
	}
	select {
	case err := <-s.exited:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not exit after the in-flight request")
	}
	if !strings.Contains(s.logs.String(), "shutting down") {
		t.Errorf("no shutdown line in the log:\n%s", s.logs.String())
	}
}

// commandsStartAndRefuse checks `migrate`, the generated secret's mode,
// and that a short VOXCLONE_JWT_SECRET is refused.
func commandsStartAndRefuse(t *testing.T, bin string) {
	dir := dataDir(t)
	out, err := runBinary(t, bin, []string{"VOXCLONE_DATA_DIR=" + dir}, "migrate")
	if err != nil || !strings.Contains(out, "migrations applied") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if st, err := os.Stat(filepath.Join(dir, sqliteFileName)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("database file after migrate: %v %v, want mode 0600", err, st)
	}
	out, err = runBinary(t, bin, []string{"VOXCLONE_DATA_DIR=" + dir, "VOXCLONE_JWT_SECRET=too-short", "VOXCLONE_ADDR=127.0.0.1:0"}, "serve")
	if err == nil || !strings.Contains(out, "VOXCLONE_JWT_SECRET") {
		t.Errorf("serve with a short secret: %v\n%s; want a refusal naming the variable", err, out)
	}
	s := startServer(t, bin, dir)
	if st, err := os.Stat(filepath.Join(dir, secretFileName)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("generated secret: %v %v, want mode 0600", err, st)
	}
	s.stop()
}

// privateRoutesNeedAuth reads the server's OpenAPI document and calls every
// operation that declares a security requirement without credentials.
func privateRoutesNeedAuth(t *testing.T, url string) {
	anon := &client{t: t, url: url}
	var doc struct {
		Paths map[string]map[string]struct {
			Security *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	anon.json("GET", "/openapi.json", nil, 200, &doc)
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.Security != nil && len(*op.Security) == 0 {
				continue // public
			}
			n++
			p := strings.ReplaceAll(path, "{id}", "0123456789abcdef0123456789abcdef")
			anon.wantError(strings.ToUpper(method), p, map[string]string{}, 401, "unauthorized")
		}
	}
	if n < 14 {
		t.Errorf("only %d private operations in the OpenAPI document", n)
	}
}

// consentByDefault runs serve with VOXCLONE_REQUIRE_CONSENT unset (the
// harness turns it off; an empty value is unset): a clone without spoken
// consent is refused, and a consent phrase is issued.
func consentByDefault(t *testing.T, bin string, wav []byte) {
	s := startServer(t, bin, dataDir(t), "VOXCLONE_REQUIRE_CONSENT=")
	c := register(t, s.URL, "consent@example.com")
	form, ct := uploadForm(wav, "v.wav", nil)
	var smp app.Sample
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &smp)
	c.wantError("POST", "/api/voice/clone", map[string]any{"name": "V", "sample_ids": []string{smp.ID}}, 403, app.EConsentRequired)
	var ch struct {
		ID     string   `json:"id"`
		Phrase string   `json:"phrase"`
		Words  []string `json:"words"`
	}
	c.json("POST", "/api/voice/consent", nil, 201, &ch)
	if ch.ID == "" || len(ch.Words) < 6 || !strings.Contains(ch.Phrase, ch.Words[0]) {
		t.Errorf("consent challenge %+v", ch)
	}
}
