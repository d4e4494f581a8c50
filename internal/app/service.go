package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sync/semaphore"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/watermark"
)

// Service implements voxclone's use cases over a Store, a Blobs store and
// an Engine. Its methods are listed in inputs.go. It is safe for concurrent
// use; several Services (in one process or many) may share one database and
// blob directory.
type Service struct {
	cfg       Config
	store     Store
	blobs     Blobs
	engine    Engine
	queue     Queue
	obs       Observer
	log       *slog.Logger
	profiles  *profileCache
	dummyHash []byte       // compared against on unknown emails, so login timing does not reveal them
	lastPrune atomic.Int64 // Unix nanoseconds of the last rate pruning, see prune
	wmKey     watermark.Key
	decoding  *semaphore.Weighted // Config.DecodeBudget, in bytes
	exports   *admission.Gate     // Config.MaxExports; one per user is a lease
}

// NewService returns a Service. It fails when cfg.JWTSecret is shorter than
// MinJWTSecretBytes, a setting is invalid, or a dependency is missing.
// The store must already be migrated.
func NewService(cfg Config, deps Deps) (*Service, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if deps.Store == nil || deps.Blobs == nil || deps.Engine == nil || deps.Queue == nil {
		return nil, errors.New("app: NewService needs a Store, Blobs, an Engine and a Queue")
	}
	wmKey, err := watermarkKey(cfg)
	if err != nil {
		return nil, fmt.Errorf("app: watermark key: %w", err)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("voxclone-timing-equalizer"), cfg.PasswordCost)
	if err != nil {
		return nil, err
	}
	obs := deps.Observer
	if obs == nil {
		obs = nopObserver{}
	}
	return &Service{
		cfg: cfg, store: deps.Store, blobs: deps.Blobs, engine: deps.Engine, queue: deps.Queue, obs: obs, log: cfg.Logger,
		profiles: newProfileCache(cfg.ProfileCacheSize), dummyHash: dummy, wmKey: wmKey,
		decoding: semaphore.NewWeighted(cfg.DecodeBudget), exports: newExportGate(cfg.MaxExports),
	}, nil
}

// Config returns the effective configuration, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// now is the current time as stores keep it.
func (s *Service) now() time.Time { return Timestamp(s.cfg.Now()) }

// Pinger is implemented by engines that can check themselves; Health uses
// it when present.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Health pings the database, the blob store and, when it can, the engine,
// each with a short timeout. OK is true when all answer.
func (s *Service) Health(ctx context.Context) Health {
	check := func(p Pinger) ComponentHealth {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			// The detail may be shown to anyone; the cause goes to the log.
			s.log.Warn("health check failed", slog.Any("err", err))
			return ComponentHealth{OK: false, Detail: "not responding"}
		}
		return ComponentHealth{OK: true}
	}
	h := Health{Database: check(s.store), Storage: check(s.blobs), Version: s.cfg.Version}
	h.Engine = ComponentHealth{OK: true}
	if p, ok := s.engine.(Pinger); ok {
		h.Engine = check(p)
	}
	h.Engine.Detail = joinDetail(s.engine.Name(), h.Engine.Detail)
	if h.Database.OK {
		h.Blobs = s.lastSweep(ctx)
	}
	h.OK = h.Database.OK && h.Storage.OK && h.Engine.OK
	return h
}

// Readiness says which of the dependencies a process needs to serve
// answered a readiness check.
type Readiness struct {
	Database bool `json:"database"`
	Storage  bool `json:"storage"`
}

// OK reports whether every dependency answered.
func (r Readiness) OK() bool { return r.Database && r.Storage }

// Ready pings the database and the blob store, each within timeout, at
// the same time; unlike Health it does nothing else, so that a load
// balancer may call it often. Failures are logged.
func (s *Service) Ready(ctx context.Context, timeout time.Duration) Readiness {
	ping := func(what string, p Pinger, ok *bool) func() {
		return func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			if err := p.Ping(ctx); err != nil {
				s.log.Warn("readiness check failed", slog.String("component", what), slog.Any("err", err))
				return
			}
			*ok = true
		}
	}
	var r Readiness
	var wg sync.WaitGroup
	wg.Go(ping("database", s.store, &r.Database))
	wg.Go(ping("storage", s.blobs, &r.Storage))
	wg.Wait()
	return r
}

// lastSweep is the latest blob sweep, or nil when there was none or the
// store did not answer (which the database check reports).
func (s *Service) lastSweep(ctx context.Context) *BlobSweep {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	sw, err := s.store.LastBlobSweep(ctx)
	if err != nil {
		if ErrorCode(err) != ENotFound {
			s.log.Warn("health: read the last blob sweep", slog.Any("err", err))
		}
		return nil
	}
	return &sw
}

func joinDetail(a, b string) string {
	if b == "" {
		return a
	}
	return a + ": " + b
}

// deleteBlobs removes blobs whose rows are gone. Failures only leave
// orphaned files, so they are logged, not returned.
func (s *Service) deleteBlobs(ctx context.Context, keys ...string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if k == "" {
			continue
		}
		if err := s.blobs.Delete(ctx, k); err != nil {
			s.log.Error("delete blob", slog.String("key", k), slog.Any("err", err))
		}
	}
}
