package voice

import (
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestReverbTime reads each real speaker's first 60 s as dry (below the
// gate that turns suppression on) and the same speech in the evaluation's
// synthetic room (RT60 0.5 s, direct-to-reverberant 3 dB) as reverberant,
// near its RT60. The estimate reads low (0.37–0.51 s on the nine
// development speakers): the fitted decays still hold some of the speech's
// own fall. A speaker with too few decays (cmuarctic_axb: 10 s) is read
// as dry, as Clone reads it.
func TestReverbTime(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	room := dsp.MediumRoom
	spks := speechtest.Speakers(t)
	read := 0
	for _, spk := range spks {
		var dry, wet []float64
		for _, r := range firstSeconds(loadRefs(t, spk, 60), 60) {
			if x, _, _, err := prepare(r.Audio); err == nil {
				dry = append(dry, decayTimes(x, analysisRate)...)
			}
			if x, _, _, err := prepare(room.Apply(r.Audio)); err == nil {
				wet = append(wet, decayTimes(x, analysisRate)...)
			}
		}
		d, w := reverbTime(dry), reverbTime(wet)
		t.Logf("%-18s dry %.3f s (%d decays), room %.3f s (%d)", spk, d, len(dry), w, len(wet))
		if d >= reverberantRT60 {
			t.Errorf("%s: dry speech reads RT60 %.3f s, at or above the gate %.2f", spk, d, reverberantRT60)
		}
		if w == 0 {
			continue // too few decays to tell: treated as dry, checked below
		}
		read++
		if w < reverberantRT60 || math.Abs(w-0.5) > 0.15 {
			t.Errorf("%s: the 0.5 s room reads %.3f s, want 0.5 ± 0.15 and above the gate %.2f", spk, w, reverberantRT60)
		}
	}
	// cmuarctic_axb's few seconds hold too few decays in the room.
	if read < len(spks)-1 {
		t.Errorf("the room was read for %d of %d speakers", read, len(spks))
	}
}

// TestReverbTimeOtherRooms reads the same speech in the evaluation's two
// rooms the gate and strength were not chosen on (eval's room_small and
// room_large). The large room (RT60 0.8 s, 0 dB) reads short, as the
// 0.5 s room does, but above the gate wherever it has enough decays; its
// long tails leave fewer free decays, so the CMU ARCTIC speakers' 10 s
// hold too few. The small room (0.35 s, 6 dB) must read longer than the
// same speaker dry; eight speakers read it 0.29–0.33 s, under the gate, so
// Clone leaves it alone (cmuarctic_aew reads 0.36 s from 60 s, but its
// evaluation half holds too few decays; docs/engine.md, "Reverberant
// references").
func TestReverbTimeOtherRooms(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	small := dsp.SmallRoom
	large := dsp.LargeRoom
	spks := speechtest.Speakers(t)
	readLarge := 0
	for _, spk := range spks {
		var dry, ds, dl []float64
		for _, r := range firstSeconds(loadRefs(t, spk, 60), 60) {
			if x, _, _, err := prepare(r.Audio); err == nil {
				dry = append(dry, decayTimes(x, analysisRate)...)
			}
			if x, _, _, err := prepare(small.Apply(r.Audio)); err == nil {
				ds = append(ds, decayTimes(x, analysisRate)...)
			}
			if x, _, _, err := prepare(large.Apply(r.Audio)); err == nil {
				dl = append(dl, decayTimes(x, analysisRate)...)
			}
		}
		d, s, l := reverbTime(dry), reverbTime(ds), reverbTime(dl)
		t.Logf("%-18s dry %.3f s (%d decays), small room %.3f s (%d), large room %.3f s (%d)", spk, d, len(dry), s, len(ds), l, len(dl))
		if d > 0 && s > 0 && s <= d {
			t.Errorf("%s: the 0.35 s room reads %.3f s, no longer than dry %.3f s", spk, s, d)
		}
		if l == 0 {
			continue
		}
		readLarge++
		if l < reverberantRT60 || l > 0.8+0.15 {
			t.Errorf("%s: the 0.8 s room reads %.3f s, want above the gate %.2f and at most 0.95", spk, l, reverberantRT60)
		}
	}
	if readLarge < len(spks)-2 {
		t.Errorf("the large room was read for %d of %d speakers", readLarge, len(spks))
	}
}

// TestDereverb feeds envelopes of a burst followed by a tail that decays
// exactly as the model's room: the burst's first frames keep their power,
// the tail past the lag falls to the floor.
func TestDereverb(t *testing.T) {
	const rt60, period = 0.5, 10.0
	delta := 3 * math.Ln10 / rt60
	var env [][]float64
	for i := range 60 {
		p := 1.0
		if i >= 20 {
			p = math.Exp(-2 * delta * float64(i-19) * period / 1000)
		}
		env = append(env, []float64{p, p, p})
	}
	orig := make([]float64, len(env))
	for i, e := range env {
		orig[i] = e[0]
	}
	dereverb(env, period, rt60, 1, lateFloor, 0)
	for i, e := range env {
		want := orig[i]
		switch {
		case i >= 4 && i < 20:
			want = orig[i] * (1 - math.Exp(-2*delta*0.04))
		case i >= 24:
			want = orig[i] * lateFloor
		case i >= 20:
			want = math.Max(orig[i]-math.Exp(-2*delta*0.04)*orig[i-4], lateFloor*orig[i])
		}
		if math.Abs(e[1]-want) > 1e-9*orig[i] {
			t.Errorf("frame %d: %.4g of %.4g, want %.4g", i, e[1], orig[i], want)
		}
	}
}

// TestRoomProfile clones vctk_p226's first 60 s dry and in the synthetic
// room: with the late reverberation suppressed, the room's profile comes
// nearer the dry one in mean aperiodicity, speaking rate and voiced mean
// spectrum. Without suppression (main before reverb.go) the room read
// −4.59 dB of aperiodicity against −8.45 dry, a rate ratio of 0.887
// against 0.800, and a voiced mean 2.42 dB (RMS over c1–c24) from the dry.
func TestRoomProfile(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	refs := firstSeconds(loadRefs(t, "vctk_p226", 60), 60)
	room := dsp.MediumRoom
	wet := make([]Reference, len(refs))
	for i, r := range refs {
		wet[i] = Reference{Audio: room.Apply(r.Audio), Transcript: r.Transcript}
	}
	var ps [2]*Profile
	for k, rr := range [][]Reference{refs, wet} {
		p, err := New(Config{}).buildProfile(context.Background(), rr)
		if err != nil {
			t.Fatal(err)
		}
		ps[k] = p
	}
	dry, in := ps[0], ps[1]
	var d float64
	for m := 1; m < len(dry.Spectrum.VoicedMean); m++ {
		x := float64(dry.Spectrum.VoicedMean[m] - in.Spectrum.VoicedMean[m])
		d += 2 * x * x
	}
	d = 10 / math.Ln10 * math.Sqrt(d)
	ap := float64(in.Source.Aperiodicity[0] - dry.Source.Aperiodicity[0])
	rate := float64(in.Base.RateRatio - dry.Base.RateRatio)
	t.Logf("room − dry: aperiodicity %+.2f dB, rate ratio %+.3f, voiced mean %.2f dB", ap, rate, d)
	if math.Abs(ap) > 1.5 {
		t.Errorf("aperiodicity %+.2f dB off the dry profile's, want within 1.5 (3.86 unsuppressed)", ap)
	}
	if math.Abs(rate) > 0.06 {
		t.Errorf("rate ratio %+.3f off the dry profile's, want within 0.06 (0.087 unsuppressed)", rate)
	}
	if d > 2.1 {
		t.Errorf("voiced mean %.2f dB from the dry profile's, want under 2.1 (2.42 unsuppressed)", d)
	}
}
