package watermark

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/speechtest"
)

func concatSpeaker(t *testing.T, sp string, max int) *audio.PCM {
	out := &audio.PCM{Rate: 16000, Channels: 1}
	for i, f := range speechtest.WAVs(t, sp) {
		if i >= max {
			break
		}
		p := dsp.Resample(speechtest.Load(t, f).Mono(), 16000)
		out.Samples = append(out.Samples, p.Samples...)
	}
	return out
}

func wsr(host, marked *audio.PCM) float64 {
	var e, eh float64
	for i := range host.Samples {
		d := float64(marked.Samples[i] - host.Samples[i])
		e += d * d
		eh += float64(host.Samples[i]) * float64(host.Samples[i])
	}
	return 10 * math.Log10(e/eh)
}

func TestExplore(t *testing.T) {
	trs := []transform{transforms[0], transforms[1], transforms[2], transforms[len(transforms)-1]}
	for _, sp := range speechtest.Speakers(t)[2:4] {
		host := concatSpeaker(t, sp, 8)
		marked := Embed(testKey, 0xDEADBEEF, host)
		t.Logf("WSR %.1f", wsr(host, marked))
		for _, tr := range trs {
			got := tr.do(t, marked)
			var det, ok, n int
			var sum, minS float64 = 0, 100
			for _, ex := range excerpts(got, 1.1) {
				r := Detect(testKey, ex)
				n++
				sum += r.Score
				minS = min(minS, r.Score)
				if r.Watermarked {
					det++
				}
				if r.PayloadOK && r.Payload == 0xDEADBEEF {
					ok++
				}
			}
			var nullSum, nullMax float64
			nn := 0
			for _, ex := range excerpts(tr.do(t, host), 1.1) {
				s := Detect(testKey, ex).Score
				nullSum += s
				nullMax = max(nullMax, s)
				nn++
			}
			t.Logf("%s %-12s n=%d det=%d payload=%d score mean=%.2f min=%.2f null mean=%.2f max=%.2f", sp, tr.name, n, det, ok, sum/float64(n), minS, nullSum/float64(nn), nullMax)
		}
	}
}
