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
	// link's click is swallowed and its address kept. The page must hand
	// over a link the browser can stream to disk, not a blob it collected
	// in memory; the test then follows the link, with no credentials, as
	// the browser would.
	evalJS[any](t, p, `(() => { window.exportedURL = ""; window.exportedName = ""; window.blobbed = false;
		const real = URL.createObjectURL.bind(URL);
		URL.createObjectURL = (b) => { window.blobbed = true; return real(b); };
		const click = HTMLAnchorElement.prototype.click;
		HTMLAnchorElement.prototype.click = function () {
			if (this.download) { window.exportedURL = this.href; window.exportedName = this.download; return; }
			click.call(this);
		}; })()`)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("export-data")))
	p.waitJS(t, `window.exportedURL !== "" && idle()`, 30*time.Second)
	got := evalJS[map[string]any](t, p, `(async () => {
		const url = new URL(window.exportedURL);
		const res = await fetch(url, { credentials: "omit" });
		const b = await res.blob();
		const head = new Uint8Array(await b.slice(0, 2).arrayBuffer());
		const again = await fetch(url, { credentials: "omit" });
		return {status: res.status, size: b.size, type: b.type, magic: String.fromCharCode(...head), name: window.exportedName,
			path: url.pathname, blobbed: window.blobbed, again: again.status}; })()`)
	if got["status"] != float64(200) || got["type"] != "application/zip" || got["name"] != "voxclone-export.zip" ||
		got["magic"] != "PK" || got["size"].(float64) < 1000 {
		t.Errorf("exported %v; want a zip archive", got)
	}
	if path, _ := got["path"].(string); !strings.HasPrefix(path, "/api/auth/export/") || got["blobbed"] != false {
		t.Errorf("exported %v; want a link to /api/auth/export/…, not a blob collected by the page", got)
	}
	if got["again"] != float64(401) {
		t.Errorf("the export link answered %v when followed again; want 401, it is single-use", got["again"])
	}
	p.waitJS(t, `[...$("audit-list").children].some((li) => li.dataset.kind === "account.exported")`, 10*time.Second)

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
