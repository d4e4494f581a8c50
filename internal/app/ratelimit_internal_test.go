package app

import (
	"testing"
	"time"
)

func TestRoundUp(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Millisecond: "1 s", 45 * time.Second: "45 s", time.Minute: "60 s", 61 * time.Second: "2 min",
		40 * time.Minute: "40 min", time.Hour: "1 h", 125*time.Minute - time.Second: "2 h 5 min", 24 * time.Hour: "24 h",
	} {
		if got := roundUp(d); got != want {
			t.Errorf("roundUp(%v) = %q, want %q", d, got, want)
		}
	}
}
