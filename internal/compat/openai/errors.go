package openai

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// errorBody is OpenAI's error shape. Param and Code are null when unknown,
// as OpenAI sends them.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// OpenAI's error types.
const (
	typeInvalid   = "invalid_request_error"
	typeRateLimit = "requests"
	typeServer    = "server_error"
)

const internalMessage = "The server had an error while processing your request."

// WriteError answers err in OpenAI's error shape. Internal errors are
// logged with their detail and shown with a generic message; the status
// comes from err's app code.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status, body := describe(err)
	if status == http.StatusInternalServerError {
		respond.LogInternal(r, log, err)
	}
	respond.SetRetryAfter(w, err)
	respond.JSON(w, status, body, `{"error":{"message":"`+internalMessage+`","type":"server_error","param":null,"code":null}}`)
}

// describe maps an error to its status and OpenAI error body.
func describe(err error) (int, errorBody) {
	code := app.ErrorCode(err)
	status, typ, oaCode := statusOf(code)
	msg := app.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		msg = internalMessage
	}
	switch why := compat.ReasonOf(err); why {
	case "":
	case compat.ReasonTextTooLong:
		oaCode = "string_above_max_length" // what OpenAI answers for input over its cap
	default:
		oaCode = why
	}
	d := errorDetail{Message: msg, Type: typ, Code: optional(oaCode)}
	if f := compat.FieldOf(err); f != "" {
		d.Param = &f
	}
	return status, errorBody{Error: d}
}

// statusOf maps an app error code to the HTTP status, OpenAI's error type
// and a default error code.
func statusOf(code string) (int, string, string) {
	switch code {
	case app.EInvalid:
		return http.StatusBadRequest, typeInvalid, ""
	case app.EUnauthorized:
		return http.StatusUnauthorized, typeInvalid, "invalid_api_key"
	case app.ENotFound:
		return http.StatusNotFound, typeInvalid, ""
	case "method_not_allowed":
		return http.StatusMethodNotAllowed, typeInvalid, ""
	case app.EConflict:
		return http.StatusConflict, typeInvalid, ""
	case app.ETooLarge:
		return http.StatusRequestEntityTooLarge, typeInvalid, ""
	case app.EUnsupported:
		return http.StatusUnsupportedMediaType, typeInvalid, ""
	case app.EUnprocessable:
		return http.StatusUnprocessableEntity, typeInvalid, ""
	case app.ERateLimited:
		return http.StatusTooManyRequests, typeRateLimit, "rate_limit_exceeded"
	case app.EUnavailable:
		return http.StatusServiceUnavailable, typeServer, "service_unavailable"
	}
	return http.StatusInternalServerError, typeServer, ""
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Credentials reads the caller's login token or API key from
// "Authorization: Bearer …", as OpenAI's clients send their key.
func Credentials(r *http.Request) (string, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", app.Errorf(app.EUnauthorized,
			"You didn't provide an API key. Send a voxclone API key (or login token) as 'Authorization: Bearer <key>'.")
	}
	return token, nil
}

// UnknownRoute is the error for a path under /v1 that voxclone does not
// serve, worded as OpenAI words it.
func UnknownRoute(r *http.Request) error {
	path := r.URL.Path
	if len(path) > 200 {
		path = path[:200] + "…"
	}
	return app.Errorf(app.ENotFound, "Invalid URL (%s %s): voxclone serves /v1/audio/speech, /v1/audio/voices and /v1/models.", r.Method, path)
}
