//go:build !race

package web_test

// raceEnabled is false without -race; see race_test.go.
const raceEnabled = false
