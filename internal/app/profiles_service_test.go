package app_test

import (
	"io"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestVoiceCached: streams in a model's voice share one voice.Voice (its
// profile parsed once), also when they run at once (run with -race), and
// deleting the model drops it from memory.
func TestVoiceCached(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		var mu sync.Mutex
		var seen []*voice.Voice
		f := newTaskFixture(t, b, fakeEngine{speaker: func(sp voice.Speaker) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, sp.Voice)
		}})
		m := f.ready(t)
		speak := func() {
			sp, _, err := f.svc.StartSpeech(t.Context(), f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Hello there.", Format: "wav"})
			if err == nil {
				_, err = sp.Stream(t.Context(), io.Discard, nil)
			}
			if err != nil {
				t.Error(err)
			}
		}
		speak()
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() { defer wg.Done(); speak() }()
		}
		wg.Wait()
		if len(seen) != 7 || seen[0] == nil || string(seen[0].Bytes()) != "profile" {
			t.Fatalf("streams saw %d voices, the first %v", len(seen), seen[0])
		}
		for i, v := range seen {
			if v != seen[0] {
				t.Errorf("stream %d got another Voice than the first", i)
			}
		}
		if n := app.CachedVoices(f.svc); n != 1 {
			t.Errorf("%d voices cached, want 1", n)
		}
		must(t, f.svc.DeleteModel(t.Context(), f.alice.ID, m.ID))
		if n := app.CachedVoices(f.svc); n != 0 {
			t.Errorf("%d voices cached after the model's deletion, want 0", n)
		}
	})
}

// TestVoiceCacheDeleteAccount: deleting an account drops its voices from
// memory, as deleting a model does: the parsed profile of a deleted
// account is not kept until the cache happens to evict it.
func TestVoiceCacheDeleteAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newTaskFixture(t, b, fakeEngine{})
		m := f.ready(t)
		sp, _, err := f.svc.StartSpeech(t.Context(), f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Hello there.", Format: "wav"})
		must(t, err)
		_, err = sp.Stream(t.Context(), io.Discard, nil)
		must(t, err)
		if n := app.CachedVoices(f.svc); n != 1 {
			t.Fatalf("%d voices cached after speaking, want 1", n)
		}
		_, err = f.svc.DeleteAccount(t.Context(), f.alice.ID, "correct horse battery")
		must(t, err)
		if n := app.CachedVoices(f.svc); n != 0 {
			t.Errorf("%d voices cached after the account's deletion, want 0", n)
		}
	})
}
