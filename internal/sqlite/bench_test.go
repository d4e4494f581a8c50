package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/voice"
)

// idleEngine satisfies app.Engine for benchmarks that do no voice work.
type idleEngine struct{}

func (idleEngine) Name() string { return "idle" }
func (idleEngine) Clone(context.Context, []voice.Reference) ([]byte, error) {
	return nil, errors.New("idle engine")
}
func (idleEngine) Stream(context.Context, voice.Speaker, *voice.Script, voice.Options, func(voice.Chunk) error) error {
	return errors.New("idle engine")
}

// benchService is a Service on a file database with 200 users, each with
// an API key, and returns one key's secret.
func benchService(b *testing.B) (*app.Service, string) {
	db := openDB(b, filepath.Join(b.TempDir(), "bench.db"))
	blobs, err := blob.NewLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc, err := app.NewService(app.Config{JWTSecret: make([]byte, 32), PasswordCost: bcrypt.MinCost},
		app.Deps{Store: db, Blobs: blobs, Engine: idleEngine{}})
	if err != nil {
		b.Fatal(err)
	}
	var secret string
	for i := range 200 {
		u := app.User{ID: app.NewID(), Email: fmt.Sprintf("u%d@example.com", i), CreatedAt: time.Now()}
		if err := db.CreateUser(b.Context(), u, "x"); err != nil {
			b.Fatal(err)
		}
		if _, secret, err = svc.CreateAPIKey(b.Context(), u.ID, "k"); err != nil {
			b.Fatal(err)
		}
	}
	return svc, secret
}

// BenchmarkAuthenticateAPIKey is the per-request cost of an API key: the
// prefix lookup, the hash compare and the user lookup (last-use writes are
// throttled to one a minute).
func BenchmarkAuthenticateAPIKey(b *testing.B) {
	svc, secret := benchService(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Authenticate(b.Context(), secret); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthenticateAPIKeyParallel(b *testing.B) {
	svc, secret := benchService(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Authenticate(context.Background(), secret); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkStore runs the shared store benchmarks on a file database.
func BenchmarkStore(b *testing.B) {
	apptest.BenchmarkStore(b, openDB(b, filepath.Join(b.TempDir(), "bench.db")))
}
