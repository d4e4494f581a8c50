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
