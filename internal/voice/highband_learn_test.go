package voice

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/prep"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// sampleUpperBand is the default table, a few dB brighter.
func sampleUpperBand() *UpperBand {
	ub := &UpperBand{Seconds: 12.5}
	for c := range hbClasses {
		ub.Levels[c] = f32s(defaultHighBand[c])
		ub.Levels[c][3] += 2.5
	}
	return ub
}

// TestProfileUpperBand checks the HBND section: it round-trips, costs its
// fixed size, drives the conversion's table and the summary, a layout
// version this reader does not know is ignored (the default applies, as
// for POOL), and damage in a known layout is rejected.
func TestProfileUpperBand(t *testing.T) {
	p := sampleProfile()
	p.UpperBand = sampleUpperBand()
	b, q := roundTrip(t, p)
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", q.UpperBand, p.UpperBand)
	}
	plain, _ := sampleProfile().MarshalBinary()
	if got, want := len(b)-len(plain), 8+3+4+4*hbClasses*len(defaultHighBand[0]); got != want {
		t.Errorf("HBND costs %d bytes, want %d", got, want)
	}
	if got := q.UpperBand.table()[hbStop][3]; got != float64(float32(defaultHighBand[hbStop][3]+2.5)) {
		t.Errorf("the conversion's table reads %.2f, want the profile's", got)
	}
	if s := q.Summary(); s.UpperBand != "learned" {
		t.Errorf("summary upper_band %q, want learned", s.UpperBand)
	}
	var old Profile
	if err := old.UnmarshalBinary(plain); err != nil {
		t.Fatal(err)
	}
	if old.UpperBand != nil || old.UpperBand.table() != &defaultHighBand || old.Summary().UpperBand != "default" {
		t.Error("a profile without HBND does not keep the default table")
	}
	at := bytes.Index(b, []byte("HBND")) + 8 // the layout version
	future := withCRC(append(bytes.Clone(b[:at]), append([]byte{upperBandVersion + 1}, b[at+1:len(b)-4]...)...))
	var f Profile
	if err := f.UnmarshalBinary(future); err != nil {
		t.Fatalf("an unknown HBND layout is rejected: %v", err)
	}
	if f.UpperBand != nil {
		t.Error("an unknown HBND layout is read")
	}
	nan := bytes.Clone(b[:len(b)-4])
	copy(nan[at+3+4:], []byte{0, 0, 0xc0, 0x7f}) // a NaN level
	for name, in := range map[string][]byte{
		"NaN level": withCRC(nan),
		"classes":   withCRC(append(append(bytes.Clone(b[:at+1]), 4), b[at+2:len(b)-4]...)),
	} {
		var d Profile
		if err := d.UnmarshalBinary(in); !errors.Is(err, ErrBadProfile) {
			t.Errorf("%s: got %v, want ErrBadProfile", name, err)
		}
	}
}

// TestUpperBandNeedsTheBand checks that only references holding the band
// teach it: speech at 48 kHz whose band ends at 8 kHz (flite's, and so an
// upsampled narrow-band recording), and any reference below 22.05 kHz,
// leave the default.
func TestUpperBandNeedsTheBand(t *testing.T) {
	ref, text := speechtest.Synthetic(t, "slt", 10)
	labels := func(x []float64) []string {
		budget := float64(labelSeconds)
		l, _, err := labelFrames(context.Background(), x, text, &budget)
		if err != nil || l == nil {
			t.Skip("no labels (pocketsphinx model missing?)")
		}
		return l
	}
	for _, rate := range []int{48000, 16000} {
		in := dsp.Resample(ref, rate)
		clean, _, spans := prep.PrepareSpans(in, prep.Options{Rate: analysisRate, TargetLUFS: -23})
		u := newUpperBandAcc()
		u.add(spans, labels(toFloat64(clean.Samples)), maxTestSNR, 1)
		if ub := u.result(); ub != nil {
			t.Errorf("%d Hz reference with nothing above 8 kHz: learned %v", rate, ub.Levels)
		}
	}
}

// BenchmarkHighBandLearn measures what learning the upper band adds to a
// clone of 60 s of 48 kHz speech (vctk_p226): prep's full-band copy
// (Denoised) and the 25 ms spectra of the labelled frames. Preparing and
// labelling, which the clone does anyway, are outside the timer.
func BenchmarkHighBandLearn(b *testing.B) {
	refs := firstSeconds(loadRefs(b, "vctk_p226", 60), 60)
	type prepared struct {
		in     *audio.PCM
		labels []string
	}
	var ps []prepared
	budget := float64(labelSeconds)
	for _, r := range refs {
		x, _, _, err := prepare64(r.Audio)
		if err != nil {
			continue
		}
		l, _, err := labelFrames(context.Background(), x, r.Transcript, &budget)
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, prepared{r.Audio, l})
	}
	b.ResetTimer()
	for b.Loop() {
		u := newUpperBandAcc()
		for _, p := range ps {
			b.StopTimer()
			_, _, spans := prep.PrepareSpans(p.in, prep.Options{Rate: analysisRate, TargetLUFS: -23})
			b.StartTimer()
			u.add(spans, p.labels, maxTestSNR, 1)
		}
		if u.result() == nil {
			b.Fatal("nothing learned")
		}
	}
}

// maxTestSNR is a clean reference's SNR for the learner's tests.
const maxTestSNR = 60
