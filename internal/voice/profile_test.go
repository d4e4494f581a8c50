package voice

import (
	"errors"
	"reflect"
	"testing"
)

func sampleProfile() *Profile {
	return &Profile{
		ParamsHash: paramsHash, SpeechSeconds: 42, Quality: 80, SNR: 31,
		Prosody: Prosody{LogF0Median: 5.2, LogF0SD: 0.15, LogF0P05: 4.9, LogF0P95: 5.5, VoicedRatio: 0.5, SyllableRate: 4.1, PauseMedian: 0.3},
		Spectrum: Spectrum{Alpha: 0.42, VoicedMean: []float32{1, 2, 3}, VoicedStd: []float32{0.1, 0.2, 0.3},
			UnvoicedMean: []float32{-1, 0}, UnvoicedStd: []float32{1, 1}, GV: []float32{0.5}, LTAS: []float32{-20, -30},
			Formants: [4]float32{500, 1500, 2500, 3500}},
		Source: Source{Aperiodicity: []float32{-20}},
		Base:   BaseFit{Voice: "slt", BaseLogF0Median: 5.1, BaseLogF0SD: 0.12, Warp: 1.05, EQVoiced: []float32{0.1, 0.2}, EQUnvoiced: []float32{0.3}, ApOffset: []float32{-2}, Distance: 4.2, RateRatio: 1.1},
	}
}

// roundTrip encodes p and decodes it again, returning the bytes and the
// decoded profile.
func roundTrip(t *testing.T, p *Profile) ([]byte, *Profile) {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var q Profile
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	return b, &q
}

func TestProfileRoundTrip(t *testing.T) {
	p := sampleProfile()
	_, q := roundTrip(t, p)
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", q, *p)
	}
}

func TestProfileRejectsDamage(t *testing.T) {
	b, _ := sampleProfile().MarshalBinary()
	cases := map[string][]byte{
		"ErrEmpty":     nil,
		"ErrMagic":     append([]byte("XXXX"), b[4:]...),
		"ErrTruncated": b[:len(b)-9],
		"ErrBitFlip":   flip(b, 40),
	}
	for name, in := range cases {
		var p Profile
		if err := p.UnmarshalBinary(in); !errors.Is(err, ErrBadProfile) {
			t.Errorf("%s: got %v, want ErrBadProfile", name, err)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x10
	return c
}

// FuzzProfile feeds arbitrary bytes (checksums recomputed, so the section
// parser is reached) to UnmarshalBinary: it must never panic, and what it
// accepts must re-encode and decode to the same profile and summarise
// (voxclone inspect) without panicking.
func FuzzProfile(f *testing.F) {
	b, _ := sampleProfile().MarshalBinary()
	f.Add(b, false)
	withPool := sampleProfile()
	withPool.Pool = samplePool()
	bp, _ := withPool.MarshalBinary()
	f.Add(bp, false)
	f.Add(bp[:len(bp)-30], true)
	withBand := sampleProfile()
	withBand.UpperBand = sampleUpperBand()
	bb, _ := withBand.MarshalBinary()
	f.Add(bb, false)
	f.Add(bb[:len(bb)-30], true)
	f.Add(b[:20], true)
	f.Add([]byte("VXCP\x01\x00\x01\x00POOL\xff\xff\xff\x7f"), true)
	f.Fuzz(func(t *testing.T, in []byte, fixCRC bool) {
		if fixCRC {
			in = withCRC(in)
		}
		var p Profile
		if err := p.UnmarshalBinary(in); err != nil {
			return
		}
		out, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("accepted profile does not re-encode: %v", err)
		}
		var q Profile
		if err := q.UnmarshalBinary(out); err != nil {
			t.Fatalf("re-encoded profile rejected: %v", err)
		}
		if s := p.Summary(); s.Hints == nil || (p.Pool != nil) != (s.Pool != nil) || (p.UpperBand != nil) != (s.UpperBand == "learned") {
			t.Fatalf("summary %+v of profile %+v", s, p)
		}
	})
}
