package align

// FrameLabels returns the phone at the centre time of each of n analysis
// frames spaced period seconds apart, frame i being centred at i·period
// (WORLD's convention). segs must be ordered and contiguous, as Align and
// Recognize return them; times past the last segment read "pau".
func FrameLabels(segs []Segment, period float64, n int) []string {
	out := make([]string, n)
	j := 0
	for i := range out {
		t := float64(i) * period
		for j < len(segs) && segs[j].End <= t {
			j++
		}
		if j < len(segs) && segs[j].Start <= t {
			out[i] = segs[j].Phone
		} else {
			out[i] = Silence
		}
	}
	return out
}

// Agreement returns the share of 10 ms frames, over the first dur seconds,
// on which a and b give phones of the same Class. Comparing Align with
// Recognize on the same audio checks a transcript: on the shared speech
// set a right transcript scored 0.54–0.83 and another sentence 0.1–0.5.
func Agreement(a, b []Segment, dur float64) float64 {
	n := int(dur * frameRate)
	if n <= 0 {
		return 0
	}
	fa, fb := FrameLabels(a, 1.0/frameRate, n), FrameLabels(b, 1.0/frameRate, n)
	same := 0
	for i := range fa {
		if Class(fa[i]) == Class(fb[i]) {
			same++
		}
	}
	return float64(same) / float64(n)
}
