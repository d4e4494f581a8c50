package admission

import (
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"300000000", 300000000}, {"512MiB", 512 << 20}, {"1.5GiB", 3 << 29}, {"800MB", 800e6},
		{"64 kib", 64 << 10}, {"2GB", 2e9}, {"100B", 100},
	} {
		got, err := ParseBytes(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "lots", "12XB", "-5MiB", "MiB", "1e99GiB"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) accepted", bad)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	n, src, err := MemoryLimit("512MiB", env(map[string]string{"GOMEMLIMIT": "1GiB"}))
	if err != nil || n != 512<<20 || src != "configured" {
		t.Errorf("configured: %d, %q, %v; want 512 MiB, configured, over GOMEMLIMIT", n, src, err)
	}
	if n, src, err := MemoryLimit("off", env(nil)); err != nil || n != 0 || src != "off" {
		t.Errorf("off: %d, %q, %v", n, src, err)
	}
	if _, src, _ := MemoryLimit("", env(map[string]string{"GOMEMLIMIT": "1GiB"})); src != "GOMEMLIMIT" {
		t.Errorf("with GOMEMLIMIT set the source is %q, want it left to the runtime", src)
	}
	n, src, err = MemoryLimit("", env(nil))
	if cg, ok := CgroupLimit(); ok {
		if src != "cgroup" || n != cg/10*8 {
			t.Errorf("in a cgroup of %d bytes: %d from %q, want 80%%", cg, n, src)
		}
	} else if err != nil || n != 0 || src != "none" {
		t.Errorf("no limit anywhere: %d, %q, %v", n, src, err)
	}
	if _, _, err := MemoryLimit("1MiB", env(nil)); err == nil || !strings.Contains(err.Error(), "32 MiB") {
		t.Errorf("1MiB: %v, want refused as too small", err)
	}
}
