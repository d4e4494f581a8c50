package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"
)

// maxClientLen bounds Credentials.Client: an IPv6 address with a zone fits.
const maxClientLen = 64

// rateSlot is one budget an account request counts against.
type rateSlot struct {
	subject string
	rate    Rate
	what    string // start of the 429 message
}

// RegisterFrom is Register for a request from c.Client: registrations that
// pass validation count against Config.RegisterRate per client address,
// whether or not the email turns out to be taken (probing for accounts
// costs as much as creating them). Over budget it is ERateLimited, with
// the status filled in for RateLimit headers.
func (s *Service) RegisterFrom(ctx context.Context, c Credentials) (User, string, RateStatus, error) {
	email, err := normalizeEmail(c.Email)
	if err != nil {
		return User{}, "", RateStatus{}, err
	}
	if err := checkPassword(c.Password); err != nil {
		return User{}, "", RateStatus{}, err
	}
	if err := checkClient(c.Client); err != nil {
		return User{}, "", RateStatus{}, err
	}
	var st RateStatus
	if c.Client != "" {
		st, err = s.take(ctx, "client:"+c.Client, ActionRegister, s.cfg.RegisterRate, s.now(),
			"Too many accounts created from your network")
		if err != nil {
			return User{}, "", st, err
		}
	}
	u, tok, err := s.createAccount(ctx, email, c.Password)
	return u, tok, st, err
}

// LoginFrom is Login for a request from c.Client. Failed logins count
// against Config.LoginRate per email and Config.LoginClientRate per client
// address. Each attempt takes a slot of both budgets before the password
// is checked, so concurrent guesses cannot overshoot, and a successful
// login gives its slots back: only failures stay counted.
//
// Over either budget the attempt is ERateLimited without checking the
// password, even when it is right: otherwise an attacker would keep
// guessing and learn the password from the one answer that is not 429.
// The returned status is that of the budget closest to running out.
func (s *Service) LoginFrom(ctx context.Context, c Credentials) (string, RateStatus, error) {
	if err := checkClient(c.Client); err != nil {
		return "", RateStatus{}, err
	}
	if !storable(c.Email) {
		// No account can have it, and the store must not see it
		// (ToLower would turn bad bytes into U+FFFD, so check first).
		return "", RateStatus{}, Errorf(EInvalid, msgBadEmail)
	}
	email := strings.ToLower(strings.TrimSpace(c.Email))
	now := s.now()
	held, st, err := s.takeAll(ctx, s.loginSlots(email, c.Client), now)
	if err != nil {
		return "", st, err
	}
	tok, err := s.checkLogin(ctx, email, c.Password)
	if ErrorCode(err) != EUnauthorized {
		s.release(ctx, held, ActionLogin, now)
		st.Remaining = min(st.Remaining+1, st.Limit)
	}
	return tok, st, err
}

// loginSlots lists the budgets of a login attempt, the client's first so
// that an address over its budget does not use up the emails it tries.
// The email is stored hashed: people type passwords into email fields.
func (s *Service) loginSlots(email, client string) []rateSlot {
	sum := sha256.Sum256([]byte(email))
	slots := make([]rateSlot, 0, 2)
	if client != "" {
		slots = append(slots, rateSlot{"client:" + client, s.cfg.LoginClientRate, "Too many failed logins from your network"})
	}
	return append(slots, rateSlot{"email:" + hex.EncodeToString(sum[:16]), s.cfg.LoginRate, "Too many failed logins for this account"})
}

// takeAll takes one login slot of every budget at now, or none: when one
// refuses, the slots already taken are given back. It returns the slots
// held and the tightest status (the refusing one's on ERateLimited).
func (s *Service) takeAll(ctx context.Context, slots []rateSlot, now time.Time) ([]rateSlot, RateStatus, error) {
	var tight RateStatus
	for i, sl := range slots {
		st, err := s.take(ctx, sl.subject, ActionLogin, sl.rate, now, sl.what)
		if err != nil {
			s.release(ctx, slots[:i], ActionLogin, now)
			return nil, st, err
		}
		if i == 0 || st.Remaining < tight.Remaining {
			tight = st
		}
	}
	return slots, tight, nil
}

// release gives back the slots taken at now. A failure only costs the
// user one attempt, so it is logged, not returned.
func (s *Service) release(ctx context.Context, slots []rateSlot, action Action, now time.Time) {
	for _, sl := range slots {
		if err := s.store.ReleaseRate(context.WithoutCancel(ctx), sl.subject, action, now); err != nil {
			s.log.Warn("give back a rate limit slot", slog.String("action", string(action)), slog.Any("err", err))
		}
	}
}

// checkClient bounds the client address the HTTP layer passes on.
func checkClient(client string) error {
	if len(client) > maxClientLen || strings.ContainsAny(client, " \t\r\n") {
		return Errorf(EInvalid, "Invalid client address.")
	}
	return nil
}
