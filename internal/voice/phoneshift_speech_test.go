package voice

import (
	"bytes"
	"context"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// withoutPool returns the profile with its frame pool removed: Engine A.
func withoutPool(t *testing.T, prof []byte) []byte {
	t.Helper()
	var p Profile
	if err := p.UnmarshalBinary(prof); err != nil {
		t.Fatal(err)
	}
	if p.Pool == nil {
		t.Fatal("clone built no frame pool")
	}
	p.Pool = nil
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPhoneShiftMovesTowardSpeaker checks, on held-out VCTK sentences, that
// the phone-aware shift brings the voice spectrally closer to the real
// speaker than Engine A alone. The base voice reads each held-out
// sentence's transcript, so the comparison with the real recording of the
// same words (DTW-aligned MCD) is valid for any text.
func TestPhoneShiftMovesTowardSpeaker(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow; numbers only")
	}
	e := New(Config{})
	say := func(strip bool) func([]byte, string) *audio.PCM {
		return func(prof []byte, text string) *audio.PCM {
			if strip {
				prof = withoutPool(t, prof)
			}
			p, err := e.Synthesize(context.Background(), prof, text, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	for _, withText := range []bool{true, false} {
		m := heldOutMCD(t, "vctk_p226", 2, withText, map[string]func([]byte, string) *audio.PCM{
			"engineA": say(true), "selection": say(false),
		})
		t.Logf("transcripts %v: held-out MCD Engine A %.2f dB, with selection %.2f dB", withText, m["engineA"], m["selection"])
		if m["selection"] >= m["engineA"] {
			t.Errorf("transcripts %v: selection did not reduce MCD (%.2f → %.2f dB)", withText, m["engineA"], m["selection"])
		}
	}
}

// TestCloneProfileSize checks that a minute of speech gives a profile
// well under 2 MB, pool included.
func TestCloneProfileSize(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	refs := firstSeconds(loadRefs(t, "ljspeech_LJ", 60), 60)
	prof, err := New(Config{}).Clone(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	var p Profile
	if err := p.UnmarshalBinary(prof); err != nil {
		t.Fatal(err)
	}
	if p.Pool == nil || p.Pool.Len() < 1000 || p.Pool.Aligned == 0 {
		t.Fatalf("pool of a transcribed minute: %+v", p.Pool)
	}
	t.Logf("profile %d bytes, pool %d frames (%d aligned)", len(prof), p.Pool.Len(), p.Pool.Aligned)
	if len(prof) >= 2<<20 {
		t.Errorf("profile of 60 s is %d bytes, want < 2 MB", len(prof))
	}
	again, err := New(Config{}).Clone(context.Background(), refs)
	if err != nil || !bytes.Equal(again, prof) {
		t.Errorf("cloning the same references twice gave different profiles (%v)", err)
	}
}
