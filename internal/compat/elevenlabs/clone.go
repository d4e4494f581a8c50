package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// Limits of the voices/add form besides the audio files.
const (
	maxFieldBytes  = 16 << 10
	multipartSlack = 64 << 10
	reasonClone    = "voice_clone_failed"
)

// addVoiceResponse answers voices/add. No voxclone voice needs
// verification.
type addVoiceResponse struct {
	VoiceID              string `json:"voice_id"`
	RequiresVerification bool   `json:"requires_verification"`
}

// addForm is a parsed voices/add form; the files are already samples.
type addForm struct {
	Name, Description string
	SampleIDs         []string
	uploads           []*app.Budget // each sample's upload charge
}

// AddVoice serves POST /v1/voices/add (instant voice cloning): each file
// becomes one of the caller's samples, counted against the upload budget
// as voxclone's own upload is, and the voice is cloned from them. On any
// failure the samples made here are deleted again.
func (h *Handler) AddVoice(w http.ResponseWriter, r *http.Request, u app.User) {
	limit := int64(app.MaxModelSamples)*(h.maxUpload+multipartSlack) + 4*maxFieldBytes
	form, err := h.readAddForm(r.Context(), u.ID, http.MaxBytesReader(w, r.Body, limit), r.Header.Get("Content-Type"))
	if err == nil {
		var m app.Model
		if m, err = h.cloneVoice(r.Context(), u.ID, form); err == nil {
			h.writeJSON(w, http.StatusOK, addVoiceResponse{VoiceID: m.ID})
			return
		}
	}
	// A failed voices/add costs nothing: its samples go, and so do their
	// upload charges (the clone's own is given back by the route).
	h.deleteSamples(r.Context(), u.ID, form.SampleIDs)
	for _, b := range form.uploads {
		b.Refund(r.Context())
	}
	WriteError(w, r, h.log, err)
}

// cloneVoice is the one place a voice is cloned for this API: from the
// form's samples, which must make a voice that can speak. A model whose
// cloning failed is deleted again, and the failure is the answer.
func (h *Handler) cloneVoice(ctx context.Context, userID string, form addForm) (app.Model, error) {
	m, err := h.svc.CreateModel(ctx, userID, app.CreateModelInput{
		Name: form.Name, Description: form.Description, SampleIDs: form.SampleIDs})
	if err != nil {
		return app.Model{}, err
	}
	if m, err = h.waitBuilt(ctx, userID, m); err != nil {
		return app.Model{}, err
	}
	if m.Status == app.ModelFailed {
		if err := h.svc.DeleteModel(context.WithoutCancel(ctx), userID, m.ID); err != nil {
			h.log.Warn("delete failed clone", "error", err)
		}
		return app.Model{}, compat.WithReason(reasonClone, app.Errorf(app.EUnprocessable, "%s", m.Failure))
	}
	return m, nil
}

// Bounds of waiting for a worker to build a voice for voices/add.
const (
	buildPoll    = 100 * time.Millisecond
	buildPollMax = time.Second
	buildWait    = 2 * time.Minute
)

// waitBuilt waits until a worker has built m, as ElevenLabs answers
// voices/add with a voice that can speak at once. A voice still pending
// after buildWait is answered as it is (it speaks once built: a busy
// queue must not hold the request forever); a client that leaves ends
// the wait, and the voice is still built.
func (h *Handler) waitBuilt(ctx context.Context, userID string, m app.Model) (app.Model, error) {
	deadline := time.NewTimer(buildWait)
	defer deadline.Stop()
	for wait := buildPoll; m.Status == app.ModelPending; wait = min(2*wait, buildPollMax) {
		select {
		case <-ctx.Done():
			return m, nil // nobody to answer; the worker goes on
		case <-deadline.C:
			return m, nil
		case <-time.After(wait):
		}
		next, err := h.svc.GetModel(ctx, userID, m.ID)
		if err != nil {
			return m, err // e.g. deleted meanwhile: ENotFound says so
		}
		m = next
	}
	return m, nil
}

func (h *Handler) deleteSamples(ctx context.Context, userID string, ids []string) {
	ctx = context.WithoutCancel(ctx)
	for _, id := range ids {
		if err := h.svc.DeleteSample(ctx, userID, id); err != nil {
			h.log.Warn("delete sample of a failed voices/add", "error", err)
		}
	}
}

// readAddForm reads the multipart form, uploading each file as it
// arrives so that only one is in memory at a time. The sample ids made so
// far are in the form even when it fails.
func (h *Handler) readAddForm(ctx context.Context, userID string, body io.Reader, contentType string) (addForm, error) {
	var form addForm
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return form, app.Errorf(app.EUnsupported, "Content-Type must be multipart/form-data with the recordings in \"files\".")
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return form, formError(err, "Malformed multipart body: send the voice's name in \"name\" and each recording in \"files\", as multipart/form-data (curl -F name=NAME -F files=@FILE).")
		}
		if err := h.readAddPart(ctx, userID, &form, p); err != nil {
			return form, err
		}
	}
	switch {
	case form.Name == "":
		return form, compat.Fieldf("name", app.EInvalid, "'name' is required: the name of the new voice.")
	case len(form.SampleIDs) == 0:
		return form, compat.Fieldf("files", app.EInvalid, "'files' is required: one or more recordings of the voice.")
	}
	return form, nil
}

// readAddPart handles one form part. Fields voxclone does not use
// (remove_background_noise, labels, …) are read and ignored: voxclone
// always cleans samples and keeps no labels.
func (h *Handler) readAddPart(ctx context.Context, userID string, form *addForm, p *multipart.Part) error {
	field := p.FormName()
	if field == "files" {
		return h.addFile(ctx, userID, form, p)
	}
	data, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
	if err != nil {
		return formError(err, fmt.Sprintf("The upload ended in the middle of the %q field: send the whole form again.", compat.Clip(field, 40)))
	}
	if len(data) > maxFieldBytes {
		return compat.Fieldf(field, app.EInvalid, "Form field %q is longer than 16 KiB.", compat.Clip(field, 40))
	}
	switch field {
	case "name":
		form.Name = strings.TrimSpace(string(data))
	case "description":
		form.Description = strings.TrimSpace(string(data))
	}
	return nil
}

// addFile uploads one file as a sample, spending a unit of the upload
// budget.
func (h *Handler) addFile(ctx context.Context, userID string, form *addForm, p *multipart.Part) error {
	if len(form.SampleIDs) == app.MaxModelSamples {
		return compat.Fieldf("files", app.EInvalid, "Too many files: at most %d per voice.", app.MaxModelSamples)
	}
	// The route's own budget is the clone's; each file is an upload of its
	// own, charged by UploadSample once the file is recognised as audio and
	// given back with the rest when voices/add fails.
	b, err := h.svc.NewBudget(userID, app.ActionUpload, nil)
	if err != nil {
		return err
	}
	part := &partReader{r: p}
	s, err := h.svc.UploadSample(app.WithBudget(ctx, b), userID, app.UploadInput{
		Name: sampleName(p.FileName(), len(form.SampleIDs)+1), Data: part})
	form.uploads = append(form.uploads, b)
	if err != nil && part.err != nil {
		return formError(part.err, "The upload ended before the file in \"files\" did: send the whole form again.")
	}
	if err != nil {
		return err
	}
	form.SampleIDs = append(form.SampleIDs, s.ID)
	return nil
}

// partReader remembers why reading a form part failed, so that a body
// cut off is told from a failure of the upload behind it (storage, say),
// which must not be blamed on the client.
type partReader struct {
	r   io.Reader
	err error
}

func (pr *partReader) Read(p []byte) (int, error) {
	n, err := pr.r.Read(p)
	if err != nil && err != io.EOF && pr.err == nil {
		pr.err = err
	}
	return n, err
}

// sampleName makes a display name from a client's file name: its last
// element without extension or control characters, at most 100
// characters. It never reaches the file system.
func sampleName(fileName string, n int) string {
	base := path.Base(strings.ReplaceAll(fileName, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, base))
	if base == "" || base == "." || base == "/" {
		return "Sample " + strconv.Itoa(n)
	}
	return compat.Clip(base, 100)
}

// formError keeps a body-too-large or app error as it is and turns
// anything else into EInvalid with msg.
func formError(err error, msg string) error {
	var mbe *http.MaxBytesError
	var ae *app.Error
	switch {
	case errors.As(err, &mbe):
		return compat.BodyError(err)
	case errors.As(err, &ae):
		return err
	}
	return &app.Error{Code: app.EInvalid, Message: msg, Err: err}
}
