package voice

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/voice/align"
)

// cloneProfile clones secs seconds of a speaker and decodes the profile.
func cloneProfile(t *testing.T, speaker string, secs float64) *Profile {
	t.Helper()
	b, err := New(Config{}).Clone(context.Background(), firstSeconds(loadRefs(t, speaker, secs), secs))
	if err != nil {
		t.Fatal(err)
	}
	var p Profile
	if err := p.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestSummaryOfRealSpeech summarises profiles cloned from a transcribed
// female and an untranscribed male speaker and checks the numbers against
// the speakers and against the pool itself.
func TestSummaryOfRealSpeech(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	hzRange := map[byte][2]float64{'M': {70, 180}, 'F': {140, 320}}
	for _, speaker := range []string{"ljspeech_LJ", "librispeech_2033"} {
		t.Run(speaker, func(t *testing.T) {
			p := cloneProfile(t, speaker, 20)
			s := p.Summary()
			t.Logf("%+v\npitch %+v\nbase %+v\npool %.1f s (aligned %.1f), covered %d, thin %v, missing %v, class-only %v\nhints %q",
				*s, s.Pitch, s.Base, s.Pool.Seconds, s.Pool.AlignedSeconds, s.Pool.PhonesCovered, s.Pool.Thin, s.Pool.Missing, s.Pool.ClassOnly, s.Hints)
			r := hzRange[sexes[speaker]]
			if s.Pitch.MedianHz < r[0] || s.Pitch.MedianHz > r[1] {
				t.Errorf("median F0 %.1f Hz outside %v for a %c speaker", s.Pitch.MedianHz, r, sexes[speaker])
			}
			if !(s.Pitch.P05Hz < s.Pitch.MedianHz && s.Pitch.MedianHz < s.Pitch.P95Hz) || s.Pitch.SpreadSemitones <= 0 || s.Pitch.SpreadSemitones > 6 {
				t.Errorf("pitch %+v is not a plausible spread", s.Pitch)
			}
			if !s.Current || s.SpeechSeconds < 10 || s.SpeechSeconds > 20 || s.Quality <= 0 || s.Base.Voice == "" {
				t.Errorf("summary %+v", s)
			}
			checkPoolSummary(t, p.Pool, s)
			transcribed := speaker == "ljspeech_LJ"
			if (s.Pool.AlignedSeconds > 0) != transcribed {
				t.Errorf("aligned %.1f s with transcripts %v", s.Pool.AlignedSeconds, transcribed)
			}
			if hinted := anyContains(s.Hints, "transcript"); hinted == transcribed {
				t.Errorf("transcript hint %v with transcripts %v: %q", hinted, transcribed, s.Hints)
			}
		})
	}
}

// checkPoolSummary checks the phone counts against the pool's own frames.
func checkPoolSummary(t *testing.T, pool *Pool, s *Summary) {
	t.Helper()
	ps := s.Pool
	if ps == nil || pool == nil {
		t.Fatal("no pool")
	}
	if got := ps.PhonesCovered + len(ps.Thin) + len(ps.Missing) + len(ps.ClassOnly); got != len(align.Phones()) || ps.PhonesTotal != got {
		t.Errorf("covered %d + thin %d + missing %d + class-only %d = %d, want %d",
			ps.PhonesCovered, len(ps.Thin), len(ps.Missing), len(ps.ClassOnly), got, len(align.Phones()))
	}
	frames := map[string]int{}
	for _, ph := range pool.Phone {
		frames[pool.Phones[ph]]++
	}
	total := 0
	for ph, e := range ps.Phones {
		total += e.Frames
		if e.Frames != frames[ph] {
			t.Errorf("%s: %d frames, the pool has %d", ph, e.Frames, frames[ph])
		}
	}
	if total != pool.Len() || math.Abs(ps.Seconds-float64(pool.Len())/100) > 0.051 {
		t.Errorf("phones hold %d frames, pool %d (%.1f s summarised)", total, pool.Len(), ps.Seconds)
	}
	for _, ph := range ps.Missing {
		if frames[ph] != 0 || !anyContains(s.Hints, ph+" (") {
			t.Errorf("missing %s has %d frames, or is not in the hints %q", ph, frames[ph], s.Hints)
		}
	}
	for _, ph := range ps.Thin {
		if e := ps.Phones[ph]; e.Frames == 0 || e.Trust >= 0.5 || !anyContains(s.Hints, ph+" (") {
			t.Errorf("thin %s: %+v, hints %q", ph, e, s.Hints)
		}
	}
	// Neither base voice says uh or zh often enough in its calibration
	// text for a phone mean, so recording them cannot help.
	if !slices.Equal(ps.ClassOnly, []string{"uh", "zh"}) || anyContains(s.Hints, "zh (") {
		t.Errorf("class-only %v, hints %q", ps.ClassOnly, s.Hints)
	}
}

// TestSummaryFlagsRemovedPhone removes every frame of one phone from a
// cloned pool, and all but a few of another, and expects the summary to
// name them.
func TestSummaryFlagsRemovedPhone(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	p := cloneProfile(t, "vctk_p225", 20)
	if s := p.Summary(); s.Pool.Phones["s"].Trust < 0.5 || s.Pool.Phones["n"].Trust < 0.5 {
		t.Fatalf("s and n should be well covered in 20 s: %+v %+v", s.Pool.Phones["s"], s.Pool.Phones["n"])
	}
	p.Pool = keepFrames(p.Pool, map[string]int{"s": 0, "n": 5})
	s := p.Summary()
	if !slices.Contains(s.Pool.Missing, "s") || !slices.Contains(s.Pool.Thin, "n") {
		t.Fatalf("missing %v, thin %v", s.Pool.Missing, s.Pool.Thin)
	}
	if n := s.Pool.Phones["n"]; n.Frames != 5 || n.Trust > float64(5)/(5+relevance)+0.005 {
		t.Errorf("n: %+v, want 5 frames trusted at most 5/21", n)
	}
	if !anyContains(s.Hints, "s (sea)") || !anyContains(s.Hints, "n (knee)") {
		t.Errorf("hints %q do not name s and n", s.Hints)
	}
	checkPoolSummary(t, p.Pool, s)
}

// keepFrames returns a copy of pool keeping at most limit[phone] frames
// of the phones in limit.
func keepFrames(pool *Pool, limit map[string]int) *Pool {
	out := &Pool{Dim: pool.Dim, Bands: pool.Bands, Phones: pool.Phones}
	seen := map[string]int{}
	for i, ph := range pool.Phone {
		name := pool.Phones[ph]
		if l, ok := limit[name]; ok && seen[name] >= l {
			continue
		}
		seen[name]++
		out.Phone = append(out.Phone, ph)
		out.LogF0 = append(out.LogF0, pool.LogF0[i])
		out.Ap = append(out.Ap, pool.Ap[i*pool.Bands:(i+1)*pool.Bands]...)
		out.MCep = append(out.MCep, pool.Frame(i)...)
	}
	return out
}

// TestSummaryHints covers the profiles a clone cannot make on demand: an
// old analysis, a low score, no pool.
func TestSummaryHints(t *testing.T) {
	p := sampleProfile()
	p.ParamsHash, p.Quality = 0x5643_0004, 45
	s := p.Summary()
	if s.Current || s.Pool != nil || len(s.Hints) != 3 ||
		!strings.Contains(s.Hints[0], "0x56430004") || !strings.Contains(s.Hints[1], "45/100") || !strings.Contains(s.Hints[2], "no sounds could be labelled") {
		t.Errorf("summary %+v", s)
	}
	if math.Abs(s.Pitch.MedianHz-math.Round(math.Exp(5.2)*10)/10) > 1e-9 || s.Base.RateRatio != 1.1 {
		t.Errorf("pitch %+v, base %+v", s.Pitch, s.Base)
	}
	if want := 12 / math.Ln2 * 0.1; math.Abs(s.Base.ShiftSemitones-want) > 0.01 {
		t.Errorf("pitch shift %.2f st, want %.2f", s.Base.ShiftSemitones, want)
	}
	p = sampleProfile()
	if s := p.Summary(); !s.Current || len(s.Hints) != 1 || s.Hints == nil {
		t.Errorf("current profile without pool: hints %q", s.Hints)
	}
}

func anyContains(list []string, sub string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, sub) })
}
