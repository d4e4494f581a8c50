package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t testing.TB, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://voxclone.test/", nil)
	req.URL.Path = path
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec
}

func TestHandler(t *testing.T) {
	tests := []struct {
		path   string
		status int
		ctype  string
		body   string
	}{
		{"/", 200, "text/html", `<script type="module" src="/js/app.js">`},
		{"/index.html", 200, "text/html", `<main id="main"`},
		{"/voices", 200, "text/html", `<main id="main"`},
		{"/speak/extra/parts", 200, "text/html", `<main id="main"`},
		{"/js/app.js", 200, "text/javascript", "import"},
		{"/js/capture-worklet.js", 200, "text/javascript", "registerProcessor"},
		{"/css/app.css", 200, "text/css", ":root"},
		{"/favicon.svg", 200, "image/svg+xml", "<svg"},
		{"/js/missing.js", 404, "text/plain", "not found"},
		{"/../../etc/passwd.txt", 404, "text/plain", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := get(t, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tt.ctype)
			}
			if !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body lacks %q", tt.body)
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("CSP %q", csp)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff header")
			}
		})
	}
}

func TestHandlerRevalidates(t *testing.T) {
	first := get(t, "/js/api.js")
	etag := first.Header().Get("ETag")
	if etag == "" || first.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q; want a hash and no-cache", etag, first.Header().Get("Cache-Control"))
	}
	if again := get(t, "/js/api.js", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Errorf("status %d for a matching ETag, want 304", again.Code)
	}
	if other := get(t, "/js/ui.js", "If-None-Match", etag); other.Code != http.StatusOK {
		t.Errorf("status %d for another file's ETag, want 200", other.Code)
	}
}

// The CSP forbids inline code, so any inline script, style or handler in
// the markup would silently not work.
func TestMarkupHasNoInlineCode(t *testing.T) {
	html := readStatic(t, "index.html")
	for _, re := range []string{`<script(?:\s[^>]*)?>\s*[^<\s]`, `\sstyle\s*=`, `\son[a-z]+\s*=`, `<style`} {
		if m := regexp.MustCompile(`(?i)` + re).FindString(html); m != "" {
			t.Errorf("index.html has inline code: %q", m)
		}
	}
}

// Every module the app imports and every worklet it loads must be embedded,
// and text from users must never reach the DOM as HTML.
func TestScriptsResolve(t *testing.T) {
	importRe := regexp.MustCompile(`(?:from\s+|import\(|addModule\()\s*"([^"]+)"`)
	for _, name := range jsFiles(t) {
		src := readStatic(t, name)
		for _, m := range importRe.FindAllStringSubmatch(src, -1) {
			target := m[1]
			if !strings.HasPrefix(target, "/") {
				target = dirOf(name) + "/" + target
			}
			if _, err := fs.Stat(static, "static/"+clean(target)); err != nil {
				t.Errorf("%s loads %q, which is not embedded", name, m[1])
			}
		}
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
			if strings.Contains(src, bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}

// The views find their elements with $("id"); a typo would only show up
// as a null error in the browser.
func TestScriptIDsExist(t *testing.T) {
	html := readStatic(t, "index.html")
	idRe := regexp.MustCompile(`\$\("([A-Za-z0-9_-]+)"\)`)
	seen := 0
	for _, name := range jsFiles(t) {
		for _, m := range idRe.FindAllStringSubmatch(readStatic(t, name), -1) {
			seen++
			if !strings.Contains(html, `id="`+m[1]+`"`) {
				t.Errorf("%s uses $(%q), which index.html does not have", name, m[1])
			}
		}
	}
	if seen < 50 {
		t.Errorf("found only %d $(id) uses; is the pattern still right?", seen)
	}
}

func readStatic(t testing.TB, name string) string {
	t.Helper()
	b, err := fs.ReadFile(static, "static/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".js") {
			out = append(out, strings.TrimPrefix(p, "static/"))
		}
		return err
	})
	if err != nil || len(out) < 5 {
		t.Fatalf("found %d scripts: %v", len(out), err)
	}
	return out
}

func dirOf(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return "/" + name[:i]
	}
	return ""
}

// FuzzHandler checks that no request path panics or serves anything but an
// embedded file or a 404.
func FuzzHandler(f *testing.F) {
	for _, s := range []string{"/", "/voices", "/js/app.js", "/../x", "//a//b/../../c.js", "/%00", "/index.html/", "/js/"} {
		f.Add(s)
	}
	index := readStatic(f, "index.html")
	f.Fuzz(func(t *testing.T, p string) {
		rec := get(t, "/"+p)
		switch rec.Code {
		case http.StatusOK:
			name := clean("/" + p)
			body := rec.Body.String()
			if b, err := fs.ReadFile(static, "static/"+name); err == nil {
				if body != string(b) {
					t.Fatalf("%q served something other than %s", p, name)
				}
			} else if body != index {
				t.Fatalf("%q served neither a file nor index.html", p)
			}
		case http.StatusNotFound, http.StatusMovedPermanently:
		default:
			t.Fatalf("%q: status %d", p, rec.Code)
		}
	})
}
