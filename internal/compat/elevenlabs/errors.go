package elevenlabs

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// errorBody is ElevenLabs' error shape, {"detail":{"status","message"}}.
type errorBody struct {
	Detail errorDetail `json:"detail"`
}

type errorDetail struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

const internalMessage = "An internal error occurred."

// reasonStatus spells compat's reasons as ElevenLabs' "status" values.
var reasonStatus = map[string]string{
	compat.ReasonVoiceNotFound: "voice_not_found",
	compat.ReasonVoiceNotReady: "voice_not_ready",
	compat.ReasonTextTooLong:   "max_character_limit_exceeded",
	compat.ReasonBadFormat:     "invalid_output_format",
	compat.ReasonBadModel:      "model_not_found",
	reasonNoKey:                "needs_authorization",
	reasonHistoryNotFound:      "history_item_not_found",
}

// Reasons only this API reports.
const (
	reasonNoKey           = "needs_authorization"
	reasonHistoryNotFound = "history_item_not_found"
)

// WriteError answers err in ElevenLabs' error shape. Internal errors are
// logged with their detail and shown with a generic message.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status, body := describe(err)
	if status == http.StatusInternalServerError {
		respond.LogInternal(r, log, err)
	}
	respond.SetRetryAfter(w, err)
	respond.JSON(w, status, body, `{"detail":{"status":"internal_error","message":"`+internalMessage+`"}}`)
}

// describe maps an error to its status and ElevenLabs error body.
func describe(err error) (int, errorBody) {
	status, name := statusOf(app.ErrorCode(err))
	msg := app.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		msg = internalMessage
	}
	if s, ok := reasonStatus[compat.ReasonOf(err)]; ok {
		name = s
	}
	return status, errorBody{Detail: errorDetail{Status: name, Message: msg}}
}

// statusOf maps an app error code to the HTTP status and a default
// "status" value.
func statusOf(code string) (int, string) {
	switch code {
	case app.EInvalid:
		return http.StatusBadRequest, "invalid_request"
	case app.EUnauthorized:
		return http.StatusUnauthorized, "invalid_api_key"
	case app.ENotFound:
		return http.StatusNotFound, "not_found"
	case "method_not_allowed":
		return http.StatusMethodNotAllowed, "method_not_allowed"
	case app.EConsentRequired, app.EConsentMismatch:
		// Adding a voice needs the speaker's spoken consent first, made
		// with voxclone's own API (docs/trust.md).
		return http.StatusForbidden, code
	case app.EConflict:
		return http.StatusConflict, "conflict"
	case app.ETooLarge:
		return http.StatusRequestEntityTooLarge, "payload_too_large"
	case app.EUnsupported:
		return http.StatusUnsupportedMediaType, "unsupported_media_type"
	case app.EUnprocessable:
		return http.StatusUnprocessableEntity, "unprocessable"
	case app.ERateLimited:
		return http.StatusTooManyRequests, "too_many_requests"
	case app.EUnavailable:
		return http.StatusServiceUnavailable, "system_busy"
	}
	return http.StatusInternalServerError, "internal_error"
}

// Credentials reads the caller's API key from the xi-api-key header, as
// ElevenLabs' clients send it. Only personal API keys are accepted there:
// login tokens belong to voxclone's own API and the web app.
func Credentials(r *http.Request) (string, error) {
	key := strings.TrimSpace(r.Header.Get("xi-api-key"))
	if key == "" {
		return "", compat.WithReason(reasonNoKey, app.Errorf(app.EUnauthorized,
			"No xi-api-key header received: send a voxclone API key (vxk_…) in it."))
	}
	if !strings.HasPrefix(key, app.APIKeyPrefix) {
		return "", app.Errorf(app.EUnauthorized,
			"Invalid API key: xi-api-key must hold a voxclone API key (vxk_…), made on the API keys page or with POST /api/auth/keys.")
	}
	return key, nil
}

// UnknownRoute is the error for a path under /elevenlabs that voxclone
// does not serve.
func UnknownRoute(r *http.Request) error {
	return app.Errorf(app.ENotFound, "voxclone does not serve %s %s: it speaks a subset of ElevenLabs' API (voices, text-to-speech, history, models, user).",
		r.Method, compat.Clip(r.URL.Path, 200))
}
