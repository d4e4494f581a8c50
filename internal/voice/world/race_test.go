//go:build race

package world

// raceEnabled shortens the slowest tests: the race detector makes numeric
// loops several times slower and finds nothing new in longer input.
const raceEnabled = true
