package s3blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Put streams r into the object: one PutObject when r ends within
// PartSize bytes, else a multipart upload, aborted on any error so that
// no partial object appears and a previous one stays.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	obj, err := s.objectKey(key)
	if err != nil {
		return 0, err
	}
	buf := s.buffer()
	defer s.release(buf)
	n, err := io.ReadFull(r, buf)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: &s.loc.Bucket, Key: &obj, Body: bytes.NewReader(buf[:n]), ContentLength: aws.Int64(int64(n)),
		})
		if err != nil {
			return 0, fmt.Errorf("s3blob: put %s: %w", key, err)
		}
		return int64(n), nil
	case err != nil:
		return 0, fmt.Errorf("s3blob: put %s: %w", key, err)
	}
	total, err := s.multipart(ctx, obj, buf, r)
	if err != nil {
		return 0, fmt.Errorf("s3blob: put %s: %w", key, err)
	}
	return total, nil
}

// multipart uploads buf, which is full, and the rest of r as parts.
func (s *Store) multipart(ctx context.Context, obj string, buf []byte, r io.Reader) (int64, error) {
	up, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &s.loc.Bucket, Key: &obj})
	if err != nil {
		return 0, err
	}
	total, parts, err := s.uploadParts(ctx, obj, up.UploadId, buf, r)
	if err == nil {
		_, err = s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: &s.loc.Bucket, Key: &obj, UploadId: up.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		})
	}
	if err != nil {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
		defer cancel()
		_, _ = s.client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{
			Bucket: &s.loc.Bucket, Key: &obj, UploadId: up.UploadId,
		})
		return 0, err
	}
	return total, nil
}

// uploadParts sends buf[:n] as part 1, then reads and sends the next
// parts until r ends.
func (s *Store) uploadParts(ctx context.Context, obj string, id *string, buf []byte, r io.Reader) (int64, []types.CompletedPart, error) {
	var parts []types.CompletedPart
	var total int64
	n := len(buf)
	for num := int32(1); n > 0; num++ {
		out, err := s.client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: &s.loc.Bucket, Key: &obj, UploadId: id, PartNumber: aws.Int32(num),
			Body: bytes.NewReader(buf[:n]), ContentLength: aws.Int64(int64(n)),
		})
		if err != nil {
			return 0, nil, err
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
		total += int64(n)
		n, err = io.ReadFull(r, buf)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, nil, err
		}
	}
	return total, parts, nil
}

// buffer returns a PartSize buffer, reusing a released one when it can.
func (s *Store) buffer() []byte {
	select {
	case b := <-s.bufs:
		return b
	default:
		return make([]byte, PartSize)
	}
}

func (s *Store) release(b []byte) {
	select {
	case s.bufs <- b:
	default:
	}
}
