package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
)

const (
	tokenIssuer = "voxclone"
	// APIKeyPrefix starts every personal API key, so keys are recognisable
	// (and findable by secret scanners).
	APIKeyPrefix = "vxk_"
	apiKeySecret = 20 // random bytes; 160 bits
	apiKeyLen    = len(APIKeyPrefix) + 2*apiKeySecret
	apiKeyShown  = len(APIKeyPrefix) + 8 // characters kept as the display prefix
	// touchEvery throttles last_used_at writes, so a busy key does not
	// turn every request into a database write.
	touchEvery = time.Minute
)

// Register creates an account and returns it with a login token. The email
// is trimmed and lowercased; a taken email is EConflict. It applies no
// per-client limit: the HTTP API calls RegisterFrom.
func (s *Service) Register(ctx context.Context, email, password string) (User, string, error) {
	u, tok, _, err := s.RegisterFrom(ctx, Credentials{Email: email, Password: password})
	return u, tok, err
}

// createAccount stores a new user with a checked email and password and
// returns it with a login token.
func (s *Service) createAccount(ctx context.Context, email, password string) (User, string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cfg.PasswordCost)
	if err != nil {
		return User{}, "", err
	}
	u := User{ID: NewID(), Email: email, CreatedAt: s.now()}
	if err := s.store.CreateUser(ctx, u, string(hash)); err != nil {
		if ErrorCode(err) == EConflict {
			return User{}, "", &Error{Code: EConflict, Message: "An account with this email already exists.", Err: err}
		}
		return User{}, "", err
	}
	tok, err := s.issueToken(u.ID)
	return u, tok, err
}

// Login checks an email and password and returns a token. An unknown email
// and a wrong password give the same EUnauthorized error, after the same
// bcrypt work. Failures count against the email's budget as in LoginFrom.
func (s *Service) Login(ctx context.Context, email, password string) (string, error) {
	tok, _, err := s.LoginFrom(ctx, Credentials{Email: email, Password: password})
	return tok, err
}

// checkLogin is Login without rate limits; email is already normalized.
func (s *Service) checkLogin(ctx context.Context, email, password string) (string, error) {
	bad := Errorf(EUnauthorized, "Wrong email or password.")
	u, hash, err := s.store.FindUserByEmail(ctx, email)
	if ErrorCode(err) == ENotFound {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return "", bad
	} else if err != nil {
		return "", err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return "", bad
	}
	return s.issueToken(u.ID)
}

// Authenticate returns the user a bearer credential belongs to: a login
// token (JWT) or a personal API key (vxk_…). An optional "Bearer " prefix is
// ignored. Anything else, an expired token or a deleted user is
// EUnauthorized.
func (s *Service) Authenticate(ctx context.Context, bearer string) (User, error) {
	cred := strings.TrimSpace(bearer)
	if len(cred) > 7 && strings.EqualFold(cred[:7], "bearer ") {
		cred = strings.TrimSpace(cred[7:])
	}
	if cred == "" {
		return User{}, Errorf(EUnauthorized, "Missing credentials: send a token or API key as 'Authorization: Bearer …'.")
	}
	if strings.HasPrefix(cred, APIKeyPrefix) {
		return s.authenticateKey(ctx, cred)
	}
	userID, err := s.parseToken(cred)
	if err != nil {
		return User{}, err
	}
	u, err := s.store.FindUserByID(ctx, userID)
	if ErrorCode(err) == ENotFound {
		return User{}, Errorf(EUnauthorized, "The account for this token no longer exists.")
	}
	return u, err
}

func (s *Service) issueToken(userID string) (string, error) {
	now := s.cfg.Now()
	claims := jwt.RegisteredClaims{
		Issuer:    tokenIssuer,
		Subject:   userID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(s.cfg.TokenTTL)),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.cfg.JWTSecret)
}

// parseToken verifies a JWT (HS256 only, signature, issuer, expiry against
// the injected clock) and returns its subject.
func (s *Service) parseToken(tok string) (string, error) {
	var claims jwt.RegisteredClaims
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(s.cfg.Now), jwt.WithExpirationRequired(), jwt.WithIssuer(tokenIssuer))
	_, err := p.ParseWithClaims(tok, &claims, func(*jwt.Token) (any, error) { return s.cfg.JWTSecret, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "", &Error{Code: EUnauthorized, Message: "Your session has expired; log in again.", Err: err}
	case err != nil:
		return "", &Error{Code: EUnauthorized, Message: "Invalid token.", Err: err}
	case claims.Subject == "":
		return "", Errorf(EUnauthorized, "Invalid token.")
	}
	return claims.Subject, nil
}

// CreateAPIKey makes a personal API key for the user. The returned secret
// is shown once: only its SHA-256 hash is stored.
func (s *Service) CreateAPIKey(ctx context.Context, userID, name string) (APIKey, string, error) {
	name, err := cleanName(name, "API key", "name", maxNameRunes)
	if err != nil {
		return APIKey{}, "", err
	}
	var b [apiKeySecret]byte
	_, _ = rand.Read(b[:])
	secret := APIKeyPrefix + hex.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(secret))
	k := StoredAPIKey{
		APIKey: APIKey{ID: NewID(), UserID: userID, Name: name, Prefix: secret[:apiKeyShown], CreatedAt: s.now()},
		Hash:   sum[:],
	}
	if err := s.store.CreateAPIKey(ctx, k); err != nil {
		return APIKey{}, "", err
	}
	s.Audit(ctx, Event{Kind: AuditKeyCreated, UserID: userID, Subject: k.ID, Detail: "prefix=" + k.Prefix})
	return k.APIKey, secret, nil
}

// ListAPIKeys returns the user's keys (never their secrets), oldest first.
func (s *Service) ListAPIKeys(ctx context.Context, userID string) ([]APIKey, error) {
	keys, err := s.store.ListAPIKeys(ctx, userID)
	if keys == nil && err == nil {
		keys = []APIKey{}
	}
	return keys, err
}

// DeleteAPIKey revokes one of the user's keys; ENotFound for any other id.
func (s *Service) DeleteAPIKey(ctx context.Context, userID, id string) error {
	if err := checkID(id, "API key"); err != nil {
		return err
	}
	if err := s.store.DeleteAPIKey(ctx, userID, id); err != nil {
		return err
	}
	s.Audit(ctx, Event{Kind: AuditKeyRevoked, UserID: userID, Subject: id})
	return nil
}

func (s *Service) authenticateKey(ctx context.Context, key string) (User, error) {
	bad := Errorf(EUnauthorized, "Invalid API key.")
	if len(key) != apiKeyLen || !isLowerHex(key[len(APIKeyPrefix):]) {
		return User{}, bad
	}
	cands, err := s.store.FindAPIKeysByPrefix(ctx, key[:apiKeyShown])
	if err != nil {
		return User{}, err
	}
	sum := sha256.Sum256([]byte(key))
	for _, k := range cands {
		if subtle.ConstantTimeCompare(sum[:], k.Hash) != 1 {
			continue
		}
		u, err := s.store.FindUserByID(ctx, k.UserID)
		if ErrorCode(err) == ENotFound {
			return User{}, bad
		} else if err != nil {
			return User{}, err
		}
		s.touchKey(ctx, k.APIKey)
		return u, nil
	}
	return User{}, bad
}

func (s *Service) touchKey(ctx context.Context, k APIKey) {
	now := s.now()
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < touchEvery {
		return
	}
	if err := s.store.TouchAPIKey(ctx, k.ID, now); err != nil {
		s.log.Warn("record API key use", slog.String("key_id", k.ID), slog.Any("err", err))
	}
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

const msgBadEmail = "Enter a valid email address, like name@example.com."

// normalizeEmail checks the shape of an address (local@domain.tld, no
// display name) and lowercases it.
func normalizeEmail(email string) (string, error) {
	bad := Errorf(EInvalid, msgBadEmail)
	if !storable(email) { // before ToLower, which would make bad bytes U+FFFD
		return "", bad
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 {
		return "", bad
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return "", bad
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.ContainsAny(email, " \t\r\n") {
		return "", bad
	}
	return email, nil
}

// checkPassword enforces 8 characters at least and bcrypt's 72 bytes at
// most (it would silently ignore the rest).
func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < 8 {
		return Errorf(EInvalid, "Password must be at least 8 characters.")
	}
	if len(pw) > 72 {
		return Errorf(EInvalid, "Password must be at most 72 bytes.")
	}
	return nil
}
