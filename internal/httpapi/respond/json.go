package respond

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// JSON answers status with v as JSON. v is encoded before anything is
// sent, so an encoding failure still yields a clean 500 whose body is
// fallback (a complete JSON document in the family's error shape).
func JSON(w http.ResponseWriter, status int, v any, fallback string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // API clients, not HTML pages, read these
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(fallback + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// JSONKind names a Go kind the way a JSON client thinks of it, for
// messages such as "'speed' must be a number."
func JSONKind(kind string) string {
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
