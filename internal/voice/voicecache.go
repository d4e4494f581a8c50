package voice

import "sync"

// maxVoiceConversions bounds the conversions a Voice keeps: one per
// (similarity, pitch) recently spoken with. Nearly every request uses the
// defaults; a few more cover a caller that sets its own.
const maxVoiceConversions = 4

// Voice is a cloned voice ready to speak: its profile, parsed once, and the
// conversion derived for each (similarity, pitch) it recently spoke with.
// Parsing the profile and deriving the conversion cost 3–12 CPU-ms before
// a stream's first chunk can start; a caller that speaks in the same voice
// again (a service caching by model) passes the same Voice in Speaker and
// skips them. A Voice only ever holds what Stream would derive from its
// profile, so a stream speaks the same samples with or without it. It is
// safe for concurrent use, and its memory is bounded (a few hundred KB
// beside the profile).
type Voice struct {
	profile []byte

	once   sync.Once
	parsed *Profile
	err    error

	mu    sync.Mutex
	convs []voiceConversion // most recently used first
}

type voiceConversion struct {
	sim, pitch float64
	conv       *conversion
}

// NewVoice wraps a profile (from Engine.Clone). It is cheap: the profile is
// parsed when first spoken with, and a bad profile fails that stream as it
// would have without the Voice.
func NewVoice(profile []byte) *Voice { return &Voice{profile: profile} }

// Bytes returns the profile the Voice was made from; callers must not
// change it.
func (v *Voice) Bytes() []byte { return v.profile }

// Profile returns the parsed profile, parsing it on first use. The result
// is shared: callers must not change it (nothing writes to a Profile once
// parsed).
func (v *Voice) Profile() (*Profile, error) {
	v.once.Do(func() {
		var p Profile
		if v.err = p.UnmarshalBinary(v.profile); v.err == nil {
			v.parsed = &p
		}
	})
	return v.parsed, v.err
}

// conversion returns the conversion for (sim, pitch), derived on first use
// and kept. Conversions are read-only once made (mapping frames uses
// workers' copies), so streams may share one.
func (v *Voice) conversion(p *Profile, sim, pitch float64) *conversion {
	v.mu.Lock()
	for i, c := range v.convs {
		if c.sim == sim && c.pitch == pitch {
			copy(v.convs[1:i+1], v.convs[:i])
			v.convs[0] = c
			v.mu.Unlock()
			return c.conv
		}
	}
	v.mu.Unlock()
	// Derived outside the lock: two first streams at once may both derive
	// it, which costs only time; the results are identical.
	conv := newConversion(p, sim, pitch).shareable()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.convs = append([]voiceConversion{{sim, pitch, conv}}, v.convs...)
	if len(v.convs) > maxVoiceConversions {
		v.convs = v.convs[:maxVoiceConversions]
	}
	return conv
}
