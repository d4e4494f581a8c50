package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// DefaultBlobGrace is how old a blob no row refers to must be before
// SweepBlobs deletes it. A blob is written before the row that names it
// is committed (a synthesis stores its audio, then its history entry), so
// a young unreferenced blob may be about to get its row.
const DefaultBlobGrace = time.Hour

// TempSweeper is a blob store whose interrupted writes leave files behind
// (a directory does; an S3 server discards an upload it never completes).
// SweepBlobs has it delete those untouched for the grace period.
type TempSweeper interface {
	SweepTemp(ctx context.Context, before time.Time) (int, error)
}

// blobRefPage is how many referenced keys SweepBlobs reads at a time.
const blobRefPage = 1000

// SweepBlobs deletes the blobs that no row refers to and that were last
// written more than grace ago, and counts the rows whose blob is missing;
// it records the outcome in the store for Health and returns it.
//
// The blob listing and the referenced keys are walked side by side, both
// in key order, so memory stays bounded however many there are. Each
// verdict is checked once more just before it counts (a row may have
// come or gone meanwhile), so a sweep racing the service deletes nothing
// still referenced and reports no blob missing that was only being
// written.
func (s *Service) SweepBlobs(ctx context.Context, grace time.Duration) (BlobSweep, error) {
	start := s.cfg.Now()
	res := BlobSweep{At: Timestamp(start)}
	refs := &refCursor{store: s.store}
	err := s.blobs.List(ctx, func(bi BlobInfo) error {
		res.Blobs++
		if err := s.sweepMissingBefore(ctx, refs, bi.Key, &res); err != nil {
			return err
		}
		if k, ok, err := refs.peek(ctx); err != nil {
			return err
		} else if ok && k == bi.Key {
			refs.next()
			return nil
		}
		if !bi.ModTime.Before(start.Add(-grace)) {
			return nil
		}
		return s.deleteOrphan(ctx, bi.Key, &res)
	})
	if err == nil {
		err = s.sweepMissingBefore(ctx, refs, "", &res)
	}
	if ts, ok := s.blobs.(TempSweeper); ok && err == nil {
		var n int
		n, err = ts.SweepTemp(ctx, start.Add(-grace))
		if n > 0 {
			s.log.Info("deleted temporary files of interrupted writes", slog.Int("files", n))
		}
	}
	if err != nil {
		return res, fmt.Errorf("sweep blobs: %w", err)
	}
	if err := s.store.SaveBlobSweep(ctx, res); err != nil {
		return res, err
	}
	s.log.Info("swept blobs", slog.Int("blobs", res.Blobs), slog.Int("deleted", res.Deleted),
		slog.Int("missing", res.Missing), slog.Duration("took", time.Since(start)))
	return res, nil
}

// deleteOrphan deletes a blob that no row referred to when its page of
// keys was read, unless one does now.
func (s *Service) deleteOrphan(ctx context.Context, key string, res *BlobSweep) error {
	used, err := s.store.BlobReferenced(ctx, key)
	if err != nil || used {
		return err
	}
	if err := s.blobs.Delete(ctx, key); err != nil {
		return err
	}
	res.Deleted++
	s.log.Info("deleted unreferenced blob", slog.String("key", key))
	return nil
}

// sweepMissingBefore counts the referenced keys below key ("" for all that
// are left), which the listing passed without seeing, as missing, once
// a second look confirms that the row is there and the blob is not.
func (s *Service) sweepMissingBefore(ctx context.Context, refs *refCursor, key string, res *BlobSweep) error {
	for {
		k, ok, err := refs.peek(ctx)
		if err != nil || !ok || (key != "" && k >= key) {
			return err
		}
		refs.next()
		if gone, err := s.blobGone(ctx, k); err != nil || !gone {
			return err
		}
		res.Missing++
		if len(res.MissingKeys) < MaxMissingKeys {
			res.MissingKeys = append(res.MissingKeys, k)
		}
		s.log.Warn("a row names a blob that is not stored", slog.String("key", k))
	}
}

// blobGone reports whether key is referenced but not stored.
func (s *Service) blobGone(ctx context.Context, key string) (bool, error) {
	rc, err := s.blobs.Open(ctx, key)
	if err == nil {
		return false, rc.Close()
	}
	if ErrorCode(err) != ENotFound {
		return false, err
	}
	return s.store.BlobReferenced(ctx, key)
}

// refCursor walks the store's referenced keys a page at a time.
type refCursor struct {
	store Store
	page  []string
	last  string
	done  bool
}

// peek returns the current key; ok is false past the last.
func (c *refCursor) peek(ctx context.Context) (string, bool, error) {
	if len(c.page) == 0 && !c.done {
		page, err := c.store.BlobRefs(ctx, c.last, blobRefPage)
		if err != nil {
			return "", false, err
		}
		c.page, c.done = page, len(page) < blobRefPage
		if len(page) > 0 {
			c.last = page[len(page)-1]
		}
	}
	if len(c.page) == 0 {
		return "", false, nil
	}
	return c.page[0], true, nil
}

func (c *refCursor) next() { c.page = c.page[1:] }
