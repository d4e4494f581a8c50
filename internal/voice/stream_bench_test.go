package voice

import (
	"context"
	"math"
	"testing"
	"time"
)

// threeSentences is the size the first-byte target is stated for.
const threeSentences = "The morning train was late again, so Anna walked the last two miles along the river. " +
	"She counted the boats tied to the old wooden pier. A fisherman waved at her from the water."

// BenchmarkStreamFirstChunk measures the path from a text to its first
// chunk of audio, the part of a stream's first byte that the engine owns:
// reading the text, parsing the profile and deriving the conversion, then
// rendering and levelling the first chunk (cut short at the first clause
// break). "cloned" starts from the profile's bytes each time, "voice" from
// a Voice kept between runs, as the service keeps one per model. "ms" is
// wall time, "cpu-ms" CPU time per run, "min-ms" the fastest run's wall
// time (on a loaded machine, the run that was least kept from a core);
// with -cpu 1 the wall time is the first chunk's on one core.
func BenchmarkStreamFirstChunk(b *testing.B) {
	prof, _ := benchFixtures(b)
	speakers := map[string]Speaker{"cloned": {Profile: prof}, "voice": {Voice: NewVoice(prof)}, "builtin": {Builtin: "slt"}}
	for name, sp := range speakers {
		b.Run(name, func(b *testing.B) {
			e := New(Config{})
			var wall time.Duration
			fastest := time.Duration(math.MaxInt64)
			var audio float64
			startCPU(b)
			for b.Loop() {
				start := time.Now()
				s, err := Prepare(threeSentences)
				if err != nil {
					b.Fatal(err)
				}
				r, err := e.newRenderer(sp, s, sanitize(Options{}))
				if err != nil {
					b.Fatal(err)
				}
				res := r.render(context.Background(), 0)
				if res.err != nil {
					b.Fatal(res.err)
				}
				c := newJoiner(r, Options{}).finish(0, res)
				wall += time.Since(start)
				fastest = min(fastest, time.Since(start))
				audio = c.Audio.Seconds()
			}
			b.ReportMetric(float64(wall.Microseconds())/1000/float64(b.N), "ms")
			b.ReportMetric(float64(fastest.Microseconds())/1000, "min-ms")
			b.ReportMetric(1000*cpuSince(b)/float64(b.N), "cpu-ms")
			b.ReportMetric(audio, "first-s")
		})
	}
}
