package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
)

// readJSON decodes the request body, at most limit bytes holding exactly
// one JSON object with only known fields, into dst.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return app.Errorf(app.EUnsupported, "Content-Type must be application/json.")
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return classify(err)
		}
		return &app.Error{Code: app.EInvalid, Message: "Could not read the request body.", Err: err}
	}
	return decodeJSON(data, dst)
}

// decodeJSON decodes data, which must be one JSON object with only fields
// dst knows, into dst. Errors are EInvalid with a message naming the
// problem.
func decodeJSON(data []byte, dst any) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return app.Errorf(app.EInvalid, "Request body is empty; expected a JSON object.")
	}
	if trimmed[0] != '{' {
		return app.Errorf(app.EInvalid, "Request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return app.Errorf(app.EInvalid, "Request body must hold a single JSON object.")
	}
	return nil
}

// jsonError turns an encoding/json error into a message a client can act
// on.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	msg := "Malformed JSON."
	switch {
	case errors.As(err, &syn):
		msg = "Malformed JSON at byte " + strconv.FormatInt(syn.Offset, 10) + "."
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "Malformed JSON: the body ends early."
	case errors.As(err, &typ) && typ.Field != "":
		msg = "Field \"" + typ.Field + "\" must be " + jsonType(typ.Type.Kind().String()) + "."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		msg = "Unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "."
	}
	return &app.Error{Code: app.EInvalid, Message: msg, Err: err}
}

// jsonType names a Go kind the way a JSON client thinks of it.
func jsonType(kind string) string {
	switch {
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case kind == "slice" || kind == "array":
		return "an array"
	case kind == "struct" || kind == "map":
		return "an object"
	case strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint") || strings.HasPrefix(kind, "float"):
		return "a number"
	default:
		return "of another type"
	}
}

// writeJSON answers with status and v as JSON. v is encoded before anything
// is sent, so an encoding failure still yields a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // API clients, not HTML pages, read these
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"` + internalMessage + `"}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
