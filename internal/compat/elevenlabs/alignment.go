package elevenlabs

import (
	"math"
	"strings"
	"unicode"

	"github.com/voxclone/voxclone/internal/app"
)

// Alignment is ElevenLabs' character timing: one entry per character of a
// text, in order, with start and end times in seconds from the start of
// the audio, to the millisecond.
type Alignment struct {
	Characters []string  `json:"characters"`
	Starts     []float64 `json:"character_start_times_seconds"`
	Ends       []float64 `json:"character_end_times_seconds"`
}

// alignmentOf converts the service's alignment, rounding its times.
func alignmentOf(a app.Alignment) *Alignment {
	out := &Alignment{Characters: a.Characters, Starts: make([]float64, len(a.Start)), Ends: make([]float64, len(a.End))}
	for i := range a.Start {
		out.Starts[i], out.Ends[i] = round3(a.Start[i]), round3(a.End[i])
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// edges are the white space around a text that the service trims before
// speaking it, but that ElevenLabs' alignment covers too: leading space is
// heard at 0 s, trailing space at the end.
type edges struct{ lead, trail string }

func edgesOf(text string) edges {
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	lead := text[:len(text)-len(trimmed)]
	all := strings.TrimRightFunc(trimmed, unicode.IsSpace)
	return edges{lead: lead, trail: trimmed[len(all):]}
}

// around adds characters s at time t before (front) or after a.
func around(a *app.Alignment, s string, t float64, front bool) {
	if s == "" {
		return
	}
	b := app.Alignment{}
	for _, r := range s {
		b.Characters = append(b.Characters, string(r))
		b.Start, b.End = append(b.Start, t), append(b.End, t)
	}
	if front {
		b.Append(*a)
		*a = b
		return
	}
	a.Append(b)
}
