// Package web is voxclone's browser app: static HTML, CSS and JavaScript
// embedded in the binary and served at / by the HTTP API. It talks to the
// JSON API only; it has no server-side logic of its own.
//
// The app is plain ES modules with no build step, so the files in static/
// are exactly what the browser runs. docs/web.md describes it for users.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// csp allows nothing but the app's own files and API. Recordings and
// results play from blob: URLs; nothing inline, nothing from elsewhere.
const csp = "default-src 'self'; media-src 'self' blob: data:; img-src 'self' data: blob:; " +
	"style-src 'self'; script-src 'self'; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

// Handler serves the app's files. Paths without a file extension that match
// no file get index.html, so the app's own routes (/voices, /speak…)
// survive a reload; a missing file with an extension is a plain 404 rather
// than HTML that a browser would try to run as a script.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	etags := hashFiles(sub)
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer")
		name := clean(r.URL.Path)
		if _, ok := etags[name]; !ok {
			if path.Ext(name) != "" {
				http.NotFound(w, r)
				return
			}
			name = "index.html"
		}
		// Files change only with the binary: revalidate each time, and let
		// the content hash make that a cheap 304.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etags[name])
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + name
		if name == "index.html" {
			// FileServer redirects /index.html to /; serve the folder instead.
			r2.URL.Path = "/"
		}
		files.ServeHTTP(w, r2)
	})
}

// clean maps a URL path to a file name inside static/, "index.html" for the
// root. path.Clean removes any "..", so the result never leaves the folder.
func clean(p string) string {
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		return "index.html"
	}
	return name
}

// hashFiles returns a strong ETag for every embedded file.
func hashFiles(fsys fs.FS) map[string]string {
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		return nil
	})
	if err != nil {
		panic(err) // embedded files are always readable
	}
	return out
}
