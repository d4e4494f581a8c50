// Package web is voxclone's browser app: static HTML, CSS and JavaScript
// embedded in the binary and served at / by the HTTP API. It talks to the
// JSON API only; it has no server-side logic of its own.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Handler serves the app's files. Unknown paths get index.html so the app's
// own routes survive a reload.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; media-src 'self' blob: data:; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'")
		if _, err := fs.Stat(sub, trimSlash(r.URL.Path)); err != nil {
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/"
			files.ServeHTTP(w, r2)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func trimSlash(p string) string {
	for len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	if p == "" {
		return "index.html"
	}
	return p
}
