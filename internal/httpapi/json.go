package httpapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// readJSON decodes the request body, at most limit bytes holding exactly
// one JSON object with only known fields, into dst.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, dst any) error {
	if err := checkJSONType(r); err != nil {
		return err
	}
	data, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	return decodeJSON(data, dst)
}

// readNoFields accepts a request body that is absent, blank or a JSON
// object without fields ("{}"), for routes that take no parameters. Any
// other body is refused as readJSON would refuse it (an unknown field,
// malformed JSON, another Content-Type, over limit), so a client that
// believes it is setting an option learns that it is not.
func readNoFields(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.ContentLength == 0 {
		return nil
	}
	data, err := readBody(w, r, limit)
	if err != nil || len(bytes.TrimLeft(data, " \t\r\n")) == 0 {
		return err
	}
	if err := checkJSONType(r); err != nil {
		return err
	}
	return decodeJSON(data, &struct{}{})
}

// checkJSONType refuses a Content-Type other than JSON; none is taken
// as JSON.
func checkJSONType(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return app.Errorf(app.EUnsupported, "Content-Type must be application/json.")
		}
	}
	return nil
}

// readBody reads the request body, at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, classify(err)
		}
		return nil, &app.Error{Code: app.EInvalid, Message: "Could not read the request body.", Err: err}
	}
	return data, nil
}

// decodeJSON decodes data, which must be one JSON object in UTF-8 with
// only fields dst knows, each once and named exactly (encoding/json would
// take "Text" for "text"), into dst. Errors are EInvalid with a message
// naming the problem.
func decodeJSON(data []byte, dst any) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return app.Errorf(app.EInvalid, "Request body is empty; expected a JSON object.")
	}
	if trimmed[0] != '{' {
		return app.Errorf(app.EInvalid, "Request body must be a JSON object.")
	}
	if !utf8.Valid(data) {
		return app.Errorf(app.EInvalid, "Request body is not valid UTF-8.")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if err := jsonv2.UnmarshalDecode(dec, dst, jsonv2.RejectUnknownMembers(true)); err != nil {
		return jsonError(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return app.Errorf(app.EInvalid, "Request body must hold a single JSON object.")
	}
	return nil
}

// jsonError turns a decoding error into a message a client can act on.
func jsonError(err error) error {
	var syn *jsontext.SyntacticError
	var sem *jsonv2.SemanticError
	msg := "Malformed JSON."
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "Malformed JSON: the body ends early."
	case errors.As(err, &syn) && errors.Is(err, jsontext.ErrDuplicateName):
		msg = "Field " + fieldName(syn.JSONPointer) + " appears more than once."
	case errors.As(err, &syn):
		msg = "Malformed JSON at byte " + strconv.FormatInt(syn.ByteOffset, 10) + "."
	case errors.As(err, &sem) && errors.Is(err, jsonv2.ErrUnknownName):
		msg = "Unknown field " + fieldName(sem.JSONPointer) + "."
	case errors.As(err, &sem) && sem.GoType != nil && sem.JSONPointer != "":
		msg = "Field " + fieldName(sem.JSONPointer) + " must be " + respond.JSONKind(sem.GoType.Kind().String()) + "."
	}
	return &app.Error{Code: app.EInvalid, Message: msg, Err: err}
}

// fieldName quotes the field a JSON pointer ("/ids/0") leads to, as "ids/0".
func fieldName(p jsontext.Pointer) string {
	return strconv.Quote(strings.TrimPrefix(string(p), "/"))
}

// writeJSON answers with status and v as JSON. v is encoded before anything
// is sent, so an encoding failure still yields a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	respond.JSON(w, status, v, `{"error":{"code":"internal","message":"`+internalMessage+`"}}`)
}
