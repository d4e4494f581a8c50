package s3blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/voxclone/voxclone/internal/app"
)

// Open starts a GET of the whole object, which tells whether it exists
// and its size; reading streams its body. ENotFound when it is missing.
func (s *Store) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	obj, err := s.objectKey(key)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.loc.Bucket, Key: &obj})
	if isNotFound(err) {
		return nil, &app.Error{Code: app.ENotFound, Message: "Stored file not found.", Err: err}
	} else if err != nil {
		return nil, fmt.Errorf("s3blob: open %s: %w", key, err)
	}
	return &reader{ctx: ctx, s: s, key: key, obj: obj, size: aws.ToInt64(out.ContentLength), body: out.Body}, nil
}

// reader reads an object from pos. Seeking only moves pos; the next Read
// then drops the body if it is elsewhere and GETs the range from pos to
// the end, so that serving an HTTP Range costs one ranged GET.
type reader struct {
	ctx      context.Context
	s        *Store
	key, obj string
	size     int64
	pos      int64
	body     io.ReadCloser // positioned at bodyPos, or nil
	bodyPos  int64
}

func (r *reader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	if r.body != nil && r.bodyPos != r.pos {
		r.body.Close()
		r.body = nil
	}
	if r.body == nil {
		out, err := r.s.client.GetObject(r.ctx, &s3.GetObjectInput{
			Bucket: &r.s.loc.Bucket, Key: &r.obj, Range: aws.String(fmt.Sprintf("bytes=%d-", r.pos)),
		})
		if err != nil {
			return 0, fmt.Errorf("s3blob: read %s at %d: %w", r.key, r.pos, err)
		}
		r.body, r.bodyPos = out.Body, r.pos
	}
	n, err := r.body.Read(p)
	r.pos += int64(n)
	r.bodyPos = r.pos
	if errors.Is(err, io.EOF) && r.pos < r.size {
		err = fmt.Errorf("s3blob: read %s: %w after %d of %d bytes", r.key, io.ErrUnexpectedEOF, r.pos, r.size)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		// A broken body is not read again: a seek and read start afresh.
		r.body.Close()
		r.body = nil
	}
	return n, err
}

func (r *reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.size
	default:
		return 0, errors.New("s3blob: seek: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("s3blob: seek: negative position")
	}
	r.pos = offset
	return offset, nil
}

func (r *reader) Close() error {
	if r.body == nil {
		return nil
	}
	err := r.body.Close()
	r.body = nil
	return err
}
