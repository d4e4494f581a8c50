package web_test

// The account step of TestBrowser, run last: the activity list shows what
// the earlier steps did, "Export my data" downloads a zip, a wrong
// password leaves the account alone, and the right one, confirmed,
// deletes it: the app signs out and the server no longer knows the email.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func (p *page) deleteAccount(t *testing.T) {
	p.fill(t, "auth-email", email)
	p.fill(t, "auth-password", password)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("auth-submit")))
	p.waitJS(t, `idle() && location.pathname === "/samples"`, 15*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("account-email")))
	p.waitJS(t, `idle() && location.pathname === "/account" && $("audit-list").children.length > 0`, 10*time.Second)
	kinds := evalJS[string](t, p, `[...$("audit-list").children].map((li) => li.dataset.kind).join(" ")`)
	for _, k := range []string{"clone", "synthesis", "key.created", "key.revoked", "detect"} {
		if !strings.Contains(kinds, k) {
			t.Errorf("recent activity %q lacks %s", kinds, k)
		}
	}
	p.shot(t, "09-account")

	// The download is caught where the page hands it to the browser: the
	// blob is kept and the download link's click is swallowed.
	evalJS[any](t, p, `(() => { window.exported = null; window.exportedName = "";
		const real = URL.createObjectURL.bind(URL);
		URL.createObjectURL = (b) => { window.exported = b; return real(b); };
		const click = HTMLAnchorElement.prototype.click;
		HTMLAnchorElement.prototype.click = function () {
			if (this.download) { window.exportedName = this.download; return; }
			click.call(this);
		}; })()`)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("export-data")))
	p.waitJS(t, `window.exported !== null && idle()`, 30*time.Second)
	got := evalJS[map[string]any](t, p, `(async () => { const b = window.exported;
		const head = new Uint8Array(await b.slice(0, 2).arrayBuffer());
		return {size: b.size, type: b.type, magic: String.fromCharCode(...head), name: window.exportedName}; })()`)
	if got["type"] != "application/zip" || got["name"] != "voxclone-export.zip" || got["magic"] != "PK" || got["size"].(float64) < 1000 {
		t.Errorf("exported %v; want a zip archive", got)
	}

	p.fill(t, "delete-password", "not my password")
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("delete-submit")))
	p.waitJS(t, `$("confirm").open`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("confirm-ok")))
	p.waitBanner(t, "Wrong password", 10*time.Second)
	if path := evalJS[string](t, p, `location.pathname`); path != "/account" {
		t.Fatalf("after a wrong password the app is at %s", path)
	}

	p.fill(t, "delete-password", password)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("delete-submit")))
	p.waitJS(t, `$("confirm").open`, 5*time.Second)
	// Cancelling keeps everything.
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("confirm-cancel")))
	p.waitJS(t, `!$("confirm").open && location.pathname === "/account"`, 5*time.Second)
	if loginStatus(t, p.base) != http.StatusOK {
		t.Fatal("the account is gone after cancelling")
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("delete-submit")))
	p.waitJS(t, `$("confirm").open`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("confirm-ok")))
	p.waitJS(t, `location.pathname === "/signin" && sessionStorage.getItem("voxclone.session") === null && $("nav").hidden`, 10*time.Second)
	p.waitBanner(t, "deleted", 5*time.Second)
	p.shot(t, "10-account-deleted")
	if s := loginStatus(t, p.base); s != http.StatusUnauthorized {
		t.Errorf("logging in to the deleted account answers %d, want 401", s)
	}
}

// loginStatus tries the test account's email and password on the server.
func loginStatus(t *testing.T, base string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
