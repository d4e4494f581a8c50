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
