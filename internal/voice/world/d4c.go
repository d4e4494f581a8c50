package world

// d4c is a placeholder until the group-delay estimator lands: it returns
// the voicing template.
func d4c(x []float64, fs int, f0 []float64, framePeriod float64, fftSize int, thr float64) [][]float64 {
	return templateAperiodicity(fs, f0, fftSize, nil)
}
