package eval

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestPooledScores(t *testing.T) {
	res := []speakerResult{
		{conds: []condResult{{n: 10, right: 10, rightNorm: 5, margin: 10, f0: 200,
			wer: ErrorCounts{Ref: 50, Substitutions: 5}, loop: ErrorCounts{Ref: 50, Substitutions: 1}}},
			realF0: 100, refF0: 200, base: ErrorCounts{Ref: 50}, baseLoop: ErrorCounts{Ref: 50},
			heldClone: ErrorCounts{Ref: 20, Deletions: 4}, heldReal: ErrorCounts{Ref: 20, Substitutions: 2},
			real:         condResult{n: 2, right: 2, rightNorm: 2},
			cloneSeconds: 2, synthSeconds: 1, audioSeconds: 10},
		{conds: []condResult{{n: 10, right: 0, rightNorm: 1, margin: -30, f0: 100,
			wer: ErrorCounts{Ref: 50, Insertions: 5}}}, realF0: 100, refF0: 100,
			base: ErrorCounts{Ref: 50, Deletions: 1}, real: condResult{n: 2, right: 1, rightNorm: 2},
			cloneSeconds: 4, synthSeconds: 3, audioSeconds: 10},
	}
	cfg := Config{Recognizer: DefaultRecognizer(), Loop: LoopRecognizer(), Decoys: []Decoy{{Name: "x"}}}
	sc := pooledScores(res, condition(0), cfg)
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %g, want %g", name, got, want)
		}
	}
	check("id_acc", sc.IDAcc, 0.5)
	check("id_acc_norm", sc.IDAccNorm, 0.3)
	check("margin", sc.Margin, -1)
	check("f0_error_st", *sc.F0ErrorST, 6) // 12 st and 0 st
	check("f0_ref_error_st", *sc.F0RefErrorST, 0)
	check("wer", *sc.WER, 0.1)
	check("base_wer", *sc.BaseWER, 0.01)
	check("loop_wer", *sc.LoopWER, 0.02) // the second speaker has none
	check("base_loop_wer", *sc.BaseLoopWER, 0)
	// Only the first speaker has held-out transcripts: pooled over it alone.
	check("held_wer", *sc.HeldWER, 0.2)
	check("real_wer", *sc.RealWER, 0.1)
	check("real_id_acc", *sc.RealIDAcc, 0.75)
	check("clone_s", sc.CloneSeconds, 3)
	check("rtf", sc.RTF, 0.2)
	check("decoy_win", *sc.DecoyWin, 0)
	if sc.IDAccNormFloor != nil || sc.MarginNormFloor != nil || sc.RealIDAccNormFloor != nil {
		t.Error("secondary identifier's columns reported though it scored nothing")
	}
	res[0].conds[0].rightFloor, res[0].conds[0].marginFloor, res[0].conds[0].floorScored = 4, 2, true
	res[1].conds[0].marginFloor, res[1].conds[0].floorScored = -6, true
	res[0].real.rightFloor, res[1].real.rightFloor = 2, 1
	sc = pooledScores(res, condition(0), cfg)
	if sc.IDAccNormFloor == nil || sc.MarginNormFloor == nil || sc.RealIDAccNormFloor == nil {
		t.Fatal("secondary identifier's columns missing")
	}
	check("id_acc_norm_floor", *sc.IDAccNormFloor, 0.2)
	check("llr_margin_norm_floor", *sc.MarginNormFloor, -0.2)
	check("real_id_acc_norm_floor", *sc.RealIDAccNormFloor, 0.75)
	ci := bootstrapCI(res)
	if ci[0] < 0.05-1e-12 || ci[1] > 0.5+1e-12 || ci[0] > ci[1] {
		t.Errorf("CI %v outside the per-speaker range [0.05, 0.5]", ci)
	}
}

func TestForEachStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	// With one worker the bound is exact: the worker cancels before it
	// takes another item, and the feeder may have one more in flight.
	// With two, the other worker runs on until the failing one has
	// cancelled; its items take a millisecond each so that window holds
	// a few of them, not the whole list, even under the race detector.
	for _, tc := range []struct {
		workers int
		work    time.Duration
		max     int32
	}{{1, 0, 5}, {2, time.Millisecond, 50}} {
		var ran atomic.Int32
		err := forEach(context.Background(), 1000, tc.workers, func(i int) error {
			ran.Add(1)
			if i == 3 {
				return boom
			}
			time.Sleep(tc.work)
			return nil
		})
		if !errors.Is(err, boom) {
			t.Fatalf("workers=%d: err = %v, want boom", tc.workers, err)
		}
		// Items already handed out finish; the rest of the 1000 never start.
		if n := ran.Load(); n > tc.max {
			t.Errorf("workers=%d: %d items ran, want at most %d", tc.workers, n, tc.max)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := forEach(ctx, 5, 2, func(int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func TestReadHyps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hyp")
	data := "the small pup (u00001 -1234)\n (u00000 -99)\nnoise line\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := readHyps(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if h[0] != "" || h[1] != "the small pup" {
		t.Errorf("hyps = %q", h)
	}
	if _, err := readHyps(path, 3); err == nil {
		t.Error("a missing hypothesis was not reported")
	}
}
