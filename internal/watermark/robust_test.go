package watermark

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// markInPieces marks p as a stream would: in pieces of uneven length.
func markInPieces(p *audio.PCM, payload Payload) *audio.PCM {
	e := NewEmbedder(testKey, payload, p.Rate)
	out := &audio.PCM{Rate: p.Rate, Channels: 1}
	for i, n := 0, 0; i < len(p.Samples); i += n {
		n = min(len(p.Samples)-i, 37001+i%9000)
		out.Samples = append(out.Samples, e.Write(p.Samples[i:i+n])...)
	}
	out.Samples = append(out.Samples, e.Flush()...)
	return out
}

// robustFloor is the share of 3-s and of 10-s excerpts the mark must
// still be found in after each transform: regression guards about one and
// a half points (one or two cuts of 116) under what was measured at the
// shipped strength on the output of engine voxclone-a/5 with -ds 2
// labels, with half the data's power in the pilot, the short pilot's
// threshold at 5.2 and the detector's noise subtraction (docs/trust.md,
// 2026-12-07: Opus 83.6%, noise 87.1%, AAC 94.0%, μ-law 95.7%, the rest
// 98.3%; whole percents, rounded down; one
// 10-s cut of 34 may be missed), not the 99%-on-3-s targets, which that
// strength does not reach. None is under the floor it had before. Opus
// is 0.80: on the output of voxclone-a/7 (the per-phone band above
// 8 kHz and shiftGain, which change every clone's bytes) the same mark
// and detector found 81.9% after Opus (mean score 6.57 → 6.40), the rest
// as before or higher (none 99.1%, AAC 95.7%, noise 86.2%); results
// after Opus move by about two points with any small change of the input.
// Opus 0.82, AAC and μ-law 0.95 since the legacy pilot is looked for only
// in excerpts of 6 s and more, and the short pilot alone at 5.15 in
// shorter ones (voxclone-a/7: Opus 83.6%, AAC 96.6%, μ-law 96.6%).
// Since the mark reaches down to 156 Hz (shapeBands), about 1.5 points
// under what it found: none, MP3, resampling to 22.05 and 44.1 kHz and
// gain 99.1%, AAC, μ-law and resampling to 8 kHz 98.3%, Opus 84.5%,
// noise 90.5%. Opus 0.87 since the detector limits each whitened bin
// (limitBins): on engine voxclone-a/9's output it found 85.3% → 88.8%
// after Opus (noise 90.5% → 91.4%, the rest within an excerpt).
// Since the detector weighs the first formant's bands more in short
// excerpts (bandEmphasis), on engine voxclone-a/10's output: Opus 94.0%
// → 94.8%, noise 91.4% → 93.1%, μ-law and resampling to 8 kHz 99.1% →
// 100%, the rest as they were; the floors are about 1.5 points under
// (Opus 0.93, μ-law and resampling to 8 kHz 0.98), noise 0.92, which
// the detector of before fails. The figures do not move from run to run
// (TestTransformsRepeat), so the margin is for changes of the engine's
// output, which moved Opus here by five points (voxclone-a/9 88.8%).
var robustFloor = map[string][2]float64{
	"none": {0.97, 0.97}, "mp3 64k": {0.97, 0.97}, "opus 24k": {0.93, 0.97}, "aac 64k": {0.96, 0.97},
	"ulaw 8k": {0.98, 0.97}, "resample 8000": {0.98, 0.97}, "resample 22050": {0.97, 0.97},
	"resample 44100": {0.97, 0.97}, "gain 10 dB": {0.97, 0.97}, "gain -10 dB": {0.97, 0.97},
	"noise 20 dB SNR": {0.92, 0.97},
}

// bestEffort are transforms measured and reported, never required.
var bestEffort = []transform{
	gain(10, true),
	codecT("speed +10%", "-af", "atempo=1.1", "-f", "wav"),
	pitchT("pitch +10%", 1.1),
	pitchT("pitch -10%", 0.9),
}

// TestRobustness marks the engine's output for ten voices, transforms it
// through real encoders and resamplers, cuts 3-second excerpts every
// 2 s and counts how many the detector finds, and how many give the
// payload back on their own (CRC).
func TestRobustness(t *testing.T) {
	if raceEnabled {
		t.Skip("measurement; too slow under -race")
	}
	corpus := engineCorpus(t)
	var report strings.Builder
	fmt.Fprintf(&report, "\n%-20s %8s %9s %8s %8s %9s %9s\n", "transform", "3-s cuts", "detected", "payload", "score", "10-s cuts", "detected")
	for _, tr := range append(append([]transform{}, transforms...), bestEffort...) {
		var n, det, read, n10, det10 int
		var score float64
		for i, v := range corpus {
			payload := testPayload(0, i)
			got := tr.do(t, markInPieces(v.pcm, payload))
			for _, ex := range excerpts(got, 2) {
				r := Detect(testKey, ex)
				n++
				score += r.Score
				if r.Watermarked {
					det++
				}
				if r.PayloadOK && r.Payload == payload {
					read++
				}
			}
			for _, ex := range cuts(got, 10, 5) {
				n10++
				if Detect(testKey, ex).Watermarked {
					det10++
				}
			}
		}
		rate := float64(det) / float64(n)
		fmt.Fprintf(&report, "%-20s %8d %8.1f%% %7.1f%% %8.2f %9d %8.1f%%\n", tr.name, n, 100*rate,
			100*float64(read)/float64(n), score/float64(n), n10, 100*float64(det10)/float64(max(n10, 1)))
		rate10 := float64(det10) / float64(max(n10, 1))
		if want, ok := robustFloor[tr.name]; ok && (rate < want[0] || rate10 < want[1]) {
			t.Errorf("%s: detected in %.1f%% of 3-s and %.1f%% of 10-s excerpts, want ≥ %.0f%% and %.0f%%",
				tr.name, 100*rate, 100*rate10, 100*want[0], 100*want[1])
		}
	}
	t.Log(report.String())
}
