package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/syncbuf"
)

// TestExportLink: a link made by POST /api/auth/me/export/link downloads
// the export with no other credentials, once, in whichever process it is
// followed, and within a minute; its token is not a session, nor a
// session's token a link.
func TestExportLink(t *testing.T) {
	forEachSharedBackend(t, func(t *testing.T, store, other app.Store) {
		e := newEnv(t, store, options{})
		e2 := newEnv(t, other, options{idle: true})
		a := newAccount(t, e, "link@example.com")
		link := func() string {
			t.Helper()
			var l struct {
				URL       string    `json:"url"`
				ExpiresAt time.Time `json:"expires_at"`
			}
			e.expect(e.do("POST", "/api/auth/me/export/link", a.token, nil), http.StatusCreated, &l)
			if left := l.ExpiresAt.Sub(e.clock.Now()); !strings.HasPrefix(l.URL, "/api/auth/export/") || left <= 59*time.Second || left > time.Minute {
				t.Fatalf("link %+v, want /api/auth/export/… for a minute", l)
			}
			return l.URL
		}
		newAccount(t, e, "someone-else@example.com")
		url := link()
		resp := e2.do("GET", url, "", nil)
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		raw, err := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || err != nil {
			t.Fatalf("following the link: %d, %v", resp.StatusCode, err)
		}
		if account := unzip(t, raw)["account.json"]; !bytes.Contains(account, []byte(a.id)) {
			t.Errorf("the link's archive is not the account's: account.json %s", account)
		}
		expectMessage(t, e, e.do("GET", url, "", nil), "used already")
		expectMessage(t, e, e2.do("GET", url, "", nil), "used already")

		stale := link()
		e.clock.Advance(61 * time.Second)
		expectMessage(t, e, e.do("GET", stale, "", nil), "expired")

		token := strings.TrimPrefix(link(), "/api/auth/export/")
		e.expectError(e.do("GET", "/api/auth/keys", token, nil), http.StatusUnauthorized, app.EUnauthorized)
		expectMessage(t, e, e.do("GET", "/api/auth/export/"+a.token, "", nil), "Invalid download link")
		e.expectError(e.do("POST", "/api/auth/me/export/link", a.token, []byte(`{"format":"tar"}`), "application/json"),
			http.StatusBadRequest, app.EInvalid)

		gone := link()
		e.expect(e.do("DELETE", "/api/auth/me", a.token, map[string]string{"password": "correct horse battery"}), 204, nil)
		expectMessage(t, e, e.do("GET", gone, "", nil), "no longer exists")
	})
}

// expectMessage checks a 401 unauthorized whose message says says.
func expectMessage(t *testing.T, e *env, resp *http.Response, says string) {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	e.expect(resp, http.StatusUnauthorized, &body)
	if body.Error.Code != app.EUnauthorized || !strings.Contains(body.Error.Message, says) {
		t.Errorf("%s: %+v, want unauthorized saying %q", resp.Request.URL.Path, body.Error, says)
	}
}

// TestExportLinkRefusedBusy: a link followed while the user's export runs
// (in another process) is refused as busy and is not spent by it: once the
// running export ends, the same link downloads the archive, once. Asking
// for a new link meanwhile is refused the same way, so that the web app
// can say why rather than start a download bound to fail.
func TestExportLinkRefusedBusy(t *testing.T) {
	forEachSharedBackend(t, func(t *testing.T, store, other app.Store) {
		held, e := heldEnv(t, store, options{})
		e2 := newEnv(t, other, options{idle: true})
		a, aKey := exportingAccount(t, e, held.Blobs, store, "link-busy@example.com")
		var l struct{ URL string }
		e.expect(e.do("POST", "/api/auth/me/export/link", a.token, nil), http.StatusCreated, &l)

		held.during(t, e, a.token, aKey, func() {
			expectRetryLater(t, e2.do("GET", l.URL, "", nil), http.StatusTooManyRequests, app.ERateLimited, "already running")
			expectRetryLater(t, e2.do("POST", "/api/auth/me/export/link", a.token, nil), http.StatusTooManyRequests, app.ERateLimited, "already running")
		})
		e2.expect(e2.do("POST", "/api/auth/me/export/link", a.token, nil), http.StatusCreated, nil)

		finish(t, e2.do("GET", l.URL, "", nil))
		expectMessage(t, e, e.do("GET", l.URL, "", nil), "used already")
	})
}

// TestExportLinkKeptOutOfLogs: an export by link that fails is logged by
// its route, not its path, which carries the link's token (single use,
// but a log line outlives the minute a link lasts only if it leaks).
func TestExportLinkKeptOutOfLogs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		var logs syncbuf.Buffer
		var bs unreadableBlobs
		e := newEnv(t, store, options{logger: slog.New(slog.NewTextHandler(&logs, nil)),
			blobs: func(b app.Blobs) app.Blobs { bs.Blobs = b; return &bs }})
		a, _ := exportingAccount(t, e, &bs, store, "logged@example.com")
		var l struct{ URL string }
		e.expect(e.do("POST", "/api/auth/me/export/link", a.token, nil), http.StatusCreated, &l)
		if resp := e.do("GET", l.URL, "", nil); resp.StatusCode == http.StatusOK {
			if _, err := io.ReadAll(resp.Body); err == nil {
				t.Fatal("the export succeeded with its blobs unreadable")
			}
		}
		token := strings.TrimPrefix(l.URL, "/api/auth/export/")
		got := logs.String()
		if !strings.Contains(got, "/api/auth/export/{token}") {
			t.Fatalf("the failed export was not logged by its route: %q", got)
		}
		if strings.Contains(got, token) {
			t.Errorf("the log holds the link's token: %q", got)
		}
	})
}

// unreadableBlobs stores blobs but fails to read any back, as a disk
// that fails would: not as a missing file, which an export skips.
type unreadableBlobs struct{ app.Blobs }

func (unreadableBlobs) Open(context.Context, string) (io.ReadSeekCloser, error) {
	return nil, errors.New("input/output error")
}
