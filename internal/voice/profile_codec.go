package voice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/voxclone/voxclone/internal/voice/world"
)

// Binary profile layout (little-endian), documented in docs/engine.md:
//
//	"VXCP" | version u16 | section count u16 |
//	sections: tag [4]byte | length u32 | payload |
//	CRC-32 (IEEE) of everything before it, u32
//
// Readers skip sections they do not know and ignore bytes after the fields
// they know inside a section, so fields and sections can be added without a
// version bump; the version changes only when a meaning changes.
const (
	profileMagic   = "VXCP"
	profileVersion = 1
	// MaxProfileBytes bounds what UnmarshalBinary accepts (a 300 s frame
	// pool is ≈2.5 MB), so a reader may refuse a longer profile unread.
	MaxProfileBytes = 8 << 20
	maxArray        = 1024 // longest float array in a fixed section
)

// ErrBadProfile reports profile bytes that are not a voice profile this
// engine can read.
var ErrBadProfile = errors.New("voice: invalid profile")

var (
	tagMeta = [4]byte{'M', 'E', 'T', 'A'}
	tagPros = [4]byte{'P', 'R', 'O', 'S'}
	tagSpec = [4]byte{'S', 'P', 'E', 'C'}
	tagSrc  = [4]byte{'S', 'R', 'C', 'E'}
	tagBase = [4]byte{'B', 'A', 'S', 'E'}
	tagPool = [4]byte{'P', 'O', 'O', 'L'}
	tagHBnd = [4]byte{'H', 'B', 'N', 'D'}
)

// MarshalBinary encodes the profile in the versioned section format.
func (p *Profile) MarshalBinary() ([]byte, error) {
	var w pwriter
	w.raw([]byte(profileMagic))
	w.u16(profileVersion)
	sections := uint16(5)
	if p.Pool != nil {
		sections++
	}
	if p.UpperBand != nil {
		sections++
	}
	w.u16(sections)
	w.section(tagMeta, func(w *pwriter) {
		w.u32(p.ParamsHash)
		w.f32(p.SpeechSeconds, p.Quality, p.SNR)
	})
	w.section(tagPros, func(w *pwriter) {
		q := p.Prosody
		w.f32(q.LogF0Median, q.LogF0SD, q.LogF0P05, q.LogF0P95, q.VoicedRatio, q.SyllableRate, q.PauseMedian)
	})
	w.section(tagSpec, func(w *pwriter) {
		s := p.Spectrum
		w.f32(s.Alpha)
		for _, a := range [][]float32{s.VoicedMean, s.VoicedStd, s.UnvoicedMean, s.UnvoicedStd, s.GV, s.LTAS} {
			w.arr(a)
		}
		w.f32(s.Formants[:]...)
	})
	w.section(tagSrc, func(w *pwriter) { w.arr(p.Source.Aperiodicity) })
	w.section(tagBase, func(w *pwriter) {
		b := p.Base
		w.str(b.Voice)
		w.f32(b.BaseLogF0Median, b.BaseLogF0SD, b.Warp, b.Distance)
		w.arr(b.EQVoiced)
		w.arr(b.EQUnvoiced)
		w.arr(b.ApOffset)
		w.f32(b.RateRatio)
	})
	if p.Pool != nil {
		w.section(tagPool, p.Pool.write)
	}
	if p.UpperBand != nil {
		w.section(tagHBnd, p.UpperBand.write)
	}
	if w.err != nil {
		return nil, w.err
	}
	w.u32(crc32.ChecksumIEEE(w.b))
	return w.b, nil
}

// UnmarshalBinary decodes a profile written by MarshalBinary. Any damage
// (bad magic, version, checksum, lengths or values) gives ErrBadProfile.
func (p *Profile) UnmarshalBinary(b []byte) error {
	if len(b) < 12 || len(b) > MaxProfileBytes || string(b[:4]) != profileMagic {
		return fmt.Errorf("%w: not a voice profile", ErrBadProfile)
	}
	body := b[:len(b)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return fmt.Errorf("%w: checksum mismatch", ErrBadProfile)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != profileVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrBadProfile, v, profileVersion)
	}
	n := int(binary.LittleEndian.Uint16(b[6:]))
	r := preader{b: body[8:]}
	*p = Profile{}
	for i := 0; i < n && r.err == nil; i++ {
		tag, payload := r.section()
		if r.err == nil {
			sr := preader{b: payload}
			p.readSection(tag, &sr)
			r.err = sr.err
		}
	}
	if r.err != nil {
		return fmt.Errorf("%w: %v", ErrBadProfile, r.err)
	}
	return p.validate()
}

func (p *Profile) readSection(tag [4]byte, r *preader) {
	switch tag {
	case tagMeta:
		p.ParamsHash = r.u32()
		r.f32(&p.SpeechSeconds, &p.Quality, &p.SNR)
	case tagPros:
		q := &p.Prosody
		r.f32(&q.LogF0Median, &q.LogF0SD, &q.LogF0P05, &q.LogF0P95, &q.VoicedRatio, &q.SyllableRate, &q.PauseMedian)
	case tagSpec:
		s := &p.Spectrum
		r.f32(&s.Alpha)
		for _, a := range []*[]float32{&s.VoicedMean, &s.VoicedStd, &s.UnvoicedMean, &s.UnvoicedStd, &s.GV, &s.LTAS} {
			*a = r.arr()
		}
		r.f32(&s.Formants[0], &s.Formants[1], &s.Formants[2], &s.Formants[3])
	case tagSrc:
		p.Source.Aperiodicity = r.arr()
	case tagBase:
		b := &p.Base
		b.Voice = r.str()
		r.f32(&b.BaseLogF0Median, &b.BaseLogF0SD, &b.Warp, &b.Distance)
		b.EQVoiced, b.EQUnvoiced, b.ApOffset = r.arr(), r.arr(), r.arr()
		if len(r.b) >= 4 { // added after the first profiles were written
			r.f32(&b.RateRatio)
		}
	case tagPool:
		pool, err := readPool(r)
		if err != nil && r.err == nil {
			r.err = err
		}
		p.Pool = pool
	case tagHBnd:
		ub, err := readUpperBand(r)
		if err != nil && r.err == nil {
			r.err = err
		}
		p.UpperBand = ub
	}
}

// validate rejects decoded values the engine could not use safely.
func (p *Profile) validate() error {
	q := p.Prosody
	bad := func(f float32, lo, hi float32) bool {
		return math.IsNaN(float64(f)) || f < lo || f > hi
	}
	switch {
	case bad(q.LogF0Median, float32(math.Log(world.DefaultF0Floor)), float32(math.Log(world.DefaultF0Ceil))):
		return fmt.Errorf("%w: F0 median out of range", ErrBadProfile)
	case bad(q.LogF0SD, 0, 2), bad(p.Base.BaseLogF0SD, 0, 2):
		return fmt.Errorf("%w: F0 spread out of range", ErrBadProfile)
	case bad(p.Base.Warp, 0, 2):
		return fmt.Errorf("%w: warp out of range", ErrBadProfile)
	case bad(p.Base.RateRatio, 0, 2):
		return fmt.Errorf("%w: rate out of range", ErrBadProfile)
	case p.Base.Voice == "":
		return fmt.Errorf("%w: no base voice", ErrBadProfile)
	}
	for _, a := range [][]float32{p.Base.EQVoiced, p.Base.EQUnvoiced, p.Base.ApOffset} {
		for _, v := range a {
			if bad(v, -100, 100) {
				return fmt.Errorf("%w: correction out of range", ErrBadProfile)
			}
		}
	}
	return nil
}
