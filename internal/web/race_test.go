//go:build race

package web_test

// raceEnabled makes the browser test build the server with -race too: the
// packages are then already compiled by `go test -race`, and the server's
// handlers run under the race detector during the whole flow.
const raceEnabled = true
