package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

// BenchmarkListModels measures GET /api/voice/models in process (no
// network): authentication, one SQLite query and JSON for three models.
func BenchmarkListModels(b *testing.B) {
	db := sqlitetest.Open(b, filepath.Join(b.TempDir(), "voxclone.db"))
	blobs, err := blob.NewLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer blobs.Close()
	svc, err := app.NewService(app.Config{JWTSecret: testSecret, PasswordCost: bcrypt.MinCost},
		app.Deps{Store: db, Blobs: blobs, Engine: engine, Queue: newQueue(b, db, nil)})
	if err != nil {
		b.Fatal(err)
	}
	u, token, err := svc.Register(b.Context(), "bench@example.com", "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	s, err := svc.UploadSample(b.Context(), u.ID, app.UploadInput{Data: bytesReader(speechWAV(b))})
	if err != nil {
		b.Fatal(err)
	}
	for range 3 {
		if _, err := svc.CreateModel(b.Context(), u.ID, app.CreateModelInput{Name: "m", SampleIDs: []string{s.ID}}); err != nil {
			b.Fatal(err)
		}
	}
	h := httpapi.NewHandler(httpapi.Config{Service: svc})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "/api/voice/models", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
