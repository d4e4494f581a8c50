package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// postFrom posts JSON as if a proxy forwarded it for xff ("" sends no
// X-Forwarded-For).
func (e *env) postFrom(path, xff string, body any) *http.Response {
	e.t.Helper()
	data, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(e.t.Context(), "POST", e.url+path, bytes.NewReader(data))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func creds(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

// loopbackProxy trusts the test client, so X-Forwarded-For picks the
// client address each request claims.
var loopbackProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestLoginRateLimit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{trusted: loopbackProxy})
		e.register("alice@example.com")
		e.register("bob@example.com")
		const attacker = "203.0.113.5"
		for i := range 10 {
			resp := e.postFrom("/api/auth/login", attacker, creds("alice@example.com", "wrong password"))
			if got := resp.Header.Get("RateLimit-Remaining"); got != strconv.Itoa(9-i) {
				t.Errorf("failure %d: RateLimit-Remaining %q, want %d", i+1, got, 9-i)
			}
			e.expectError(resp, 401, app.EUnauthorized)
			e.clock.Advance(time.Minute)
		}
		resp := e.postFrom("/api/auth/login", attacker, creds("alice@example.com", "wrong password"))
		if ra := resp.Header.Get("Retry-After"); ra != "300" {
			t.Errorf("11th failure: Retry-After %q, want 300 (the first failure leaves the 15 min window in 5 min)", ra)
		}
		if resp.Header.Get("RateLimit-Limit") != "10" || resp.Header.Get("RateLimit-Remaining") != "0" || resp.Header.Get("RateLimit-Reset") != "300" {
			t.Errorf("11th failure: RateLimit headers %v", resp.Header)
		}
		e.expectError(resp, 429, app.ERateLimited)
		// The right password does not get through a locked email...
		e.expectError(e.postFrom("/api/auth/login", "198.51.100.1", creds("alice@example.com", "correct horse battery")), 429, app.ERateLimited)
		// ...but another email from another address logs in.
		var ok struct{ Token string }
		e.expect(e.postFrom("/api/auth/login", "198.51.100.1", creds("bob@example.com", "correct horse battery")), 200, &ok)
		if ok.Token == "" {
			t.Error("bob's login returned no token")
		}
		e.clock.Advance(5 * time.Minute)
		e.expect(e.postFrom("/api/auth/login", attacker, creds("alice@example.com", "correct horse battery")), 200, nil)
	})
}

func TestForwardedForNeedsTrustedProxy(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		three := app.Rate{Count: 3, Window: time.Hour}
		// Untrusted: every request counts against the real peer, 127.0.0.1,
		// whatever X-Forwarded-For claims.
		e := newEnv(t, store, options{register: three})
		for i := range 3 {
			resp := e.postFrom("/api/auth/register", "198.51.100."+strconv.Itoa(i), creds("plain"+strconv.Itoa(i)+"@example.com", "correct horse battery"))
			e.expect(resp, 201, nil)
		}
		resp := e.postFrom("/api/auth/register", "198.51.100.99", creds("plain9@example.com", "correct horse battery"))
		if resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		e.expectError(resp, 429, app.ERateLimited)

		// Trusted: each claimed address has its own budget; a chain counts
		// its right-most untrusted entry, not what the client wrote first.
		p := newEnv(t, store, options{register: three, trusted: loopbackProxy})
		for i := range 3 {
			p.expect(p.postFrom("/api/auth/register", "10.9.9.9, 2001:db8:1:2::"+strconv.Itoa(i+1), creds("proxied"+strconv.Itoa(i)+"@example.com", "correct horse battery")), 201, nil)
		}
		// Same IPv6 /64 as above: over budget.
		p.expectError(p.postFrom("/api/auth/register", "2001:db8:1:2::ffff", creds("proxied9@example.com", "correct horse battery")), 429, app.ERateLimited)
		p.expect(p.postFrom("/api/auth/register", "2001:db8:1:3::1", creds("proxied8@example.com", "correct horse battery")), 201, nil)
	})
}
