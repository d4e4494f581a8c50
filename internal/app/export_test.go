package app_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// exportMeasure serialises the heap measurements of the two backends'
// subtests, which would otherwise count each other's data.
var exportMeasure sync.Mutex

// TestExportLargeAccount exports an account whose history texts add up to
// far more than one page of the export's reads: the heap live while the
// archive is written stays within a bound well under the history's size,
// and the archive still holds every entry and file. Not parallel with the
// package's other tests (only its two subtests run together, one at a
// time while measuring), so the live heap is this test's.
func TestExportLargeAccount(t *testing.T) {
	const (
		entries   = 500
		textRunes = 64 << 10 // 32 MB of text in all; a page of 100 is 6.4 MB
		bound     = 16 << 20
	)
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		f := newFixture(t, b.open(t), noEngine{})
		u, _ := f.register(t, "large@example.com")
		text := strings.Repeat("Lorem ipsum dolor sit amet. ", textRunes/28+1)[:textRunes]
		var withFile []string
		for i := range entries {
			syn := app.Synthesis{ID: app.NewID(), UserID: u.ID, Voice: "slt", Text: text, Format: "wav", Speed: 1,
				SampleRate: 24000, DurationSeconds: 1, SizeBytes: 4, CreatedAt: f.clock.Now().Add(time.Duration(i) * time.Second)}
			syn.AudioKey = "audio/" + syn.ID + ".wav"
			must(t, f.store.CreateSynthesis(ctx, syn))
			if i%50 == 0 {
				_, err := f.blobs.Put(ctx, syn.AudioKey, bytes.NewReader([]byte("RIFF")))
				must(t, err)
				withFile = append(withFile, syn.ID)
			}
		}
		f.clock.Advance(time.Hour)

		exportMeasure.Lock()
		defer exportMeasure.Unlock()
		w := &heapWriter{}
		w.base = liveHeap()
		must(t, f.svc.ExportAccount(ctx, u.ID, w))
		t.Logf("live heap rose by at most %.1f MB while writing (%d samples)", float64(w.peak-w.base)/(1<<20), w.samples)
		if w.peak-w.base > bound {
			t.Errorf("live heap while exporting rose by %d MB (%d samples), want at most %d MB: the history (%d MB of text) is held whole",
				(w.peak-w.base)>>20, w.samples, bound>>20, entries*textRunes>>20)
		}

		zr, err := zip.NewReader(bytes.NewReader(w.buf.Bytes()), int64(w.buf.Len()))
		must(t, err)
		files := map[string][]byte{}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			must(t, err)
			files[zf.Name], err = io.ReadAll(rc)
			rc.Close()
			must(t, err)
		}
		var history []app.Synthesis
		must(t, json.Unmarshal(files["history.json"], &history))
		if len(history) != entries {
			t.Fatalf("history.json holds %d entries, want %d", len(history), entries)
		}
		for i, s := range history {
			if s.Text != text || i > 0 && !s.CreatedAt.Before(history[i-1].CreatedAt) {
				t.Fatalf("history.json entry %d: %d runes of text at %v; want all the text, newest first", i, len(s.Text), s.CreatedAt)
			}
		}
		for _, id := range withFile {
			if string(files["history/"+id+".wav"]) != "RIFF" {
				t.Errorf("history/%s.wav = %q, want the stored file", id, files["history/"+id+".wav"])
			}
		}
		var account struct{ Missing []string }
		must(t, json.Unmarshal(files["account.json"], &account))
		if len(account.Missing) != entries-len(withFile) {
			t.Errorf("account.json lists %d missing files, want %d", len(account.Missing), entries-len(withFile))
		}
	})
}

// heapWriter keeps the archive and samples the live heap every so often
// while it is written.
type heapWriter struct {
	buf             bytes.Buffer
	writes, samples int
	base, peak      uint64
}

func (w *heapWriter) Write(p []byte) (int, error) {
	if w.writes%64 == 0 {
		// The archive itself is the test's, not the export's.
		w.peak = max(w.peak, liveHeap()-uint64(w.buf.Cap()))
		w.samples++
	}
	w.writes++
	return w.buf.Write(p)
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestDetectLargeHistory: a detection that compares a mark with the
// caller's own history (here: audio another user made, whose payload
// points at none of the caller's syntheses) keeps only what it compares,
// not every entry's text: its live heap exceeds that of the same
// detection by a user without history by far less than the history's
// size. Not parallel with the package's other tests, as
// TestExportLargeAccount.
func TestDetectLargeHistory(t *testing.T) {
	const (
		entries   = 1500
		textRunes = 64 << 10 // 96 MB of text in all
		bound     = 16 << 20
	)
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		alice, _ := f.register(t, "alice@example.com")
		bob, _ := f.register(t, "bob@example.com")
		carol, _ := f.register(t, "carol@example.com")
		_, marked, err := f.svc.Synthesize(ctx, bob.ID, app.SynthesizeInput{Voice: "slt",
			Text: strings.Repeat(threeSentences+" ", 6), Format: "wav"})
		must(t, err)
		text := strings.Repeat("Lorem ipsum dolor sit amet. ", textRunes/28+1)[:textRunes]
		for i := range entries {
			syn := app.Synthesis{ID: app.NewID(), UserID: alice.ID, Voice: "slt", Text: text, Format: "wav", Speed: 1,
				SampleRate: 24000, DurationSeconds: 1, SizeBytes: 4, CreatedAt: f.clock.Now().Add(time.Duration(i) * time.Millisecond)}
			syn.AudioKey = "audio/" + syn.ID + ".wav"
			must(t, f.store.CreateSynthesis(ctx, syn))
		}

		exportMeasure.Lock()
		defer exportMeasure.Unlock()
		// detect returns how far the live heap rose while u detected bob's
		// audio, sampled every few milliseconds.
		detect := func(u app.User) uint64 {
			base := liveHeap()
			var peak uint64
			stop, done := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				for {
					peak = max(peak, liveHeap())
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			d, err := f.svc.DetectWatermark(ctx, u.ID, bytes.NewReader(marked))
			close(stop)
			<-done
			must(t, err)
			if !d.Watermarked || d.SynthesisID != "" {
				t.Fatalf("%s's detection of bob's audio = %+v, want watermarked without a synthesis", u.Email, d)
			}
			return peak - min(peak, base)
		}
		without, with := detect(carol), detect(alice)
		t.Logf("live heap rose by %.1f MB while detecting without history, %.1f MB with %d MB of it",
			float64(without)/(1<<20), float64(with)/(1<<20), entries*textRunes>>20)
		if with > without+bound {
			t.Errorf("the history's %d MB of text raised the detection's live heap by %d MB, want at most %d MB: it is held whole",
				entries*textRunes>>20, (with-without)>>20, bound>>20)
		}
	})
}
