package admission

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ParseBytes reads a size such as "512MiB", "1.5GiB", "800MB", "300000000"
// (bytes). Units: B, KB/MB/GB (powers of 1000), KiB/MiB/GiB (powers of
// 1024), case-insensitive.
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := s, ""
	if i >= 0 {
		num, unit = s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	}
	mult, ok := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || v < 0 || v*mult >= 1<<62 {
		return 0, fmt.Errorf("size %q: want bytes or a number with B, KB, MB, GB, KiB, MiB or GiB", s)
	}
	return int64(v * mult), nil
}

// CgroupLimit returns the memory limit of the process's cgroup (v2
// memory.max, else v1 memory.limit_in_bytes), and false when there is none.
func CgroupLimit() (int64, bool) {
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		n, err := strconv.ParseInt(v, 10, 64)
		// v1 writes "no limit" as a huge page-rounded number.
		if v == "max" || err != nil || n <= 0 || n >= 1<<60 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// MemoryLimit decides the Go runtime's soft memory limit: configured (a
// size for ParseBytes; "off" for none) wins; else GOMEMLIMIT, when set, is
// left to the runtime; else 80% of the cgroup's limit, when there is one.
// It returns the limit in bytes (0 for none) and where it came from.
func MemoryLimit(configured string, getenv func(string) string) (int64, string, error) {
	switch c := strings.TrimSpace(configured); {
	case strings.EqualFold(c, "off"):
		return 0, "off", nil
	case c != "":
		n, err := ParseBytes(c)
		if err != nil {
			return 0, "", err
		}
		if n < 32<<20 {
			return 0, "", errors.New("memory limit under 32 MiB: the process could not run")
		}
		return n, "configured", nil
	}
	if getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1), "GOMEMLIMIT", nil
	}
	if n, ok := CgroupLimit(); ok {
		return n / 10 * 8, "cgroup", nil
	}
	return 0, "none", nil
}

// FreeWhenIdle returns memory to the operating system once engine work has
// stopped: when no slot of g has been held or waited for during idle, and
// some was since the last time, it calls debug.FreeOSMemory. The Go
// runtime returns freed memory only gradually, so a process that decoded a
// few large uploads would otherwise keep hundreds of MB of RSS for
// minutes. It returns when ctx ends.
func (g *Gate) FreeWhenIdle(ctx context.Context, idle time.Duration) {
	tick := time.NewTicker(min(idle, time.Second))
	defer tick.Stop()
	var freed int64 // the activity count at the last free
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n := g.activity.Load()
		if n == freed || g.InUse() > 0 || g.Waiting() > 0 || time.Since(g.lastRelease()) < idle {
			continue
		}
		freed = n
		debug.FreeOSMemory()
	}
}

// activityClock records releases for FreeWhenIdle.
type activityClock struct {
	activity atomic.Int64 // releases so far
	released atomic.Int64 // UnixNano of the latest
}

func (c *activityClock) record() {
	c.released.Store(time.Now().UnixNano())
	c.activity.Add(1)
}

func (c *activityClock) lastRelease() time.Time { return time.Unix(0, c.released.Load()) }
