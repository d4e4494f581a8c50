package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
)

// Limits of the upload form besides the audio itself.
const (
	maxFieldBytes   = 16 << 10 // name or transcript
	maxDisplayName  = 100      // runes kept from a file name
	multipartSlack  = 64 << 10 // boundaries and part headers
	uploadFieldName = "audio"
)

// uploadForm is a parsed upload: the audio bytes and the optional fields.
// FileName is the client's name for the file, only ever used as a display
// name after sanitizeName.
type uploadForm struct {
	Audio      []byte
	FileName   string
	Name       string
	Transcript string
}

func (h *handler) upload(w http.ResponseWriter, r *http.Request, u app.User) {
	form, ok := h.readUpload(w, r)
	if !ok {
		return
	}
	name := form.Name
	if name == "" {
		name = sanitizeName(form.FileName)
	}
	s, err := h.svc.UploadSample(r.Context(), u.ID, app.UploadInput{
		Name:       name,
		Transcript: form.Transcript,
		Data:       bytes.NewReader(form.Audio),
	})
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, s)
}

// readUpload reads the upload form of r (see uploadForm). On failure it
// has answered and returns false.
func (h *handler) readUpload(w http.ResponseWriter, r *http.Request) (uploadForm, bool) {
	form, err := h.uploadForm(w, r)
	if err != nil {
		writeError(w, r, h.log, err)
		return uploadForm{}, false
	}
	return form, true
}

// uploadForm reads the upload form of r (an "audio" part limited like a
// sample, plus small fields), refusing a declared length over the limit
// before reading any of it.
func (h *handler) uploadForm(w http.ResponseWriter, r *http.Request) (uploadForm, error) {
	limit := h.maxUpload + 2*maxFieldBytes + multipartSlack
	if r.ContentLength > limit {
		return uploadForm{}, app.Errorf(app.ETooLarge, "Upload is larger than %s.", humanBytes(h.maxUpload))
	}
	return parseUpload(http.MaxBytesReader(w, r.Body, limit), r.Header.Get("Content-Type"), h.maxUpload)
}

// parseUpload reads a multipart/form-data body with one file part "audio"
// (at most maxAudio bytes) and optional "name" and "transcript" fields.
// Unknown or repeated parts are rejected so the form stays bounded.
func parseUpload(body io.Reader, contentType string, maxAudio int64) (uploadForm, error) {
	var form uploadForm
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return form, app.Errorf(app.EUnsupported, "Content-Type must be multipart/form-data with the file in the %q field.", uploadFieldName)
	}
	mr := multipart.NewReader(body, params["boundary"])
	seen := map[string]bool{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return form, formError(err, fmt.Sprintf("Malformed multipart body: send the file as multipart/form-data in the %q field (curl -F %s=@FILE).", uploadFieldName, uploadFieldName))
		}
		field := p.FormName()
		if seen[field] {
			return form, app.Errorf(app.EInvalid, "Form field %q appears more than once.", field)
		}
		seen[field] = true
		if err := readPart(&form, p, field, maxAudio); err != nil {
			return form, err
		}
	}
	if !seen[uploadFieldName] {
		return form, app.Errorf(app.EInvalid, "Missing the audio file: send it in the %q form field.", uploadFieldName)
	}
	if len(form.Audio) == 0 {
		return form, app.Errorf(app.EInvalid, "The audio file is empty.")
	}
	return form, nil
}

// readPart stores one form part in form.
func readPart(form *uploadForm, p *multipart.Part, field string, maxAudio int64) error {
	switch field {
	case uploadFieldName:
		data, err := io.ReadAll(io.LimitReader(p, maxAudio+1))
		if err != nil {
			return formError(err, "The upload ended before the audio file did: send the whole file again.")
		}
		if int64(len(data)) > maxAudio {
			return app.Errorf(app.ETooLarge, "Audio file is larger than %s.", humanBytes(maxAudio))
		}
		form.Audio, form.FileName = data, p.FileName()
	case "name", "transcript":
		data, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
		if err != nil {
			return formError(err, fmt.Sprintf("The upload ended in the middle of the %q field: send the whole form again.", field))
		}
		if len(data) > maxFieldBytes || !utf8.Valid(data) {
			return app.Errorf(app.EInvalid, "Form field %q must be UTF-8 text of at most %s.", field, humanBytes(maxFieldBytes))
		}
		if field == "name" {
			form.Name = strings.TrimSpace(string(data))
		} else {
			form.Transcript = strings.TrimSpace(string(data))
		}
	default:
		return app.Errorf(app.EInvalid, "Unknown form field %q; expected audio, name or transcript.", field)
	}
	return nil
}

// formError keeps a body-too-large error as such and turns anything else
// into EInvalid with msg.
func formError(err error, msg string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return classify(err)
	}
	return &app.Error{Code: app.EInvalid, Message: msg, Err: err}
}

// sanitizeName turns a client's file name into a display name: the last
// path element without its extension, control characters removed, at most
// maxDisplayName runes. It is never used to build a path.
func sanitizeName(fileName string) string {
	base := path.Base(strings.ReplaceAll(fileName, `\`, "/"))
	if base == "." || base == "/" || base == ".." {
		return ""
	}
	if ext := path.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	n := 0
	for _, c := range base {
		if n == maxDisplayName {
			break
		}
		if c == utf8.RuneError || unicode.IsControl(c) {
			continue
		}
		b.WriteRune(c)
		n++
	}
	return strings.TrimSpace(b.String())
}

func (h *handler) listSamples(w http.ResponseWriter, r *http.Request, u app.User) {
	samples, err := h.svc.ListSamples(r.Context(), u.ID)
	respondList(w, r, h, samples, err)
}

func (h *handler) deleteSample(w http.ResponseWriter, r *http.Request, u app.User) {
	respondNoContent(w, r, h, h.svc.DeleteSample(r.Context(), u.ID, r.PathValue("id")))
}
