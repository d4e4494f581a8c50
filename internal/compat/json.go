package compat

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// ReadJSON reads a request body of at most limit bytes holding one JSON
// object into dst. Unlike voxclone's own API it ignores members dst does
// not know: these APIs' clients send options voxclone has no use for, and
// their servers accept them. A Content-Type other than JSON (or none) is
// EUnsupported, an oversized body ETooLarge, anything malformed EInvalid
// naming the field when there is one.
func ReadJSON(w http.ResponseWriter, r *http.Request, limit int64, dst any) error {
	data, err := ReadBody(w, r, limit)
	if err != nil {
		return err
	}
	return DecodeJSON(data, dst)
}

// ReadBody returns a JSON request body of at most limit bytes, checking
// its Content-Type (JSON or none) on the way.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, app.Errorf(app.EUnsupported, "Content-Type must be application/json.")
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, BodyError(err)
	}
	return data, nil
}

// BodyError explains a failure to read a request body: ETooLarge over the
// limit, EInvalid otherwise.
func BodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &app.Error{Code: app.ETooLarge, Err: err,
			Message: "The request body is larger than " + humanCount(int(mbe.Limit)) + " bytes."}
	}
	return &app.Error{Code: app.EInvalid, Message: "Could not read the request body.", Err: err}
}

// DecodeJSON decodes data, one JSON object, into dst, ignoring unknown
// members. Errors are EInvalid, FieldErrors when a member has the wrong
// type.
func DecodeJSON(data []byte, dst any) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return app.Errorf(app.EInvalid, "The request body is empty; expected a JSON object.")
	}
	if trimmed[0] != '{' {
		return app.Errorf(app.EInvalid, "The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return app.Errorf(app.EInvalid, "The request body must hold a single JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &app.Error{Code: app.EInvalid, Err: err,
			Message: "Malformed JSON at byte " + humanCount(int(syn.Offset)) + "."}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &app.Error{Code: app.EInvalid, Message: "Malformed JSON: the body ends early.", Err: err}
	case errors.As(err, &typ) && typ.Field != "":
		return &FieldError{Field: typ.Field, Err: &app.Error{Code: app.EInvalid, Err: err,
			Message: "'" + typ.Field + "' must be " + respond.JSONKind(typ.Type.Kind().String()) + "."}}
	}
	return &app.Error{Code: app.EInvalid, Message: "Malformed JSON.", Err: err}
}
