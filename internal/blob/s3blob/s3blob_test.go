package s3blob_test

import (
	"bytes"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob/s3blob/s3blobtest"
)

// TestS3 runs the blob conformance suite against a real S3 server over
// HTTP on a loopback port, a fresh bucket per test.
func TestS3(t *testing.T) {
	srv := s3blobtest.Start(t)
	apptest.BlobSuite(t, func(t *testing.T) app.Blobs { return s3blobtest.Open(t, srv.NewBucket(t)) })
}

// TestS3Prefix: a store with a key prefix sees only its own objects, and
// leaves the others in a shared bucket alone.
func TestS3Prefix(t *testing.T) {
	srv := s3blobtest.Start(t)
	loc := srv.NewBucket(t)
	whole := s3blobtest.Open(t, loc)
	loc.Prefix = "voxclone/"
	mine := s3blobtest.Open(t, loc)
	ctx := t.Context()
	key := apptest.BlobKey("audio", "mp3")
	if _, err := whole.Put(ctx, key, bytes.NewReader([]byte("another app's"))); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.Put(ctx, key, bytes.NewReader([]byte("ours"))); err != nil {
		t.Fatal(err)
	}
	var listed []app.BlobInfo
	if err := mine.List(ctx, func(bi app.BlobInfo) error { listed = append(listed, bi); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].Key != key || listed[0].Size != 4 {
		t.Errorf("prefixed store listed %+v; want only its own %s of 4 bytes", listed, key)
	}
	if err := mine.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	rc, err := whole.Open(ctx, key)
	if err != nil {
		t.Fatalf("deleting through the prefix removed the unprefixed object: %v", err)
	}
	rc.Close()
}

// TestS3Unreachable: Ping fails when the bucket is missing.
func TestS3Unreachable(t *testing.T) {
	srv := s3blobtest.Start(t)
	loc := srv.NewBucket(t)
	loc.Bucket = "no-such-bucket"
	if err := s3blobtest.Open(t, loc).Ping(t.Context()); err == nil {
		t.Error("Ping on a missing bucket succeeded")
	}
}
