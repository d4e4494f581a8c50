package app

import (
	"context"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ExportLinkTTL is how long an export download link may be used.
const ExportLinkTTL = time.Minute

// exportLinkIssuer sets link tokens apart from login tokens, signed with
// the same secret: parseToken refuses a link as a session, and
// RedeemExportLink a session as a link.
const exportLinkIssuer = "voxclone-export"

// exportLinkLease is the lease name prefix that marks a link used.
const exportLinkLease = "export-link:"

// CreateExportLink returns a token that downloads the user's export once,
// within ExportLinkTTL, without other credentials, and when it lapses. It
// lets a browser stream the archive straight to disk (a plain link)
// instead of collecting it in memory from a request with a header.
func (s *Service) CreateExportLink(ctx context.Context, userID string) (string, time.Time, error) {
	if _, err := s.store.FindUserByID(ctx, userID); err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	// The token's expiry is in whole seconds; the answer gives the same.
	expires := now.Add(ExportLinkTTL).Truncate(time.Second)
	claims := jwt.RegisteredClaims{
		Issuer: exportLinkIssuer, Subject: userID, ID: NewID(),
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(expires),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.cfg.JWTSecret)
	return tok, expires, err
}

// RedeemExportLink uses up a link token and returns the user whose export
// it downloads. Its single use holds across processes: it is a lease
// (LeaseStore) held until the token lapses. A token that is not a link,
// has lapsed or was used already is EUnauthorized, saying so.
func (s *Service) RedeemExportLink(ctx context.Context, token string) (string, error) {
	var claims jwt.RegisteredClaims
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(s.cfg.Now), jwt.WithExpirationRequired(), jwt.WithIssuer(exportLinkIssuer))
	_, err := p.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.cfg.JWTSecret, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "", &Error{Code: EUnauthorized, Err: err,
			Message: "This download link has expired (links last a minute); ask for the export again."}
	case err != nil || claims.Subject == "" || claims.ID == "" || claims.ExpiresAt == nil:
		return "", &Error{Code: EUnauthorized, Message: "Invalid download link.", Err: err}
	}
	now := s.now()
	taken, _, err := s.store.TakeLease(ctx, claims.Subject, exportLinkLease+claims.ID, claims.ID,
		now, claims.ExpiresAt.Add(time.Second))
	switch {
	case ErrorCode(err) == ENotFound:
		return "", Errorf(EUnauthorized, "The account of this download link no longer exists.")
	case err != nil:
		return "", err
	case !taken:
		return "", Errorf(EUnauthorized, "This download link has been used already; ask for the export again.")
	}
	return claims.Subject, nil
}
