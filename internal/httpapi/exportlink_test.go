package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
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
// running export ends, the same link downloads the archive, once.
func TestExportLinkRefusedBusy(t *testing.T) {
	forEachSharedBackend(t, func(t *testing.T, store, other app.Store) {
		held, e := heldEnv(t, store, options{})
		e2 := newEnv(t, other, options{idle: true})
		a, aKey := exportingAccount(t, e, held.Blobs, store, "link-busy@example.com")
		var l struct{ URL string }
		e.expect(e.do("POST", "/api/auth/me/export/link", a.token, nil), http.StatusCreated, &l)

		held.hold(aKey)
		first := startExport(t.Context(), e, a.token)
		held.waitOpened(t)
		expectRetryLater(t, e2.do("GET", l.URL, "", nil), http.StatusTooManyRequests, app.ERateLimited, "already running")
		close(held.release)
		finish(t, <-first)

		finish(t, e2.do("GET", l.URL, "", nil))
		expectMessage(t, e, e.do("GET", l.URL, "", nil), "used already")
	})
}
