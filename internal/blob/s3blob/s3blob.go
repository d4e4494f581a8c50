// Package s3blob keeps voxclone's blobs in a bucket of an S3-compatible
// object store (AWS S3, MinIO, SeaweedFS, Cloudflare R2, Garage) through
// aws-sdk-go-v2, and implements app.Blobs.
//
// Keys are those of package blob, behind the location's prefix. Writes
// stream: a blob up to PartSize goes in one PutObject, a larger one as a
// multipart upload of PartSize parts, so memory per write is bounded and
// a failed write is aborted, leaving any previous blob whole. Reads
// stream too, and a seek makes the next read a ranged GET.
package s3blob

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
)

// PartSize is the size of a multipart upload's parts (S3's minimum is
// 5 MiB), and so the most a Put holds in memory.
const PartSize = 5 << 20

// Store is a blob store in an S3 bucket. It is safe for concurrent use,
// also by several processes sharing the bucket.
type Store struct {
	client *s3.Client
	loc    blob.S3Location
	bufs   chan []byte // part buffers, reused
}

var _ app.Blobs = (*Store)(nil)

// Options tune New.
type Options struct {
	// Credentials, when nil, come from the SDK's default chain: the
	// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables, the shared
	// files, or the machine's role.
	Credentials aws.CredentialsProvider
	// HTTPClient, when nil, is the SDK's.
	HTTPClient *http.Client
}

// New returns a Store on loc. It does not contact the server; Ping does.
func New(ctx context.Context, loc blob.S3Location, opt Options) (*Store, error) {
	var load []func(*config.LoadOptions) error
	if loc.Region != "" {
		load = append(load, config.WithRegion(loc.Region))
	}
	if opt.Credentials != nil {
		load = append(load, config.WithCredentialsProvider(opt.Credentials))
	}
	if opt.HTTPClient != nil {
		load = append(load, config.WithHTTPClient(opt.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("s3blob: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // what MinIO, SeaweedFS and Garage accept by default
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if loc.Endpoint != "" {
			o.BaseEndpoint = aws.String(loc.Endpoint)
		}
		o.UsePathStyle = loc.PathStyle
		// Checksums only where S3 requires them: several S3-compatible
		// servers reject the SDK's default trailing checksums.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &Store{client: client, loc: loc, bufs: make(chan []byte, 4)}, nil
}

// Close releases nothing; it is there to match blob.Local.
func (s *Store) Close() error { return nil }

// objectKey maps a valid key to the object's name.
func (s *Store) objectKey(key string) (string, error) {
	if !blob.ValidKey(key) {
		return "", app.Errorf(app.EInvalid, "Invalid storage key.")
	}
	return s.loc.Prefix + key, nil
}

// Delete removes the object; S3 answers a missing one with success too.
func (s *Store) Delete(ctx context.Context, key string) error {
	obj, err := s.objectKey(key)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.loc.Bucket, Key: &obj})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("s3blob: delete %s: %w", key, err)
	}
	return nil
}

// Ping checks that the bucket exists and the credentials reach it.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &s.loc.Bucket}); err != nil {
		return fmt.Errorf("s3blob: bucket %s: %w", s.loc.Bucket, err)
	}
	return nil
}

// List pages through the objects under the prefix; S3 lists keys in
// byte-wise order. Objects whose names are not valid keys are skipped:
// the bucket may hold other things.
func (s *Store) List(ctx context.Context, fn func(app.BlobInfo) error) error {
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: &s.loc.Bucket, Prefix: aws.String(s.loc.Prefix),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("s3blob: list: %w", err)
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)[len(s.loc.Prefix):]
			if !blob.ValidKey(key) {
				continue
			}
			info := app.BlobInfo{Key: key, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)}
			if err := fn(info); err != nil {
				return err
			}
		}
	}
	return nil
}

// isNotFound reports whether S3 said the object or bucket is not there.
func isNotFound(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NoSuchKey", "NotFound", "NoSuchBucket":
			return true
		}
	}
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}

// abortTimeout bounds cleaning up after a failed upload, which runs even
// when the caller's context has ended.
const abortTimeout = 30 * time.Second
