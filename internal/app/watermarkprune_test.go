package app_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestPruneWatermarks: the watermark row of a synthesis whose process
// died before recording it (left here as newMarker leaves it) stays while
// a synthesis may still be rendering, and goes once it is older than
// Config.WatermarkOrphanAge (a day by default); a recorded synthesis's
// stays, and detect still names it. The synthesis is about 20 s long:
// naming a mark from its data needs more audio than finding it, and from
// the 7 s of threeSentences alone a few payloads in a hundred were not
// named.
func TestPruneWatermarks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		alice, _ := f.register(t, "alice@example.com")
		syn, marked, err := f.svc.Synthesize(t.Context(), alice.ID, app.SynthesizeInput{Voice: "slt", Text: strings.Repeat(threeSentences+"\n\n", 3), Format: "wav"})
		must(t, err)
		died := app.NewID()
		must(t, f.store.AddWatermark(t.Context(), alice.ID, died, 5, f.clock.Now()))

		f.clock.Advance(app.DefaultWatermarkOrphanAge - time.Minute)
		must(t, f.svc.PruneWatermarks(t.Context()))
		wantCode(t, f.store.AddWatermark(t.Context(), alice.ID, died, 6, f.clock.Now()), app.EConflict)

		f.clock.Advance(2 * time.Minute)
		must(t, f.svc.PruneWatermarks(t.Context()))
		must(t, f.store.AddWatermark(t.Context(), alice.ID, died, 6, f.clock.Now())) // its row is gone
		d, err := f.svc.DetectWatermark(t.Context(), alice.ID, bytes.NewReader(marked))
		if err != nil || !d.Watermarked || d.SynthesisID != syn.ID {
			t.Errorf("detect after pruning: %+v, %v; want synthesis %s named", d, err, syn.ID)
		}
	})
}
