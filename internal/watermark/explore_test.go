package watermark

import (
	"os"
	"testing"
)

func TestExplore(t *testing.T) {
	if os.Getenv("WM_EXPLORE") == "" {
		t.Skip()
	}
	corpus := engineCorpus(t)
	sel := []engineVoice{corpus[0], corpus[4], corpus[8]}
	trs := []transform{transforms[0], transforms[2], transforms[3], transforms[len(transforms)-1]}
	for _, tr := range trs {
		var n, det, read int
		var score float64
		for i, v := range sel {
			payload := Payload(0x9E3779B9 * uint32(i+1))
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
		}
		var nullMax float64
		for _, v := range sel {
			for _, ex := range excerpts(tr.do(t, v.pcm), 2) {
				nullMax = max(nullMax, Detect(testKey, ex).Score)
			}
		}
		t.Logf("%-14s n=%d det=%.1f%% read=%d score=%.2f nullmax=%.2f", tr.name, n, 100*float64(det)/float64(n), read, score/float64(n), nullMax)
	}
}
