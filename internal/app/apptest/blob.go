package apptest

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// BlobSuite checks an app.Blobs against the contract documented on the
// interface. open must return a fresh, empty store for each call.
func BlobSuite(t *testing.T, open func(t *testing.T) app.Blobs) {
	tests := map[string]func(t *testing.T, b app.Blobs){
		"RoundTrip":   testBlobRoundTrip,
		"Missing":     testBlobMissing,
		"InvalidKeys": testBlobInvalidKeys,
		"FailedPut":   testBlobFailedPut,
		"Concurrent":  testBlobConcurrent,
		"Ranges":      testBlobRanges,
		"Large":       testBlobLarge,
		"List":        testBlobList,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

// BlobKey returns a fresh valid key of the given kind and extension.
func BlobKey(kind, ext string) string { return kind + "/" + app.NewID() + "." + ext }

func readBlob(t *testing.T, b app.Blobs, key string) []byte {
	t.Helper()
	rc, err := b.Open(t.Context(), key)
	must(t, err)
	defer rc.Close()
	data, err := io.ReadAll(rc)
	must(t, err)
	return data
}

func testBlobRoundTrip(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	must(t, b.Ping(ctx))
	data := make([]byte, 1<<20+17)
	_, _ = rand.Read(data)
	key := BlobKey("samples", "wav")
	n, err := b.Put(ctx, key, bytes.NewReader(data))
	must(t, err)
	if n != int64(len(data)) {
		t.Errorf("Put wrote %d bytes, want %d", n, len(data))
	}
	if got := readBlob(t, b, key); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, not what was written", len(got))
	}
	// Put replaces.
	_, err = b.Put(ctx, key, bytes.NewReader([]byte("short")))
	must(t, err)
	if got := readBlob(t, b, key); string(got) != "short" {
		t.Errorf("after replace read %q", got)
	}
	empty := BlobKey("audio", "mp3")
	_, err = b.Put(ctx, empty, bytes.NewReader(nil))
	must(t, err)
	if got := readBlob(t, b, empty); len(got) != 0 {
		t.Errorf("empty blob read back %d bytes", len(got))
	}
	must(t, b.Delete(ctx, key))
	_, err = b.Open(ctx, key)
	wantCode(t, err, app.ENotFound)
}

func testBlobMissing(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	_, err := b.Open(ctx, BlobKey("profiles", "vxp"))
	wantCode(t, err, app.ENotFound)
	must(t, b.Delete(ctx, BlobKey("profiles", "vxp")))
}

func testBlobInvalidKeys(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	id := app.NewID()
	for _, key := range []string{
		"", "samples", "samples/" + id, "../samples/" + id + ".wav", "samples/../" + id + ".wav",
		"/samples/" + id + ".wav", "samples/" + id[:31] + ".wav", "Samples/" + id + ".wav",
		"samples/" + id + ".WAV", "samples/x/" + id + ".wav", "samples\\" + id + ".wav",
		"samples/" + id + ".wav/", "samples/" + id + ".wav\x00", "samples//" + id + ".wav",
	} {
		_, err := b.Put(ctx, key, bytes.NewReader([]byte("x")))
		wantCode(t, err, app.EInvalid)
		_, err = b.Open(ctx, key)
		wantCode(t, err, app.EInvalid)
		wantCode(t, b.Delete(ctx, key), app.EInvalid)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func testBlobFailedPut(t *testing.T, b app.Blobs) {
	ctx := t.Context()
	key := BlobKey("samples", "flac")
	if _, err := b.Put(ctx, key, &failingReader{n: 100000}); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	_, err := b.Open(ctx, key)
	wantCode(t, err, app.ENotFound)

	// A failed replace keeps the old blob whole.
	_, err = b.Put(ctx, key, bytes.NewReader([]byte("old")))
	must(t, err)
	if _, err := b.Put(ctx, key, &failingReader{n: 10}); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	if got := readBlob(t, b, key); string(got) != "old" {
		t.Errorf("after failed replace read %q, want old", got)
	}
	// Past the first megabytes, where a store may stream in parts.
	if _, err := b.Put(ctx, key, &failingReader{n: 11 << 20}); err == nil {
		t.Fatal("Put with a reader failing after 11 MiB succeeded")
	}
	if got := readBlob(t, b, key); string(got) != "old" {
		t.Errorf("after failed large replace read %q, want old", got)
	}
}

func testBlobConcurrent(t *testing.T, b app.Blobs) {
	key := BlobKey("audio", "wav")
	contents := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range contents {
		contents[i] = bytes.Repeat([]byte{byte('a' + i)}, 64<<10)
		wg.Go(func() {
			if _, err := b.Put(t.Context(), key, bytes.NewReader(contents[i])); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := readBlob(t, b, key)
	for _, c := range contents {
		if bytes.Equal(got, c) {
			return
		}
	}
	t.Errorf("after concurrent puts, blob (%d bytes) is none of the written contents", len(got))
}
