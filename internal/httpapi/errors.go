package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// codeMethodNotAllowed is the one error code the HTTP layer adds to app's:
// the route exists but not with this method.
const codeMethodNotAllowed = "method_not_allowed"

// internalMessage is all a user learns about a 500; the detail is logged.
const internalMessage = "An internal error occurred."

// StatusCode maps an error code to its HTTP status. Unknown codes are 500.
func StatusCode(code string) int {
	switch code {
	case app.EInvalid:
		return http.StatusBadRequest
	case app.EUnauthorized:
		return http.StatusUnauthorized
	case app.EForbidden, app.EConsentRequired, app.EConsentMismatch:
		return http.StatusForbidden
	case app.ENotFound:
		return http.StatusNotFound
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case app.EConflict:
		return http.StatusConflict
	case app.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case app.EUnsupported:
		return http.StatusUnsupportedMediaType
	case app.EUnprocessable, app.EConsentRefused:
		return http.StatusUnprocessableEntity
	case app.ERateLimited:
		return http.StatusTooManyRequests
	case app.EUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with err's status and a JSON error body. Internal
// errors are logged with their detail and shown with a generic message.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	err = classify(err)
	code := app.ErrorCode(err)
	status := StatusCode(code)
	if status == http.StatusInternalServerError {
		code = app.EInternal
		respond.LogInternal(r, log, err)
	}
	respond.SetRetryAfter(w, err)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="voxclone"`)
	}
	msg := app.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		msg = internalMessage
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// classify turns the standard library's request errors into app errors so
// they map to the right status.
func classify(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &app.Error{Code: app.ETooLarge, Message: "Request body is larger than " + humanBytes(mbe.Limit) + ".", Err: err}
	}
	return err
}

// humanBytes writes n as MB/KB for messages.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}
