package apptest

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// readAt seeks r to off and reads n bytes (all that is left when n < 0).
func readAt(t *testing.T, r io.ReadSeeker, off, n int64) []byte {
	t.Helper()
	pos, err := r.Seek(off, io.SeekStart)
	must(t, err)
	if pos != off {
		t.Fatalf("Seek(%d) = %d", off, pos)
	}
	var src io.Reader = r
	if n >= 0 {
		src = io.LimitReader(r, n)
	}
	data, err := io.ReadAll(src)
	must(t, err)
	return data
}

// testBlobRanges reads parts of a blob by seeking, in any order, as an
// HTTP Range request does.
func testBlobRanges(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	data := make([]byte, 300_001)
	_, _ = rand.Read(data)
	key := BlobKey("audio", "mp3")
	_, err := b.Put(ctx, key, bytes.NewReader(data))
	must(t, err)
	r, err := b.Open(ctx, key)
	must(t, err)
	defer r.Close()
	size, err := r.Seek(0, io.SeekEnd)
	must(t, err)
	if size != int64(len(data)) {
		t.Fatalf("Seek to the end = %d, want the size %d", size, len(data))
	}
	for _, c := range []struct{ off, n int64 }{
		{0, 10}, {1000, 5000}, {299_990, -1}, {17, 1}, {150_000, 100_000}, {0, -1}, {300_000, -1},
	} {
		want := data[c.off:]
		if c.n >= 0 {
			want = want[:c.n]
		}
		if got := readAt(t, r, c.off, c.n); !bytes.Equal(got, want) {
			t.Errorf("bytes %d+%d: read %d bytes, not the blob's", c.off, c.n, len(got))
		}
	}
	if got := readAt(t, r, int64(len(data)+10), -1); len(got) != 0 {
		t.Errorf("read %d bytes past the end", len(got))
	}
	// Seeking relative to the current position.
	readAt(t, r, 100, 50)
	pos, err := r.Seek(-20, io.SeekCurrent)
	must(t, err)
	got := make([]byte, 5)
	_, err = io.ReadFull(r, got)
	must(t, err)
	if pos != 130 || !bytes.Equal(got, data[130:135]) {
		t.Errorf("after Seek(-20, current) at 150: position %d, read %x, want 130 and %x", pos, got, data[130:135])
	}
	if _, err := r.Seek(-1, io.SeekStart); err == nil {
		t.Error("seeking before the start succeeded")
	}
}

// testBlobLarge writes a blob bigger than S3's smallest multipart part
// and reads it back, whole and across part boundaries.
func testBlobLarge(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	data := make([]byte, 11<<20+3)
	_, _ = rand.Read(data)
	key := BlobKey("samples", "wav")
	n, err := b.Put(ctx, key, io.MultiReader(bytes.NewReader(data[:1<<20]), bytes.NewReader(data[1<<20:])))
	must(t, err)
	if n != int64(len(data)) {
		t.Errorf("Put wrote %d bytes, want %d", n, len(data))
	}
	if got := readBlob(t, b, key); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, not what was written", len(got))
	}
	r, err := b.Open(ctx, key)
	must(t, err)
	defer r.Close()
	off := int64(5<<20 - 100)
	if got := readAt(t, r, off, 200); !bytes.Equal(got, data[off:off+200]) {
		t.Error("the bytes across 5 MiB are not the blob's")
	}
}

// testBlobList lists what was put, in key order with sizes and times,
// and no more once deleted.
func testBlobList(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	before := time.Now().Add(-2 * time.Second) // S3 keeps whole seconds
	want := map[string]int64{}
	for i, kind := range []string{"samples", "profiles", "audio", "audio", "samples"} {
		key := BlobKey(kind, "bin")
		_, err := b.Put(ctx, key, bytes.NewReader(make([]byte, 100*i)))
		must(t, err)
		want[key] = int64(100 * i)
	}
	gone := BlobKey("audio", "bin")
	_, err := b.Put(ctx, gone, bytes.NewReader([]byte("x")))
	must(t, err)
	must(t, b.Delete(ctx, gone))
	// Overwriting keeps one blob with the new size.
	over := slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	})[0]
	_, err = b.Put(ctx, over, bytes.NewReader(make([]byte, 7)))
	must(t, err)
	want[over] = 7

	var keys []string
	must(t, b.List(ctx, func(bi app.BlobInfo) error {
		keys = append(keys, bi.Key)
		if size, ok := want[bi.Key]; !ok || size != bi.Size {
			t.Errorf("listed %+v; want one of the blobs put, with its size (%d)", bi, size)
		}
		if bi.ModTime.Before(before) || bi.ModTime.After(time.Now().Add(2*time.Second)) {
			t.Errorf("listed %s modified at %v, not during the test", bi.Key, bi.ModTime)
		}
		return nil
	}))
	if len(keys) != len(want) || !slices.IsSorted(keys) {
		t.Errorf("listed %v; want the %d blobs in key order", keys, len(want))
	}
	stop := errors.New("enough")
	calls := 0
	err = b.List(ctx, func(app.BlobInfo) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("List after fn failed: %d calls, error %v; want 1 call and fn's error", calls, err)
	}
}
