package app

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ExportLinkTTL is how long an export download link may be used.
const ExportLinkTTL = time.Minute

// exportLinkIssuer sets link tokens apart from login tokens, signed with
// the same secret: parseToken refuses a link as a session, and
// redeemExportLink a session as a link.
const exportLinkIssuer = "voxclone-export"

// exportLinkLease is the lease name prefix that marks a link used.
const exportLinkLease = "export-link:"

// CreateExportLink returns a token that downloads the user's export once,
// within ExportLinkTTL, without other credentials, and when it lapses. It
// lets a browser stream the archive straight to disk (a plain link)
// instead of collecting it in memory from a request with a header. While
// the user's export runs it is ERateLimited, as following the link would
// be: a browser that follows a refused link shows only a failed download,
// while the page that asks for the link can say why.
func (s *Service) CreateExportLink(ctx context.Context, userID string) (string, time.Time, error) {
	if _, err := s.store.FindUserByID(ctx, userID); err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	if held, err := s.store.LeaseHeld(ctx, userID, exportLeaseName, now); err != nil {
		return "", time.Time{}, err
	} else if !held.IsZero() {
		return "", time.Time{}, errExportRunning()
	}
	// The token's expiry is in whole seconds; the answer gives the same.
	expires := now.Add(ExportLinkTTL).Truncate(time.Second)
	claims := jwt.RegisteredClaims{
		Issuer: exportLinkIssuer, Subject: userID, ID: NewID(),
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(expires),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.cfg.JWTSecret)
	return tok, expires, err
}

// ExportByLink streams, as ExportAccount does, the export of the user a
// link token names, and uses the link up. A link is spent only once its
// export begins: one refused as busy (ERateLimited, EUnavailable) may be
// followed again while it lasts, so a browser that met a busy server need
// not ask for a new one. A token that is not a link, has lapsed or was
// used already is EUnauthorized, saying so.
func (s *Service) ExportByLink(ctx context.Context, token string, w io.Writer) error {
	userID, linkID, err := s.redeemExportLink(ctx, token)
	if err != nil {
		return err
	}
	exportCtx, release, err := s.takeExport(ctx, userID)
	if err != nil {
		// Refused before it began: the link may be followed again.
		s.releaseLease(ctx, userID, exportLinkLease+linkID, linkID)
		return err
	}
	defer release()
	return s.export(exportCtx, userID, w)
}

// redeemExportLink uses up a link token and returns the user whose export
// it downloads and the link's id. Its single use holds across processes:
// it is a lease (LeaseStore) held until the token lapses.
func (s *Service) redeemExportLink(ctx context.Context, token string) (userID, linkID string, _ error) {
	var claims jwt.RegisteredClaims
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(s.cfg.Now), jwt.WithExpirationRequired(), jwt.WithIssuer(exportLinkIssuer))
	_, err := p.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.cfg.JWTSecret, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "", "", &Error{Code: EUnauthorized, Err: err,
			Message: "This download link has expired (links last a minute); ask for the export again."}
	case err != nil || claims.Subject == "" || claims.ID == "" || claims.ExpiresAt == nil:
		return "", "", &Error{Code: EUnauthorized, Message: "Invalid download link.", Err: err}
	}
	now := s.now()
	taken, _, err := s.store.TakeLease(ctx, claims.Subject, exportLinkLease+claims.ID, claims.ID,
		now, claims.ExpiresAt.Add(time.Second))
	switch {
	case ErrorCode(err) == ENotFound:
		return "", "", Errorf(EUnauthorized, "The account of this download link no longer exists.")
	case err != nil:
		return "", "", err
	case !taken:
		return "", "", Errorf(EUnauthorized, "This download link has been used already; ask for the export again.")
	}
	return claims.Subject, claims.ID, nil
}
