package httpapi

import (
	"log/slog"
	"net/http"

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

// exportMe streams a zip archive of the caller's data. Once the first
// byte is out the status cannot change, so a failure after it aborts the
// connection: the client sees a truncated download, never a short archive
// that looks complete.
func (h *handler) exportMe(w http.ResponseWriter, r *http.Request, u app.User) {
	ew := &exportWriter{w: w}
	err := h.svc.ExportAccount(r.Context(), u.ID, ew)
	if err == nil {
		return
	}
	if !ew.started {
		writeError(w, r, h.log, err)
		return
	}
	h.log.Error("export interrupted", slog.String("user_id", u.ID), slog.Any("err", err))
	panic(http.ErrAbortHandler)
}

// exportWriter sends the download's headers before the first byte.
type exportWriter struct {
	w       http.ResponseWriter
	started bool
}

func (e *exportWriter) Write(p []byte) (int, error) {
	if !e.started {
		e.started = true
		hd := e.w.Header()
		hd.Set("Content-Type", "application/zip")
		hd.Set("Content-Disposition", `attachment; filename="voxclone-export.zip"`)
		e.w.WriteHeader(http.StatusOK)
	}
	return e.w.Write(p)
}

func (h *handler) listAudit(w http.ResponseWriter, r *http.Request, u app.User) {
	limit, err := pageLimit(r)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	page, err := h.svc.ListAudit(r.Context(), u.ID, limit, r.URL.Query().Get("cursor"))
	if page.Items == nil {
		page.Items = []app.AuditEvent{}
	}
	respondOK(w, r, h, page, err)
}
