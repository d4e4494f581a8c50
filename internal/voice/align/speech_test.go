package align

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

var loaded sync.Map // path → *audio.PCM, shared by the tests

// load16k reads a recording of the shared speech set as 16 kHz mono. The
// result is shared; callers must not modify it.
func load16k(t testing.TB, path string) *audio.PCM {
	t.Helper()
	if p, ok := loaded.Load(path); ok {
		return p.(*audio.PCM)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := codec.Decode(context.Background(), b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	p = dsp.Resample(p.Mono(), Rate)
	loaded.Store(path, p)
	return p
}
