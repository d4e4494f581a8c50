//go:build race

package eval

// raceEnabled shrinks the tests on real speech under the race detector,
// which slows the numeric loops about tenfold.
const raceEnabled = true
