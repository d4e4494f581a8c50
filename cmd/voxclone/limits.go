package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/app"
)

// Limits bound the engine work and memory of one process.
type Limits struct {
	MaxConcurrent int           // VOXCLONE_MAX_CONCURRENT: engine slots; default the cores
	MaxWaiting    int           // VOXCLONE_MAX_WAITING: requests queued for a slot; 0 = none
	MaxWait       time.Duration // VOXCLONE_MAX_WAIT: how long a queued request waits before 503
	MaxExports    int           // VOXCLONE_MAX_EXPORTS: account exports streamed at once (one per user)
	MemoryLimit   string        // VOXCLONE_MEMORY_LIMIT: a size, "off", or "" for GOMEMLIMIT or 80% of the cgroup's
	goMemLimit    string        // GOMEMLIMIT, which the runtime read itself
}

// idleFree is how long engine work must have stopped before memory is
// handed back to the operating system.
const idleFree = 10 * time.Second

func defaultLimits() Limits {
	return Limits{MaxConcurrent: runtime.NumCPU(), MaxWaiting: admission.DefaultMaxWaiting, MaxWait: admission.DefaultMaxWait,
		MaxExports: app.DefaultMaxExports}
}

func (l *Limits) load(getenv func(string) string) error {
	var err error
	if l.MaxConcurrent, err = count(getenv, "VOXCLONE_MAX_CONCURRENT", l.MaxConcurrent, 1, 1024); err != nil {
		return err
	}
	if l.MaxWaiting, err = count(getenv, "VOXCLONE_MAX_WAITING", l.MaxWaiting, 0, 10000); err != nil {
		return err
	}
	if l.MaxWait, err = duration(getenv, "VOXCLONE_MAX_WAIT", l.MaxWait, 0, time.Minute); err != nil {
		return err
	}
	if l.MaxExports, err = count(getenv, "VOXCLONE_MAX_EXPORTS", l.MaxExports, 1, 1024); err != nil {
		return err
	}
	l.MemoryLimit, l.goMemLimit = getenv("VOXCLONE_MEMORY_LIMIT"), getenv("GOMEMLIMIT")
	if _, _, err := admission.MemoryLimit(l.MemoryLimit, getenv); err != nil {
		return fmt.Errorf("VOXCLONE_MEMORY_LIMIT: %w", err)
	}
	return nil
}

// count reads a whole number from lo to hi, or def when unset.
func count(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

// apply sets the Go runtime's memory limit, starts handing memory back
// once engine work has been idle (until ctx ends) and fills in c's engine
// gate and decoding budget: a third of the memory limit, at most the
// default.
func (l Limits) apply(ctx context.Context, c *app.Config, log *slog.Logger) error {
	limit, source, err := admission.MemoryLimit(l.MemoryLimit, func(string) string { return l.goMemLimit })
	if err != nil {
		return fmt.Errorf("VOXCLONE_MEMORY_LIMIT: %w", err)
	}
	if limit > 0 && source != "GOMEMLIMIT" {
		debug.SetMemoryLimit(limit)
	}
	waiting := l.MaxWaiting
	if waiting == 0 {
		waiting = -1 // admission reads 0 as its default
	}
	gate := admission.New(admission.Config{Slots: l.MaxConcurrent, MaxWaiting: waiting, MaxWait: max(l.MaxWait, time.Millisecond)})
	go gate.FreeWhenIdle(ctx, idleFree)
	c.Admission, c.MaxExports = gate, l.MaxExports
	c.DecodeBudget = app.DefaultDecodeBudget
	if limit > 0 {
		c.DecodeBudget = min(c.DecodeBudget, limit/3)
	}
	log.Info("engine limits", slog.Int("max_concurrent", l.MaxConcurrent), slog.Int("max_waiting", l.MaxWaiting),
		slog.Duration("max_wait", l.MaxWait), slog.Int64("memory_limit", limit), slog.String("memory_limit_from", source),
		slog.Int64("decode_budget", c.DecodeBudget), slog.Int("max_exports", l.MaxExports))
	return nil
}
