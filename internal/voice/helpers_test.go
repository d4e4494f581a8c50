package voice

import (
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/prep"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// prepare64 is prepare with the samples as float64, as the analysis takes
// them.
func prepare64(p *audio.PCM) ([]float64, prep.Report, *prep.Spans, error) {
	x, rep, spans, err := prepare(p)
	return toFloat64(x), rep, spans, err
}

// loadRefs reads up to maxSec seconds of a speaker's recordings.
func loadRefs(t testing.TB, speaker string, maxSec float64) []Reference {
	t.Helper()
	var refs []Reference
	total := 0.0
	for _, path := range speechtest.WAVs(t, speaker) {
		if total >= maxSec {
			break
		}
		p := speechtest.Load(t, path)
		total += p.Seconds()
		refs = append(refs, Reference{Audio: p, Transcript: speechtest.Transcript(path)})
	}
	return refs
}

// sexes are the speakers' sexes as SOURCES.md lists them.
var sexes = map[string]byte{
	"cmuarctic_aew": 'M', "cmuarctic_axb": 'F', "librispeech_1688": 'M', "librispeech_1998": 'F',
	"librispeech_2033": 'M', "librispeech_3080": 'F', "ljspeech_LJ": 'F', "vctk_p225": 'F', "vctk_p226": 'M',
}
