package voice

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
)

// TestVoiceSameAudio streams a voice cloned from real speech (so the
// conversion has its phone shifts) from its profile and from a Voice, first
// use and reuse, at default and other settings: every sample is the same.
func TestVoiceSameAudio(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	prof := clonedForTest(t)
	const text = "The morning train was late again, so Anna walked the last two miles. She counted the boats."
	sim := 0.6
	v := NewVoice(prof)
	e := New(Config{Workers: 2})
	for _, opt := range []Options{{Seed: 1}, {Seed: 1, Pitch: 3, Similarity: &sim}, {Seed: 1}} {
		want := f32bytes(joined(streamAll(t, e, Speaker{Profile: prof}, text, opt)).Samples)
		for range 2 {
			if got := f32bytes(joined(streamAll(t, e, Speaker{Voice: v}, text, opt)).Samples); !bytes.Equal(got, want) {
				t.Fatalf("options %+v: a Voice's stream differs from the profile's", opt)
			}
		}
	}
	if len(v.convs) != 2 {
		t.Errorf("the Voice keeps %d conversions after two settings, want 2", len(v.convs))
	}
}

// TestVoiceConcurrent shares one Voice between streams at once, over more
// settings than it keeps (run with -race): each stream's audio is what the
// profile alone gives, and the Voice stays within its bound.
func TestVoiceConcurrent(t *testing.T) {
	sp := sampleSpeaker(t)
	v := NewVoice(sp.Profile)
	e := New(Config{Workers: 2})
	pitches := []float64{0, 1, 2, 3, 4, 5}
	want := map[float64][]byte{}
	for _, p := range pitches {
		want[p] = f32bytes(joined(streamAll(t, e, sp, "Hi there.", Options{Seed: 2, Pitch: p})).Samples)
	}
	script := mustPrepare(t, "Hi there.")
	var wg sync.WaitGroup
	for range 3 {
		for _, p := range pitches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var got []byte
				err := e.Stream(context.Background(), Speaker{Voice: v}, script, Options{Seed: 2, Pitch: p}, func(c Chunk) error {
					got = append(got, f32bytes(c.Audio.Samples)...)
					return nil
				})
				if err != nil {
					t.Error(err)
				} else if !bytes.Equal(got, want[p]) {
					t.Errorf("pitch %g: a shared Voice's audio differs from the profile's", p)
				}
			}()
		}
	}
	wg.Wait()
	if n := len(v.convs); n > maxVoiceConversions {
		t.Errorf("the Voice keeps %d conversions, more than %d", n, maxVoiceConversions)
	}
}

// TestVoiceBadProfile fails the stream as the profile alone would.
func TestVoiceBadProfile(t *testing.T) {
	v := NewVoice([]byte("junk"))
	for range 2 {
		err := New(Config{}).Stream(context.Background(), Speaker{Voice: v}, mustPrepare(t, "Hi."), Options{}, func(Chunk) error { return nil })
		if !errors.Is(err, ErrBadProfile) {
			t.Fatalf("err = %v, want ErrBadProfile", err)
		}
	}
}

var (
	testCloneOnce sync.Once
	testClone     []byte
	testCloneErr  error
)

// clonedForTest is a profile cloned from 25 s of vctk_p225, made once per
// test binary.
func clonedForTest(t *testing.T) []byte {
	t.Helper()
	refs := firstSeconds(loadRefs(t, "vctk_p225", 25), 25)
	testCloneOnce.Do(func() { testClone, testCloneErr = New(Config{}).Clone(context.Background(), refs) })
	if testCloneErr != nil {
		t.Fatal(testCloneErr)
	}
	return testClone
}

func mustPrepare(t *testing.T, text string) *Script {
	t.Helper()
	s, err := Prepare(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
