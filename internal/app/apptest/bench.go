package apptest

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// BenchmarkStore measures a store's hot paths on a small realistic data
// set: the lookups behind API key authentication, and listing a user's 20
// models with their samples. store must be fresh and migrated.
func BenchmarkStore(b *testing.B, store app.Store) {
	ctx := b.Context()
	var user app.User
	var prefix string
	for u := range 50 {
		user = app.User{ID: app.NewID(), Email: fmt.Sprintf("bench%d@example.com", u), CreatedAt: T0}
		benchMust(b, store.CreateUser(ctx, user, "x"))
		sum := sha256.Sum256([]byte(user.ID))
		prefix = "vxk_" + user.ID[:8]
		benchMust(b, store.CreateAPIKey(ctx, app.StoredAPIKey{APIKey: app.APIKey{ID: app.NewID(), UserID: user.ID,
			Name: "k", Prefix: prefix, CreatedAt: T0}, Hash: sum[:]}))
		var ids []string
		for range 3 {
			id := app.NewID()
			benchMust(b, store.CreateSample(ctx, app.Sample{ID: id, UserID: user.ID, Name: "s", Format: "wav",
				BlobKey: "samples/" + id + ".wav", CreatedAt: T0}))
			ids = append(ids, id)
		}
		if u%5 == 4 { // the last user, listed below, has models
			for i := range 20 {
				at := T0.Add(time.Duration(i) * time.Second)
				benchMust(b, store.CreateModel(ctx, app.Model{ID: app.NewID(), UserID: user.ID, Name: "m",
					Status: app.ModelReady, Engine: "e", SampleIDs: ids, CreatedAt: at, UpdatedAt: at}, nil))
			}
		}
	}
	b.Run("FindAPIKey", func(b *testing.B) {
		for b.Loop() {
			keys, err := store.FindAPIKeysByPrefix(ctx, prefix)
			if err != nil || len(keys) != 1 {
				b.Fatalf("FindAPIKeysByPrefix = %d keys, %v", len(keys), err)
			}
			if _, err := store.FindUserByID(ctx, keys[0].UserID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListModels", func(b *testing.B) {
		for b.Loop() {
			ms, err := store.ListModels(ctx, user.ID)
			if err != nil || len(ms) != 20 || len(ms[0].SampleIDs) != 3 {
				b.Fatalf("ListModels = %d models, %v", len(ms), err)
			}
		}
	})
}

func benchMust(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
