package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/blob/s3blob/s3blobtest"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/postgres"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/sqlite"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

// userRows counts, in every table that has a user_id column (found in the
// schema, so that a table added later is counted too), the rows of user
// id, and the users row itself under "users".
func userRows(t *testing.T, store app.Store, id string) map[string]int {
	t.Helper()
	ctx := t.Context()
	out := map[string]int{}
	switch db := store.(type) {
	case *sqlite.DB:
		tables := sqliteStrings(t, db, `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND c.name = 'user_id'`)
		for _, tb := range tables {
			out[tb] = sqliteCount(t, db, `SELECT count(*) FROM "`+tb+`" WHERE user_id = ?`, id)
		}
		out["users"] = sqliteCount(t, db, `SELECT count(*) FROM users WHERE id = ?`, id)
		out["rate_events"] = sqliteCount(t, db, `SELECT count(*) FROM rate_events WHERE subject = ?`, id)
	case *postgres.DB:
		rows, err := db.Pool().Query(ctx, `SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'user_id'`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, s)
		}
		rows.Close()
		count := func(q string) int {
			var n int
			if err := db.Pool().QueryRow(ctx, q, id).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		for _, tb := range tables {
			out[tb] = count(`SELECT count(*) FROM "` + tb + `" WHERE user_id = $1`)
		}
		out["users"] = count(`SELECT count(*) FROM users WHERE id = $1`)
		out["rate_events"] = count(`SELECT count(*) FROM rate_events WHERE subject = $1`)
		out["rate_limits"] = count(`SELECT count(*) FROM rate_limits WHERE subject = $1`)
	default:
		t.Fatalf("no row count for %T", store)
	}
	return out
}

// allRows reads every row of every table of store's database.
func allRows(t *testing.T, store app.Store) map[string][]string {
	t.Helper()
	if _, ok := store.(*sqlite.DB); ok {
		return sqlitetest.Rows(t, store)
	}
	return pgtest.Rows(t, store)
}

func sqliteStrings(t *testing.T, db *sqlite.DB, q string) []string {
	t.Helper()
	rows, err := db.Writer().QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func sqliteCount(t *testing.T, db *sqlite.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Writer().QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// deletionRecords counts the audit log's records of the deletion of
// account id, which name it as their subject, belong to no user, and keep
// the client (the test's, 127.0.0.1) and the request id, as every event.
func deletionRecords(t *testing.T, store app.Store, id string) int {
	t.Helper()
	const q = `SELECT count(*) FROM audit_events WHERE kind = 'account.deleted' AND user_id IS NULL
		AND client = '127.0.0.1' AND length(request_id) = 32 AND subject = `
	switch db := store.(type) {
	case *sqlite.DB:
		return sqliteCount(t, db, q+`?`, id)
	case *postgres.DB:
		var n int
		if err := db.Pool().QueryRow(t.Context(), q+`$1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return -1
}

// speakCompat makes one synthesis through the OpenAI and one through the
// ElevenLabs API with a's API key, so that a has history and audit events
// from every family.
func speakCompat(t *testing.T, e *env, a *owner) {
	t.Helper()
	for _, c := range []struct{ path, header, prefix, body string }{
		{"/v1/audio/speech", "Authorization", "Bearer ", `{"model":"tts-1","input":"Hello from the OpenAI route.","voice":"` + a.model.ID + `"}`},
		{"/elevenlabs/v1/text-to-speech/" + a.model.ID, "xi-api-key", "", `{"text":"Hello from the ElevenLabs route."}`},
	} {
		req, _ := http.NewRequestWithContext(t.Context(), "POST", e.url+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(c.header, c.prefix+a.apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) < 1000 {
			t.Fatalf("%s: %d %.200q", c.path, resp.StatusCode, body)
		}
	}
}

// TestDeleteAccount deletes one of two users with one of everything, on
// SQLite and PostgreSQL: afterwards no row of theirs is left in any table
// with a user_id, no file of theirs in the blob store, their token and API
// key are refused, and the other user's data and files are as they were.
func TestDeleteAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}, rate: app.Rate{Count: 1000, Window: time.Hour}})
		b := newOwnerAs(t, e, "bystander@example.com")
		bBefore, bFiles := readOwner(t, e, b), fileHashes(t, e.blobs)

		a := newOwner(t, e)
		speakCompat(t, e, a)
		rows := userRows(t, store, a.id)
		for _, tb := range []string{"users", "api_keys", "voice_samples", "voice_models", "voice_synthesis_history", "voice_jobs", "audit_events", "rate_events", "consent_challenges"} {
			if rows[tb] == 0 {
				t.Errorf("before deletion A has no rows in %s; the test would prove nothing: %v", tb, rows)
			}
		}
		if len(fileHashes(t, e.blobs)) < len(bFiles)+5 {
			t.Fatalf("A added %d files; want a sample, a profile and four audio files", len(fileHashes(t, e.blobs))-len(bFiles))
		}

		// A body without the password is a malformed request, not a wrong
		// password: it says so and spends none of the login budget.
		t.Run("ErrEmptyPassword", func(t *testing.T) {
			for _, body := range []map[string]string{{}, {"password": ""}} {
				e.expectError(e.do("DELETE", "/api/auth/me", a.token, body), 400, app.EInvalid)
			}
		})
		t.Run("ErrWrongPassword", func(t *testing.T) {
			resp := e.do("DELETE", "/api/auth/me", a.token, map[string]string{"password": "wrong horse battery"})
			limit, _ := strconv.Atoi(resp.Header.Get("RateLimit-Limit"))
			if left, err := strconv.Atoi(resp.Header.Get("RateLimit-Remaining")); err != nil || left != limit-1 {
				t.Errorf("after one wrong password RateLimit-Remaining is %q of %d, want %d", resp.Header.Get("RateLimit-Remaining"), limit, limit-1)
			}
			e.expectError(resp, 403, app.EForbidden)
			e.expect(e.do("GET", "/api/voice/samples", a.token, nil), 200, nil)
		})
		t.Run("ErrNoPassword", func(t *testing.T) {
			e.expectError(e.do("DELETE", "/api/auth/me", a.token, nil), 400, app.EInvalid)
		})
		t.Run("OK", func(t *testing.T) {
			resp := e.do("DELETE", "/api/auth/me", a.token, map[string]string{"password": "correct horse battery"})
			e.expect(resp, 204, nil)
		})

		assertNoTraces(t, store, a)
		if n := deletionRecords(t, store, a.id); n != 1 {
			t.Errorf("%d records of the deletion in the audit log, want 1", n)
		}
		if got := fileHashes(t, e.blobs); !maps.Equal(got, bFiles) {
			t.Errorf("stored files after deletion: %d, want exactly B's %d", len(got), len(bFiles))
		}
		// The token was signed before deletion and is still unexpired: only
		// the missing account stops it.
		e.expectError(e.do("GET", "/api/voice/samples", a.token, nil), 401, app.EUnauthorized)
		e.expectError(e.do("GET", "/api/auth/keys", a.apiKey, nil), 401, app.EUnauthorized)
		req, _ := http.NewRequestWithContext(t.Context(), "GET", e.url+"/elevenlabs/v1/voices", nil)
		req.Header.Set("xi-api-key", a.apiKey)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
			t.Errorf("ElevenLabs API with the deleted key: %v %v", resp, err)
		}
		e.expectError(e.do("POST", "/api/auth/login", "", map[string]string{"email": a.email, "password": "correct horse battery"}), 401, app.EUnauthorized)
		assertSameOwner(t, bBefore, readOwner(t, e, b))
		// The email is free again.
		e.register(a.email)
	})
}

// TestExportAccount downloads A's archive while B has data too: it holds
// A's metadata and every file of A's, byte for byte as the API serves
// them, and nothing of B's or any secret.
func TestExportAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}, rate: app.Rate{Count: 1000, Window: time.Hour}})
		b := newOwnerAs(t, e, "bystander@example.com")
		a := newOwner(t, e)

		resp := e.do("GET", "/api/auth/me/export", a.token, nil)
		raw, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("export: %d %q %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
		}
		// Streamed as it is written: no length up front.
		if resp.ContentLength != -1 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("Content-Length %d, Content-Disposition %q; want a streamed attachment", resp.ContentLength, resp.Header.Get("Content-Disposition"))
		}
		// Both owners' names and texts are alike; their ids are not.
		bIDs := append([]string{b.id, b.email, b.keyID, b.sample.ID, b.model.ID, b.job.ID, b.consentID}, b.synthesisIDs...)
		for _, m := range append(bIDs, b.apiKey, a.apiKey) {
			if bytes.Contains(raw, []byte(m)) {
				t.Errorf("the archive holds %q (B's data or a secret)", m)
			}
		}
		files := unzip(t, raw)

		var account struct {
			User    app.User `json:"user"`
			Missing []string `json:"missing"`
		}
		decodeFile(t, files, "account.json", &account)
		if account.User.ID != a.id || account.User.Email != a.email || account.Missing == nil || len(account.Missing) != 0 {
			t.Errorf("account.json = %+v", account)
		}
		var samples []app.Sample
		decodeFile(t, files, "samples.json", &samples)
		if len(samples) != 1 || samples[0].ID != a.sample.ID || int64(len(files["samples/"+a.sample.ID+".wav"])) != samples[0].SizeBytes {
			t.Errorf("samples.json %+v; samples/ file of %d bytes", samples, len(files["samples/"+a.sample.ID+".wav"]))
		}
		var models []app.Model
		decodeFile(t, files, "models.json", &models)
		if len(models) != 1 || models[0].ID != a.model.ID || !hasFile(files, "profiles/"+a.model.ID+".") {
			t.Errorf("models.json %+v, or no profile file", models)
		}
		var history []app.Synthesis
		decodeFile(t, files, "history.json", &history)
		if got := ids(history, func(s app.Synthesis) string { return s.ID }); !slices.Equal(got, a.synthesisIDs) {
			t.Errorf("history.json ids %v, want %v", got, a.synthesisIDs)
		}
		for _, s := range history {
			resp := e.do("GET", "/api/voice/history/"+s.ID+"/audio", a.token, nil)
			want, _ := io.ReadAll(resp.Body)
			if got := files["history/"+s.ID+"."+s.Format]; len(want) == 0 || !bytes.Equal(got, want) {
				t.Errorf("history/%s.%s: %d bytes, the API serves %d", s.ID, s.Format, len(got), len(want))
			}
		}
		var jobs []app.Job
		decodeFile(t, files, "jobs.json", &jobs)
		if len(jobs) != 1 || jobs[0].ID != a.job.ID {
			t.Errorf("jobs.json %+v", jobs)
		}
		var keys []map[string]any
		decodeFile(t, files, "api_keys.json", &keys)
		if len(keys) != 2 || !slices.ContainsFunc(keys, func(k map[string]any) bool { return k["name"] == ownerKeyName && k["id"] == a.keyID }) {
			t.Errorf("api_keys.json %v", keys)
		}
		var audit []app.AuditEvent
		decodeFile(t, files, "audit.json", &audit)
		if !slices.ContainsFunc(audit, func(ev app.AuditEvent) bool { return ev.Kind == app.AuditClone && ev.Subject == a.model.ID }) {
			t.Errorf("audit.json has no clone of A's model: %+v", audit)
		}
		// A's open consent challenge; a verified one, with its voice print,
		// is TestConsentExportAndAudit's.
		var consents []exportedConsent
		decodeFile(t, files, "consents.json", &consents)
		if len(consents) != 1 || consents[0].ID != a.consentID || len(consents[0].Words) < consent.MinWords ||
			consents[0].AnsweredAt != nil || consents[0].VerifiedAt != nil || len(consents[0].VoicePrint) != 0 {
			t.Errorf("consents.json %+v, want A's one open challenge", consents)
		}
	})
}

func unzip(t *testing.T, raw []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return out
}

func decodeFile(t *testing.T, files map[string][]byte, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(files[name], v); err != nil {
		t.Errorf("%s: %v in %.200q", name, err, files[name])
	}
}

func hasFile(files map[string][]byte, prefix string) bool {
	for name, data := range files {
		if strings.HasPrefix(name, prefix) && len(data) > 0 {
			return true
		}
	}
	return false
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = id(v)
	}
	return out
}

// auditLog reads the whole of a user's audit log two events a page,
// checking the pages join up: newest first, no event twice.
func auditLog(t *testing.T, e *env, token string) []app.AuditEvent {
	t.Helper()
	var all []app.AuditEvent
	cursor := ""
	for range 100 {
		var page app.AuditPage
		e.expect(e.do("GET", "/api/auth/me/audit?limit=2&cursor="+cursor, token, nil), 200, &page)
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	seen := map[string]bool{}
	for i, ev := range all {
		if seen[ev.ID] || i > 0 && ev.CreatedAt.After(all[i-1].CreatedAt) {
			t.Fatalf("audit log pages overlap or are out of order at %d: %+v", i, all)
		}
		seen[ev.ID] = true
	}
	return all
}

// TestAuditLog checks that clone, synthesis on every API family and as a
// job, and API key creation and revocation are logged with the client
// address and request id, and that a trusted proxy's client address and
// request id are the ones kept.
func TestAuditLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}, rate: app.Rate{Count: 1000, Window: time.Hour}})
		a := newOwner(t, e)
		speakCompat(t, e, a)
		e.expect(e.do("DELETE", "/api/auth/keys/"+a.keyID, a.token, nil), 204, nil)

		log := auditLog(t, e, a.token)
		count := map[string]int{}
		jobs := map[string]string{} // job id → the synthesis its job.done names
		for _, ev := range log {
			if ev.Kind == app.AuditJobDone {
				// Recorded by the worker, of no request.
				jobs[strings.TrimPrefix(ev.Detail, "job=")] = ev.Subject
				continue
			}
			count[ev.Kind+" "+strings.Fields(ev.Detail + " -")[0]]++
			if ev.Kind == app.AuditSynthesis && strings.HasPrefix(ev.Detail, "job ") {
				jobs[ev.Subject] += ""
			}
			if ev.Client != "127.0.0.1" || len(ev.RequestID) != 32 {
				t.Errorf("event %+v: want client 127.0.0.1 and a request id", ev)
			}
		}
		want := map[string]int{
			"clone samples=" + a.sample.ID:             1,
			"synthesis job":                            1,
			"synthesis stream":                         4, // two native, one OpenAI, one ElevenLabs
			"key.created prefix=vxk_" + a.apiKey[4:12]: 1,
			"key.revoked -":                            1,
		}
		for k, n := range want {
			if count[k] != n {
				t.Errorf("%d events %q, want %d; log %v", count[k], k, n, count)
			}
		}
		// The job's synthesis event names the job, and its job.done names
		// the job and the synthesis the history (and detect) shows.
		var history struct{ Items []app.Synthesis }
		e.expect(e.do("GET", "/api/voice/history", a.token, nil), 200, &history)
		if len(jobs) != 1 {
			t.Errorf("jobs in the log %v, want the one job", jobs)
		}
		for job, syn := range jobs {
			if !slices.ContainsFunc(history.Items, func(s app.Synthesis) bool { return s.ID == syn }) {
				t.Errorf("job %s: job.done names synthesis %q, not in the history", job, syn)
			}
		}
		if !slices.ContainsFunc(log, func(ev app.AuditEvent) bool { return ev.Kind == app.AuditKeyRevoked && ev.Subject == a.keyID }) {
			t.Errorf("no key.revoked event for %s", a.keyID)
		}
		// The request id in the log is the one the client was answered with.
		// (The clock stands still; events of one instant come in id order.)
		e.clock.Advance(time.Second)
		resp := e.do("POST", "/api/auth/keys", a.token, map[string]string{"name": "traced"})
		e.expect(resp, 201, nil)
		if got := auditLog(t, e, a.token)[0]; got.Kind != app.AuditKeyCreated || got.RequestID != resp.Header.Get("X-Request-Id") {
			t.Errorf("newest event %+v, X-Request-Id %q", got, resp.Header.Get("X-Request-Id"))
		}
	})
}

// TestAuditBehindProxy: behind a trusted proxy the log keeps the client
// the proxy names and the proxy's request id, for a key's creation and a
// detection alike; from anyone else both headers are ignored.
func TestAuditBehindProxy(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		for _, c := range []struct {
			name           string
			trusted        []netip.Prefix
			client, reqID  string
			answeredWithID bool
		}{
			{"Trusted", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "203.0.113.9", "edge-7f3a", true},
			{"Untrusted", nil, "127.0.0.1", "", false},
		} {
			t.Run(c.name, func(t *testing.T) {
				e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}, trusted: c.trusted})
				token := e.register("proxied-" + strings.ToLower(c.name) + "@example.com")
				var form bytes.Buffer
				mw := multipart.NewWriter(&form)
				fw, _ := mw.CreateFormFile("audio", "clip.wav")
				fw.Write(speechWAV(t))
				mw.Close()
				for _, r := range []struct {
					kind, path, contentType string
					body                    []byte
					status                  int
				}{
					{app.AuditKeyCreated, "/api/auth/keys", "application/json", []byte(`{"name":"k"}`), 201},
					{app.AuditDetect, "/api/voice/detect", mw.FormDataContentType(), form.Bytes(), 200},
				} {
					e.clock.Advance(time.Second)
					req, _ := http.NewRequestWithContext(context.Background(), "POST", e.url+r.path, bytes.NewReader(r.body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", r.contentType)
					req.Header.Set("X-Forwarded-For", "203.0.113.9")
					req.Header.Set("X-Request-Id", "edge-7f3a")
					resp, err := http.DefaultClient.Do(req)
					if err != nil || resp.StatusCode != r.status {
						t.Fatalf("POST %s: %v %v", r.path, resp, err)
					}
					resp.Body.Close()
					ev := auditLog(t, e, token)[0]
					answered := resp.Header.Get("X-Request-Id")
					if ev.Kind != r.kind || ev.Client != c.client || ev.RequestID != answered || (answered == "edge-7f3a") != c.answeredWithID {
						t.Errorf("POST %s: event %+v, answered X-Request-Id %q; want %s from client %s", r.path, ev, answered, r.kind, c.client)
					}
				}
			})
		}
	})
}

// TestDeleteAccountS3 is TestDeleteAccount's check of the files with the
// blobs in an S3 bucket (a real S3 server over HTTP): after A's deletion
// the bucket holds exactly B's objects, byte for byte.
func TestDeleteAccountS3(t *testing.T) {
	srv := s3blobtest.Start(t)
	forEachBackend(t, func(t *testing.T, store app.Store) {
		bucket := s3blobtest.Open(t, srv.NewBucket(t))
		e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}, rate: app.Rate{Count: 1000, Window: time.Hour},
			blobs: func(app.Blobs) app.Blobs { return bucket }})
		b := newOwnerAs(t, e, "bystander@example.com")
		bBefore, bObjects := readOwner(t, e, b), objectHashes(t, bucket)
		a := newOwner(t, e)
		speakCompat(t, e, a)
		if n := len(objectHashes(t, bucket)) - len(bObjects); n < 5 {
			t.Fatalf("A added %d objects; want a sample, a profile and four audio files", n)
		}
		e.expect(e.do("DELETE", "/api/auth/me", a.token, map[string]string{"password": "correct horse battery"}), 204, nil)
		if got := objectHashes(t, bucket); !maps.Equal(got, bObjects) {
			t.Errorf("bucket after A's deletion: %d objects, want exactly B's %d", len(got), len(bObjects))
		}
		assertNoTraces(t, store, a)
		assertSameOwner(t, bBefore, readOwner(t, e, b))
	})
}

// objectHashes is every object of a blob store with the SHA-256 of its
// bytes.
func objectHashes(t *testing.T, blobs app.Blobs) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := blobs.List(t.Context(), func(bi app.BlobInfo) error {
		r, err := blobs.Open(t.Context(), bi.Key)
		if err != nil {
			return err
		}
		defer r.Close()
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return err
		}
		out[bi.Key] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExportOutlastsWriteTimeout downloads an export of 24 MB at about
// 5 MB/s from a server whose WriteTimeout is one second: an export takes
// as long as the client takes to read it (each write extends the
// deadline, as for a streamed synthesis), and the archive arrives whole.
func TestExportOutlastsWriteTimeout(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{writeTimeout: time.Second})
		a := newAccount(t, e.setup(), "slow-reader@example.com")
		blobs, err := blob.NewLocal(e.blobs)
		if err != nil {
			t.Fatal(err)
		}
		const entries, size = 6, 4 << 20
		for i := range entries {
			syn := app.Synthesis{ID: app.NewID(), UserID: a.id, Voice: "slt", Text: "Hello.", Format: "wav", Speed: 1,
				SampleRate: 24000, DurationSeconds: 1, SizeBytes: size, CreatedAt: e.clock.Now().Add(time.Duration(i) * time.Second)}
			syn.AudioKey = "audio/" + syn.ID + ".wav"
			if _, err := blobs.Put(t.Context(), syn.AudioKey, bytes.NewReader(bytes.Repeat([]byte{byte(i)}, size))); err != nil {
				t.Fatal(err)
			}
			if err := store.CreateSynthesis(t.Context(), syn); err != nil {
				t.Fatal(err)
			}
		}
		resp := e.do("GET", "/api/auth/me/export", a.token, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		raw, took := slowRead(t, resp)
		files := unzip(t, raw)
		n := 0
		for name, data := range files {
			if strings.HasPrefix(name, "history/") && len(data) == size {
				n++
			}
		}
		if n != entries || took < 2*time.Second {
			t.Errorf("archive of %d bytes read in %v holds %d whole audio files, want %d over more than 2 s", len(raw), took, n, entries)
		}
	})
}

// TestHistoryAudioOutlastsWriteTimeout reads a history file slowly, past
// the server's write timeout (1 s here), from voxclone's route and from
// ElevenLabs': a client that keeps reading gets the whole file, as with the
// export, rather than a transfer cut at the timeout.
func TestHistoryAudioOutlastsWriteTimeout(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{writeTimeout: time.Second})
		u := e.setup().newCompatUser("slow-listener@example.com", false)
		u.e = e // the routes under test are served with the short timeout
		blobs, err := blob.NewLocal(e.blobs)
		if err != nil {
			t.Fatal(err)
		}
		const size = 12 << 20
		syn := app.Synthesis{ID: app.NewID(), UserID: u.id, Voice: "slt", Text: "Hello.", Format: "wav", Speed: 1,
			SampleRate: 24000, DurationSeconds: 1, SizeBytes: size, CreatedAt: e.clock.Now()}
		syn.AudioKey = "audio/" + syn.ID + ".wav"
		want := bytes.Repeat([]byte{7}, size)
		if _, err := blobs.Put(t.Context(), syn.AudioKey, bytes.NewReader(want)); err != nil {
			t.Fatal(err)
		}
		if err := store.CreateSynthesis(t.Context(), syn); err != nil {
			t.Fatal(err)
		}
		for _, resp := range []*http.Response{
			e.do("GET", "/api/voice/history/"+syn.ID+"/audio", u.token, nil),
			u.eleven("GET", "/elevenlabs/v1/history/"+syn.ID+"/audio", nil),
		} {
			path := resp.Request.URL.Path
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			if got, took := slowRead(t, resp); !bytes.Equal(got, want) || took < 2*time.Second {
				t.Errorf("%s: read %d of %d bytes in %v, want all of them over more than 2 s", path, len(got), size, took)
			}
		}
	})
}

// slowRead reads resp's body at about 5 MB/s, a slow link, and returns it
// and how long it took; a transfer cut before its end fails the test.
func slowRead(t *testing.T, resp *http.Response) ([]byte, time.Duration) {
	t.Helper()
	start := time.Now()
	var got bytes.Buffer
	buf := make([]byte, 256<<10)
	for {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			return got.Bytes(), time.Since(start)
		}
		if err != nil {
			t.Fatalf("%s cut after %d bytes, %v: %v", resp.Request.URL.Path, got.Len(), time.Since(start).Round(time.Millisecond), err)
		}
		time.Sleep(time.Duration(n) * time.Second / (5 << 20))
	}
}

// assertNoTraces checks that the deleted owner a has no row left in any
// table of store, and that no row of any table, the task queue's
// included, holds an id of a's, but for the record of the deletion
// itself.
func assertNoTraces(t *testing.T, store app.Store, a *owner) {
	t.Helper()
	for tb, n := range userRows(t, store, a.id) {
		if n != 0 {
			t.Errorf("after deletion A still has %d rows in %s", n, tb)
		}
	}
	aIDs := append([]string{a.id, a.keyID, a.sample.ID, a.model.ID, a.job.ID, a.consentID}, a.synthesisIDs...)
	for tb, rows := range allRows(t, store) {
		for _, r := range rows {
			if tb == "audit_events" && strings.Contains(r, "account.deleted") {
				continue
			}
			for _, id := range aIDs {
				if strings.Contains(r, id) {
					t.Errorf("after deletion %s holds %s of A's: %.200q", tb, id, r)
				}
			}
		}
	}
}
