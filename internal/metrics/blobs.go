package metrics

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// WrapBlobs returns b counting its failures in
// voxclone_blob_errors_total{op}. A missing blob, an invalid key and a
// cancelled request are answers, not failures of the store, and are not
// counted.
func (m *Metrics) WrapBlobs(b app.Blobs) app.Blobs { return &countedBlobs{b: b, m: m} }

type countedBlobs struct {
	b app.Blobs
	m *Metrics
}

var _ app.Blobs = (*countedBlobs)(nil)

// count records err, when it is a failure, against op and returns it.
func (c *countedBlobs) count(op string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	if code := app.ErrorCode(err); code == app.ENotFound || code == app.EInvalid {
		return err
	}
	c.m.blobErrors.WithLabelValues(op).Inc()
	return err
}

// SweepTemp passes the sweep on to a store that leaves temporary files
// behind; others have none.
func (c *countedBlobs) SweepTemp(ctx context.Context, before time.Time) (int, error) {
	ts, ok := c.b.(app.TempSweeper)
	if !ok {
		return 0, nil
	}
	n, err := ts.SweepTemp(ctx, before)
	return n, c.count("sweep_temp", err)
}

func (c *countedBlobs) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	n, err := c.b.Put(ctx, key, r)
	return n, c.count("put", err)
}

func (c *countedBlobs) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	rc, err := c.b.Open(ctx, key)
	return rc, c.count("open", err)
}

func (c *countedBlobs) Delete(ctx context.Context, key string) error {
	return c.count("delete", c.b.Delete(ctx, key))
}

// List counts only the store's own failures, not those of fn, which the
// caller made.
func (c *countedBlobs) List(ctx context.Context, fn func(app.BlobInfo) error) error {
	var fnErr error
	err := c.b.List(ctx, func(bi app.BlobInfo) error {
		fnErr = fn(bi)
		return fnErr
	})
	if err != nil && fnErr != nil && errors.Is(err, fnErr) {
		return err
	}
	return c.count("list", err)
}

func (c *countedBlobs) Ping(ctx context.Context) error {
	return c.count("ping", c.b.Ping(ctx))
}
