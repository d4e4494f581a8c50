package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// authenticated resolves the caller from the credentials the API family
// reads (a JWT from login or a personal API key; "Bearer …" on voxclone's
// own API) and calls fn, with the route's rate budget when it has one (see
// metered). Errors take the family's shape.
func (h *handler) authenticated(api *family, limit app.Action, fn userHandler) http.Handler {
	if limit != "" {
		fn = h.metered(api, limit, fn)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, err := api.credentials(r)
		if err != nil {
			api.writeError(w, r, h.log, err)
			return
		}
		u, err := h.svc.Authenticate(r.Context(), token)
		if err != nil {
			api.writeError(w, r, h.log, err)
			return
		}
		fn(w, r, u)
	})
}

// bearer returns the credentials of an "Authorization: Bearer …" header.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// credentials adds the client address that the login and registration
// limits count against.
func (h *handler) credentials(r *http.Request, in credentials) app.Credentials {
	return app.Credentials{Email: in.Email, Password: in.Password, Client: clientAddr(r, h.trusted)}
}

func (h *handler) register(w http.ResponseWriter, r *http.Request) {
	var in credentials
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	u, token, st, err := h.svc.RegisterFrom(r.Context(), h.credentials(r, in))
	respond.SetRateHeaders(w, st, err)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		User  app.User `json:"user"`
		Token string   `json:"token"`
	}{u, token})
}

func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	var in credentials
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	token, st, err := h.svc.LoginFrom(r.Context(), h.credentials(r, in))
	respond.SetRateHeaders(w, st, err)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Token     string     `json:"token"`
		ExpiresAt *time.Time `json:"expires_at,omitempty"`
	}{token, tokenExpiry(token)})
}

// tokenExpiry reads the exp claim of a token the service just signed, so
// clients know when to log in again. The signature needs no check here.
func tokenExpiry(token string) *time.Time {
	var claims jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &claims); err != nil || claims.ExpiresAt == nil {
		return nil
	}
	t := claims.ExpiresAt.UTC()
	return &t
}

func (h *handler) createKey(w http.ResponseWriter, r *http.Request, u app.User) {
	var in struct {
		Name string `json:"name"`
	}
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	key, secret, err := h.svc.CreateAPIKey(r.Context(), u.ID, in.Name)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		Key    app.APIKey `json:"key"`
		Secret string     `json:"secret"`
	}{key, secret})
}

func (h *handler) listKeys(w http.ResponseWriter, r *http.Request, u app.User) {
	keys, err := h.svc.ListAPIKeys(r.Context(), u.ID)
	respondList(w, r, h, keys, err)
}

func (h *handler) deleteKey(w http.ResponseWriter, r *http.Request, u app.User) {
	err := h.svc.DeleteAPIKey(r.Context(), u.ID, r.PathValue("id"))
	respondNoContent(w, r, h, err)
}

// respondList answers {"items":[…]}, never null, or the error.
func respondList[T any](w http.ResponseWriter, r *http.Request, h *handler, items []T, err error) {
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, struct {
		Items []T `json:"items"`
	}{items})
}

// respondOK answers 200 with v as JSON, or the error.
func respondOK(w http.ResponseWriter, r *http.Request, h *handler, v any, err error) {
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// respondNoContent answers 204 or the error.
func respondNoContent(w http.ResponseWriter, r *http.Request, h *handler, err error) {
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
