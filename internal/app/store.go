package app

import (
	"context"
	"io"
	"time"
)

// Store is the database as the Service uses it. Both internal/sqlite and
// internal/postgres implement it and pass apptest.StoreSuite.
//
// Contract shared by every method: ctx is honoured; a missing row, or a row
// that belongs to another user, is an *Error with code ENotFound (never a
// zero value with a nil error); a unique violation is EConflict. Methods that
// take a userID only see that user's rows. The caller sets IDs and
// timestamps (the Service uses its injected clock), and stores keep
// timestamps to the microsecond.
type Store interface {
	UserStore
	APIKeyStore
	SampleStore
	ModelStore
	HistoryStore
	JobStore
	RateStore
	BlobRefStore
	AuditStore
	WatermarkStore
	ConsentStore
	LeaseStore
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
}

// WatermarkStore maps the payloads marked into synthesized audio back to
// their syntheses. A payload is recorded, with its user, before its audio
// is rendered; FindWatermark sees only those whose history entry exists,
// the newest first, whoever owns it (ENotFound otherwise).
type WatermarkStore interface {
	// AddWatermark records the payload of one of the user's syntheses,
	// made at at; a user that does not exist is ENotFound, a second
	// payload for one synthesis EConflict. The row goes with the user's
	// account, and with the synthesis's model once its history entry
	// exists.
	AddWatermark(ctx context.Context, userID, synthesisID string, payload uint32, at time.Time) error
	// DeleteWatermark forgets the payload of one of the user's syntheses
	// that never reached the history (it failed). Nothing to delete is not
	// an error.
	DeleteWatermark(ctx context.Context, userID, synthesisID string) error
	FindWatermark(ctx context.Context, payload uint32) (Synthesis, error)
	// RecentWatermarks returns the payloads of the limit newest syntheses
	// whose history entry exists, whoever's, newest first: the candidates
	// an operator's detection matches a mark with when its bits do not
	// read alone.
	RecentWatermarks(ctx context.Context, limit int) ([]Watermark, error)
	// PruneWatermarks deletes the payloads added before before whose
	// synthesis has no history entry, whoever's: left by a process that
	// died while rendering. It returns how many went.
	PruneWatermarks(ctx context.Context, before time.Time) (int64, error)
}

// Watermark is the payload marked into a recorded synthesis, with what
// names the synthesis (and not its text, which can be 100,000 characters).
type Watermark struct {
	Payload     uint32
	SynthesisID string
	UserID      string
	CreatedAt   time.Time
}

// UserStore keeps accounts. Emails are unique ignoring ASCII case.
type UserStore interface {
	// CreateUser inserts u with its password hash; EConflict when the email
	// is taken.
	CreateUser(ctx context.Context, u User, passwordHash string) error
	FindUserByID(ctx context.Context, id string) (User, error)
	// FindUserByEmail matches the email ignoring ASCII case and returns the
	// user with their password hash.
	FindUserByEmail(ctx context.Context, email string) (User, string, error)
	// DeleteUser removes the user and, in the same transaction, every row
	// of theirs in every table (samples, models, history, jobs, API keys,
	// audit events, consent challenges, watermark payloads, leases, rate records
	// counted against their id), then runs then when it is not nil (the
	// Service has the queue forget the user's tasks there), and returns
	// the keys of every blob those rows named, so the caller can delete
	// them. ENotFound when there is no such user. A table added later
	// must be covered too: apptest.DeleteUserTraces searches every column
	// of every table for what the user leaves.
	DeleteUser(ctx context.Context, id string, then TxFunc) ([]string, error)
}

// StoredAPIKey is an API key row with the SHA-256 hash of its secret.
type StoredAPIKey struct {
	APIKey
	Hash []byte
}

// APIKeyStore keeps personal API keys, by the hash of their secret.
type APIKeyStore interface {
	CreateAPIKey(ctx context.Context, k StoredAPIKey) error
	// FindAPIKeysByPrefix returns every key whose Prefix is prefix (usually
	// one; prefixes are short and may collide). An empty result is not an
	// error.
	FindAPIKeysByPrefix(ctx context.Context, prefix string) ([]StoredAPIKey, error)
	// TouchAPIKey sets the key's last use time.
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
	// ListAPIKeys returns the user's keys, oldest first.
	ListAPIKeys(ctx context.Context, userID string) ([]APIKey, error)
	DeleteAPIKey(ctx context.Context, userID, id string) error
}

// SampleStore keeps voice sample metadata (the audio is in Blobs).
type SampleStore interface {
	CreateSample(ctx context.Context, s Sample) error
	FindSample(ctx context.Context, userID, id string) (Sample, error)
	// ListSamples returns the user's samples, newest first.
	ListSamples(ctx context.Context, userID string) ([]Sample, error)
	// DeleteSample removes the sample and its links to models (the models
	// keep their built profiles) and returns the deleted row, so the caller
	// can delete its blob.
	DeleteSample(ctx context.Context, userID, id string) (Sample, error)
}

// ModelStore keeps voice models and their links to samples.
type ModelStore interface {
	// CreateModel inserts m and links it to m.SampleIDs, which must exist
	// and belong to m.UserID (else ENotFound), then runs then when it is
	// not nil, all in one transaction.
	CreateModel(ctx context.Context, m Model, then TxFunc) error
	// FinishModel records the outcome of building one of the user's
	// pending models: it sets Status, Failure, ProfileKey and ProfileBytes
	// from res and UpdatedAt to res.At. ENotFound when the user has no
	// pending model with that id; so of two concurrent calls one wins.
	FinishModel(ctx context.Context, userID, id string, res ModelResult) error
	FindModel(ctx context.Context, userID, id string) (Model, error)
	// ListModels returns the user's models, newest first.
	ListModels(ctx context.Context, userID string) ([]Model, error)
	// UpdateModel applies the set fields of upd and sets UpdatedAt to at.
	UpdateModel(ctx context.Context, userID, id string, upd ModelUpdate, at time.Time) (Model, error)
	// DeleteModel removes the model, its sample links and its synthesis
	// history in one transaction. It returns the deleted model and the
	// audio keys of the deleted history, so the caller can delete blobs.
	DeleteModel(ctx context.Context, userID, id string) (Model, []string, error)
}

// HistoryCursor is a position in a user's history: the entries strictly
// older than it, in (CreatedAt, ID) order, come next.
type HistoryCursor struct {
	CreatedAt time.Time
	ID        string
}

// HistoryStore keeps the synthesis history.
type HistoryStore interface {
	// CreateSynthesis stores every field; a nil Similarity is stored as
	// unknown and read back nil, as are the entries from before it was kept.
	// An entry names one of the user's models (ModelID; another user's is
	// ENotFound) or, with ModelID empty, a built-in voice (Voice); neither
	// is an error. Deleting a model leaves built-in voice entries alone.
	CreateSynthesis(ctx context.Context, s Synthesis) error
	FindSynthesis(ctx context.Context, userID, id string) (Synthesis, error)
	// ListHistory returns up to limit entries, newest first (by CreatedAt,
	// then ID), starting after the cursor when it is not nil.
	ListHistory(ctx context.Context, userID string, limit int, after *HistoryCursor) ([]Synthesis, error)
}

// JobStore keeps long-form synthesis jobs. Reads fill in Preview, the
// text's first JobPreviewRunes characters; only StartJob returns the
// whole Text.
type JobStore interface {
	// CreateJob inserts j with its text, then runs then when it is not
	// nil, in one transaction.
	CreateJob(ctx context.Context, j Job, then TxFunc) error
	FindJob(ctx context.Context, userID, id string) (Job, error)
	// ListJobs returns up to limit jobs, newest first (by CreatedAt, then
	// ID), starting after the cursor when it is not nil.
	ListJobs(ctx context.Context, userID string, limit int, after *HistoryCursor) ([]Job, error)
	// StartJob marks a queued or running job running from at (a retried
	// job starts again: progress 0, StartedAt at) and returns it with its
	// Text. A finished job is returned unchanged.
	StartJob(ctx context.Context, userID, id string, at time.Time) (Job, error)
	// SetJobProgress records a running job's progress (0–1) at at.
	// ENotFound when the job is not running (cancelled, finished, gone).
	SetJobProgress(ctx context.Context, userID, id string, progress float64, at time.Time) error
	// FinishJob ends a queued or running job as res says (done jobs get
	// progress 1) and, when syn is not nil, stores syn in the history, in
	// one transaction. EConflict when the job has already ended, ENotFound
	// when the user has no job with that id.
	FinishJob(ctx context.Context, userID, id string, res JobResult, syn *Synthesis) error
}

// RateDecision is the outcome of one RateStore.TakeRate call.
type RateDecision struct {
	// Allowed reports whether the request was counted.
	Allowed bool
	// Used is the number of requests counted in the window, including this
	// one when it was allowed.
	Used int
	// Oldest is when the oldest counted request in the window happened: a
	// slot frees at Oldest+window. Zero when Used is 0.
	Oldest time.Time
}

// RateStore counts requests in a sliding window, in the database, so that
// limits hold across restarts and across processes sharing it.
type RateStore interface {
	// TakeRate counts one request for (subject, action) at now when fewer
	// than limit requests happened in (now-window, now], and forgets older
	// ones. It is atomic: concurrent callers, in this process or another,
	// never together exceed limit.
	TakeRate(ctx context.Context, subject string, action Action, limit int, window time.Duration, now time.Time) (RateDecision, error)
	// ReleaseRate gives back one request that TakeRate counted for
	// (subject, action) at exactly at (to the microsecond), as when a login
	// attempt turned out to succeed. Nothing to give back is not an error.
	ReleaseRate(ctx context.Context, subject string, action Action, at time.Time) error
	// PruneRate forgets every request counted for action at or before
	// before, whatever its subject. TakeRate only forgets a subject's old
	// requests when that subject comes back; login attempts for emails and
	// addresses never seen again would otherwise stay forever.
	PruneRate(ctx context.Context, action Action, before time.Time) error
}

// LeaseStore keeps leases: a user's claim, held by one holder (a
// request in some process), on work of theirs that only one may do at a
// time, such as an export. A lease lapses at its expiry unless renewed,
// so a process that dies leaves nothing stuck. A lease goes with its user.
type LeaseStore interface {
	// TakeLease gives holder the user's lease called name until until,
	// when nobody holds it or its holder's lapsed at or before now, and
	// returns true. Otherwise it returns false and the time the lease
	// held lapses. It is atomic: of concurrent callers, in this process or
	// another, one at most takes a free lease. A user that does not exist
	// is ENotFound. The user's other leases that have lapsed are forgotten
	// (their holders can renew them no more), so they do not pile up.
	TakeLease(ctx context.Context, userID, name, holder string, now, until time.Time) (bool, time.Time, error)
	// RenewLease moves the lapse of holder's lease to until. ENotFound
	// when holder no longer holds it (another took it after it lapsed, or
	// the user is gone).
	RenewLease(ctx context.Context, userID, name, holder string, until time.Time) error
	// ReleaseLease ends holder's lease; a lease holder no longer holds is
	// left alone, and is not an error.
	ReleaseLease(ctx context.Context, userID, name, holder string) error
	// LeaseHeld returns when the user's lease called name lapses if
	// someone holds it at now, else the zero time. It only reads: by the
	// time the caller acts the lease may have changed hands, so it can
	// warn early but never stands in for TakeLease.
	LeaseHeld(ctx context.Context, userID, name string, now time.Time) (time.Time, error)
}

// BlobRefStore tells the blob sweeper which blobs rows refer to (sample
// audio, voice profiles, synthesized audio) and keeps its last outcome.
type BlobRefStore interface {
	// BlobRefs returns up to limit keys that rows refer to, each once,
	// greater than after in byte-wise order, in that order.
	BlobRefs(ctx context.Context, after string, limit int) ([]string, error)
	// BlobReferenced reports whether any row refers to key.
	BlobReferenced(ctx context.Context, key string) (bool, error)
	// SaveBlobSweep records the outcome of a sweep, replacing the one
	// before.
	SaveBlobSweep(ctx context.Context, s BlobSweep) error
	// LastBlobSweep returns the latest outcome; ENotFound before the
	// first sweep.
	LastBlobSweep(ctx context.Context) (BlobSweep, error)
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// CreateAuditEvent stores e; an empty UserID is stored as no user.
	// A UserID that names no user is ENotFound.
	CreateAuditEvent(ctx context.Context, e AuditEvent) error
	// ListAudit returns up to limit of the user's events, newest first (by
	// CreatedAt, then ID), starting after the cursor when it is not nil.
	ListAudit(ctx context.Context, userID string, limit int, after *HistoryCursor) ([]AuditEvent, error)
	// PruneAudit deletes every event created before before, whoever's,
	// and returns how many it deleted.
	PruneAudit(ctx context.Context, before time.Time) (int64, error)
}

// Blobs stores opaque byte blobs (sample audio, voice profiles, synthesized
// audio) under keys the Service makes: "<kind>/<32 hex>.<ext>".
// internal/blob (a directory) and internal/blob/s3blob (S3-compatible
// object storage) implement it and pass apptest.BlobSuite.
type Blobs interface {
	// Put stores r's bytes under key, replacing any blob there, and returns
	// the number of bytes written. A reader error leaves no blob behind,
	// and the one it would have replaced whole. An invalid key is EInvalid.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the blob's bytes; the caller closes it. The reader
	// seeks, so that a part (an HTTP Range) is read without the rest; it
	// reads no more than is asked for beyond what a stream buffers. A
	// missing blob is ENotFound.
	Open(ctx context.Context, key string) (io.ReadSeekCloser, error)
	// Delete removes the blob. Deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn with every blob whose key is valid, in byte-wise key
	// order, and stops at fn's first error, which it returns. Blobs put
	// or deleted meanwhile may or may not be seen.
	List(ctx context.Context, fn func(BlobInfo) error) error
	// Ping checks that the storage is usable.
	Ping(ctx context.Context) error
}

// BlobInfo describes one stored blob.
type BlobInfo struct {
	Key     string
	Size    int64
	ModTime time.Time // when it was last written
}
