package s3blob_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/blob/s3blob/s3blobtest"
)

// BenchmarkBlobs measures Put and Get throughput of the directory store
// and of the S3 store against gofakes3 over loopback HTTP, for the sizes
// the service writes: a second of MP3 (64 KiB), a voice profile or a
// sample (1 MiB), a long synthesis (16 MiB, a multipart upload).
// docs/performance.md quotes it.
func BenchmarkBlobs(b *testing.B) {
	srv := s3blobtest.Start(b)
	stores := []struct {
		name string
		open func(b *testing.B) app.Blobs
	}{
		{"file", func(b *testing.B) app.Blobs {
			l, err := blob.NewLocal(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { l.Close() })
			return l
		}},
		{"s3", func(b *testing.B) app.Blobs { return s3blobtest.Open(b, srv.NewBucket(b)) }},
	}
	for _, size := range []int{64 << 10, 1 << 20, 16 << 20} {
		data := make([]byte, size)
		_, _ = rand.Read(data)
		for _, st := range stores {
			b.Run(fmt.Sprintf("%s/put/%dKiB", st.name, size>>10), func(b *testing.B) {
				s := st.open(b)
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, err := s.Put(b.Context(), apptest.BlobKey("audio", "mp3"), bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/get/%dKiB", st.name, size>>10), func(b *testing.B) {
				s := st.open(b)
				key := apptest.BlobKey("audio", "mp3")
				if _, err := s.Put(b.Context(), key, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(size))
				for b.Loop() {
					rc, err := s.Open(b.Context(), key)
					if err != nil {
						b.Fatal(err)
					}
					if n, err := io.Copy(io.Discard, rc); err != nil || n != int64(size) {
						b.Fatalf("read %d bytes: %v", n, err)
					}
					rc.Close()
				}
			})
		}
	}
}
