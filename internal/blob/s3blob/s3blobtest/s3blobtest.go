// Package s3blobtest runs a real S3 server for tests: gofakes3 with its
// in-memory backend, served over HTTP on a random loopback port, so the
// SDK client talks to it exactly as it would to MinIO or AWS.
package s3blobtest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/blob/s3blob"
)

// Credentials the server accepts (it accepts any); child processes get
// them as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
const (
	AccessKey = "voxclone-test"
	SecretKey = "voxclone-test-secret"
)

// Server is a running S3 server.
type Server struct {
	// Endpoint is the server's base URL, http://127.0.0.1:PORT.
	Endpoint string
	backend  *s3mem.Backend
	n        atomic.Int64
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	be := s3mem.New()
	hs := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(hs.Close)
	return &Server{Endpoint: hs.URL, backend: be}
}

// NewBucket creates an empty bucket and returns its location.
func (s *Server) NewBucket(t testing.TB) blob.S3Location {
	t.Helper()
	name := fmt.Sprintf("voxclone-test-%d", s.n.Add(1))
	if err := s.backend.CreateBucket(name); err != nil {
		t.Fatal(err)
	}
	return blob.S3Location{Bucket: name, Endpoint: s.Endpoint, Region: "us-east-1", PathStyle: true}
}

// URL is the VOXCLONE_BLOB_URL of loc.
func URL(loc blob.S3Location) string {
	return fmt.Sprintf("s3://%s?endpoint=%s&region=%s&path_style=true", loc.Bucket, loc.Endpoint, loc.Region)
}

// Env is what a child process needs to reach loc: VOXCLONE_BLOB_URL and
// the credentials.
func Env(loc blob.S3Location) []string {
	return []string{"VOXCLONE_BLOB_URL=" + URL(loc), "AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey}
}

// Open returns a client on loc with the test credentials.
func Open(t testing.TB, loc blob.S3Location) *s3blob.Store {
	t.Helper()
	st, err := s3blob.New(context.Background(), loc, s3blob.Options{
		Credentials: credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}
