package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Audit event kinds. The consent and detection kinds are recorded by those
// features; the others by the use cases named after them.
const (
	AuditConsentIssued   = "consent.issued"
	AuditConsentVerified = "consent.verified"
	AuditConsentRefused  = "consent.refused"
	AuditDetect          = "detect"
	AuditClone           = "clone"
	AuditSynthesis       = "synthesis"
	// AuditJobDone links a synthesis job (the synthesis event accepting it
	// names the job) to the synthesis it recorded, the id detect names:
	// that id is drawn only when the job runs.
	AuditJobDone         = "job.done"
	AuditKeyCreated      = "key.created"
	AuditKeyRevoked      = "key.revoked"
	AuditAccountExported = "account.exported"
	AuditAccountDeleted  = "account.deleted"
)

// DefaultAuditRetention is how long audit events are kept when
// Config.AuditRetention is zero.
const DefaultAuditRetention = 90 * 24 * time.Hour

// Event is what a use case records in the audit log. Time, client address
// and request id come from the Service's clock and from ctx (WithRequest).
type Event struct {
	Kind string
	// UserID is the account the event belongs to; empty for an event of
	// no account (a detection by an anonymous caller, an account's
	// deletion), which the account's owner never lists.
	UserID string
	// Subject is the id of what the event is about: a model, a synthesis,
	// a key, a consent challenge.
	Subject string
	// Detail is a short machine-readable note (a voice, a format, a
	// reason). Never the text spoken or a secret.
	Detail string
}

// AuditEvent is a stored audit log entry.
type AuditEvent struct {
	ID        string    `json:"id"`
	UserID    string    `json:"-"`
	Kind      string    `json:"kind"`
	Subject   string    `json:"subject,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	Client    string    `json:"client,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// AuditPage is one page of a user's audit log, newest first.
type AuditPage struct {
	Items []AuditEvent `json:"items"`
	// NextCursor fetches the next (older) page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// RequestInfo is what the Service knows of the request it serves: the
// client address (as the HTTP layer derives it, behind trusted proxies
// too) and the request id it answered with.
type RequestInfo struct {
	Client    string
	RequestID string
}

type requestKey struct{}

// WithRequest returns ctx carrying info, for the audit log.
func WithRequest(ctx context.Context, info RequestInfo) context.Context {
	return context.WithValue(ctx, requestKey{}, info)
}

// RequestFrom returns the RequestInfo of ctx, zero when there is none (a
// worker, the CLI).
func RequestFrom(ctx context.Context) RequestInfo {
	info, _ := ctx.Value(requestKey{}).(RequestInfo)
	return info
}

// Audit records e with the current time and the request of ctx. The log
// must not make a use case fail after its work is done, so a failure to
// record is logged (with the event) and not returned.
func (s *Service) Audit(ctx context.Context, e Event) {
	req := RequestFrom(ctx)
	ev := AuditEvent{
		ID: NewID(), UserID: e.UserID, Kind: e.Kind, Subject: clip(e.Subject, 128), Detail: clip(e.Detail, 256),
		Client: clip(req.Client, maxClientLen), RequestID: clip(req.RequestID, 64), CreatedAt: s.now(),
	}
	if err := s.store.CreateAuditEvent(context.WithoutCancel(ctx), ev); err != nil {
		s.log.Error("record audit event", slog.String("kind", e.Kind), slog.String("user_id", e.UserID),
			slog.String("subject", e.Subject), slog.Any("err", err))
	}
}

// ListAudit returns a page of the user's audit log, newest first, after
// cursor (from a previous page's NextCursor) when it is not empty.
func (s *Service) ListAudit(ctx context.Context, userID string, limit int, cursor string) (AuditPage, error) {
	limit, after, err := pageArgs(limit, cursor)
	if err != nil {
		return AuditPage{}, err
	}
	items, err := s.store.ListAudit(ctx, userID, limit+1, after)
	if err != nil {
		return AuditPage{}, err
	}
	var page AuditPage
	page.Items, page.NextCursor = trimPage(items, limit, func(e AuditEvent) HistoryCursor {
		return HistoryCursor{CreatedAt: e.CreatedAt, ID: e.ID}
	})
	return page, nil
}

// PruneAudit deletes the audit events older than Config.AuditRetention. A
// periodic job calls it.
func (s *Service) PruneAudit(ctx context.Context) error {
	n, err := s.store.PruneAudit(ctx, s.now().Add(-s.cfg.AuditRetention))
	if err == nil && n > 0 {
		s.log.Info("pruned audit events", slog.Int64("deleted", n))
	}
	return err
}

// clip bounds a string kept in the log, on a rune boundary, and makes it
// valid UTF-8 so both stores take it.
func clip(s string, n int) string {
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
}

// speechDetail describes a synthesis for the log: how it was asked for
// (whole, stream or job), the voice, the format and the text's length,
// never the text.
func speechDetail(syn Synthesis, how string) string {
	v := "voice=" + syn.Voice
	if syn.ModelID != "" {
		v = "model=" + syn.ModelID
	}
	return fmt.Sprintf("%s %s format=%s chars=%d", how, v, syn.Format, utf8.RuneCountInString(syn.Text))
}
