// Package blob stores voxclone's opaque files (sample audio, voice
// profiles, synthesized audio) and implements app.Blobs.
//
// Local keeps them in a directory on disk. Keys are made by the service,
// never by users, and must match KeyPattern; they map to
// <root>/<kind>/<first two hex digits>/<id>.<ext>, fanning files out over
// 256 subdirectories per kind. Writes go to a temporary file that is synced
// and renamed into place, so readers see either the old blob or the whole
// new one. Every file operation goes through an os.Root, so nothing outside
// the root directory can be reached, even through symlinks.
package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// KeyPattern is the shape of every valid key: a kind, a 128-bit hex id and
// an extension, e.g. "samples/0123456789abcdef0123456789abcdef.wav".
var KeyPattern = regexp.MustCompile(`^[a-z]{1,32}/[0-9a-f]{32}\.[a-z0-9]{1,10}$`)

// Local is a blob store in a local directory. It is safe for concurrent
// use, also by several processes sharing the directory.
type Local struct {
	root *os.Root
	dir  string
}

var _ app.Blobs = (*Local)(nil)

// NewLocal opens (creating with mode 0700 if needed) the directory dir as a
// blob store. Close releases it.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Local{root: root, dir: dir}, nil
}

// Close releases the directory.
func (l *Local) Close() error { return l.root.Close() }

// ValidKey reports whether key matches KeyPattern.
func ValidKey(key string) bool { return KeyPattern.MatchString(key) }

// filePath maps a valid key to its path below the root.
func filePath(key string) (string, error) {
	if !ValidKey(key) {
		return "", app.Errorf(app.EInvalid, "Invalid storage key.")
	}
	kind, name := path.Split(key)
	return path.Join(kind, name[:2], name), nil
}

// Put writes r's bytes under key, atomically replacing any blob there.
func (l *Local) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	p, err := filePath(key)
	if err != nil {
		return 0, err
	}
	dir := path.Dir(p)
	if err := l.root.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, tempPrefix+hex.EncodeToString(rnd[:]))
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	n, err := io.Copy(f, ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = l.root.Rename(tmp, p)
	}
	if err != nil {
		_ = l.root.Remove(tmp)
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	return n, nil
}

// Open returns the blob's file; ENotFound when there is none.
func (l *Local) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	p, err := filePath(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := l.root.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &app.Error{Code: app.ENotFound, Message: "Stored file not found.", Err: err}
	} else if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes the blob; a missing blob is not an error.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := filePath(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := l.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List calls fn with every blob in key order. The fan-out directories
// are named after the ids' first two characters, so walking the tree in
// lexical order visits keys in lexical order too. Temporary files of
// unfinished writes start with a dot and are skipped.
func (l *Local) List(ctx context.Context, fn func(app.BlobInfo) error) error {
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		dir, name := path.Split(p)
		kind, fan := path.Split(strings.TrimSuffix(dir, "/"))
		key := kind + name
		if !ValidKey(key) || !strings.HasPrefix(name, fan) {
			return nil // not ours: left alone
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // deleted meanwhile
		} else if err != nil {
			return err
		}
		return fn(app.BlobInfo{Key: key, Size: info.Size(), ModTime: info.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("blob: list: %w", err)
	}
	return nil
}

// tempPrefix starts the name of a write's temporary file.
const tempPrefix = ".tmp-"

// SweepTemp deletes the temporary files of writes last touched before
// before, and returns how many it deleted. A Put cut short by a crash or a
// killed process leaves its temporary file behind, invisible to List and
// to the blob sweep, and nothing else would ever remove it. A write in
// progress touches its file with every buffer it copies, so only
// abandoned ones grow old.
func (l *Local) SweepTemp(ctx context.Context, before time.Time) (int, error) {
	n := 0
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // renamed into place meanwhile
		} else if err != nil {
			return err
		}
		if !info.ModTime().Before(before) {
			return nil
		}
		if err := l.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("blob: sweep temporary files: %w", err)
	}
	return n, nil
}

// Ping checks that the directory is still there and writable.
func (l *Local) Ping(ctx context.Context) error {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	name := ".ping-" + hex.EncodeToString(rnd[:])
	if err := l.root.WriteFile(name, nil, 0o600); err != nil {
		return fmt.Errorf("blob: %s not writable: %w", l.dir, err)
	}
	return l.root.Remove(name)
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
