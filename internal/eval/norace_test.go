//go:build !race

package eval

// raceEnabled is false without -race; see race_test.go.
const raceEnabled = false
