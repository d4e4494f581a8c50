package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// deleteMe deletes the caller's account; the body re-enters the password.
func (h *handler) deleteMe(w http.ResponseWriter, r *http.Request, u app.User) {
	var in struct {
		Password string `json:"password"`
	}
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	st, err := h.svc.DeleteAccount(r.Context(), u.ID, in.Password)
	respond.SetRateHeaders(w, st, err)
	respondNoContent(w, r, h, err)
}

// exportMe streams a zip archive of the caller's data. It lasts as long
// as the client takes to read it: each write extends the connection's
// write deadline (respond.StreamWriter), or the server's WriteTimeout
// would cut every export that takes longer to download. Once the first
// byte is out the status cannot change, so a failure after it aborts the
// connection: the client sees a truncated download, never a short archive
// that looks complete.
func (h *handler) exportMe(w http.ResponseWriter, r *http.Request, u app.User) {
	h.streamExport(w, r, func(out io.Writer) error {
		return h.svc.ExportAccount(r.Context(), u.ID, out)
	})
}

// exportLink is a single-use link to the caller's export, for browsers: a
// plain link streams to disk, where a request with a bearer header must
// be collected in memory first.
func (h *handler) exportLink(w http.ResponseWriter, r *http.Request, u app.User) {
	if err := readNoFields(w, r, h.maxJSON); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	tok, expires, err := h.svc.CreateExportLink(r.Context(), u.ID)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}{"/api/auth/export/" + tok, expires})
}

// exportByLink streams the export a link made by exportLink names, and
// uses the link up.
func (h *handler) exportByLink(w http.ResponseWriter, r *http.Request) {
	h.streamExport(w, r, func(out io.Writer) error {
		return h.svc.ExportByLink(r.Context(), r.PathValue("token"), out)
	})
}

// streamExport sends the archive export writes.
func (h *handler) streamExport(w http.ResponseWriter, r *http.Request, export func(io.Writer) error) {
	sw := respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) {
		hd.Set("Content-Type", "application/zip")
		hd.Set("Content-Disposition", `attachment; filename="voxclone-export.zip"`)
		// The link is single-use: no cache may keep or replay the archive.
		hd.Set("Cache-Control", "no-store")
	})
	err := export(sw)
	if err == nil {
		return
	}
	if !sw.Started() {
		writeError(w, r, h.log, err)
		return
	}
	h.log.Error("export interrupted", slog.String("request_id", app.RequestFrom(r.Context()).RequestID), slog.Any("err", err))
	panic(http.ErrAbortHandler)
}

func (h *handler) listAudit(w http.ResponseWriter, r *http.Request, u app.User) {
	limit, cursor, err := pageQuery(r)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	page, err := h.svc.ListAudit(r.Context(), u.ID, limit, cursor)
	if page.Items == nil {
		page.Items = []app.AuditEvent{}
	}
	respondOK(w, r, h, page, err)
}
