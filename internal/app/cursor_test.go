package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

func TestCursor(t *testing.T) {
	c := app.HistoryCursor{CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC), ID: app.NewID()}
	got, err := app.DecodeCursor(app.EncodeCursor(c))
	if err != nil || got != c {
		t.Fatalf("round trip = %+v, %v; want %+v", got, err, c)
	}
	for _, bad := range []string{"", "!!!", "MTIz", app.EncodeCursor(app.HistoryCursor{ID: "short"}),
		app.EncodeCursor(c) + "A", strings.Repeat("A", 200)} {
		if _, err := app.DecodeCursor(bad); app.ErrorCode(err) != app.EInvalid {
			t.Errorf("DecodeCursor(%q) error %v, want EInvalid", bad, err)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(app.EncodeCursor(app.HistoryCursor{CreatedAt: time.Unix(1700000000, 0), ID: strings.Repeat("ab", 16)}))
	f.Add("")
	f.Add("MTcwMDAwMDAwMDAwMDAwMC4")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := app.DecodeCursor(s)
		if err != nil {
			if app.ErrorCode(err) != app.EInvalid {
				t.Fatalf("DecodeCursor(%q): %v is not EInvalid", s, err)
			}
			return
		}
		if again, err := app.DecodeCursor(app.EncodeCursor(c)); err != nil || again != c {
			t.Fatalf("re-encoding %q: %+v, %v", s, again, err)
		}
	})
}

func TestHealth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		h := f.svc.Health(t.Context())
		if !h.OK || !h.Database.OK || !h.Storage.OK || !h.Engine.OK || h.Engine.Detail != "none" {
			t.Errorf("Health = %+v", h)
		}
		ctx, cancel := contextCanceled(t)
		cancel()
		if h := f.svc.Health(ctx); h.OK || h.Database.OK {
			t.Errorf("Health with a dead context = %+v, want the database down", h)
		}
	})
}
