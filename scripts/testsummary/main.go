// Command testsummary turns `go test -json` into what `make test` prints:
// the usual line per package and the output of failed tests, and, at the
// end, one line per reason tests were skipped, so a suite that skipped is
// seen even when everything passed.
//
//	go test -json ./... | testsummary -record race.jsonl   # print as go test would, keep outcomes
//	testsummary -skipped race.jsonl plain.jsonl            # tests skipped in every run that had them
//
// A test skipped in one run and run in another (the engine's measurements
// skip under -race and run without it) counts as run. testsummary never
// changes the exit status of the pipe's go test: run it with pipefail.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// outcome is how one test ended in one run.
type outcome struct {
	Package string `json:"package"`
	Test    string `json:"test"`
	Action  string `json:"action"` // pass, fail or skip
	Reason  string `json:"reason,omitempty"`
}

func main() {
	record := flag.String("record", "", "write each test's outcome to this `file` (JSON lines)")
	skipped := flag.Bool("skipped", false, "summarise the skips in the record files named as arguments")
	flag.Parse()
	if *skipped {
		if err := summarise(os.Stdout, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(1)
		}
		return
	}
	if err := relay(os.Stdin, os.Stdout, *record); err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
}

// relay prints events as plain go test would and records the outcomes.
func relay(in io.Reader, out io.Writer, record string) error {
	r := relayer{out: out, logs: map[string][]string{}}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			fmt.Fprintln(out, sc.Text()) // not an event: go's own message
			continue
		}
		r.handle(e)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if record == "" {
		return nil
	}
	return save(record, r.outcomes)
}

type relayer struct {
	out      io.Writer
	logs     map[string][]string // "package test" → the test's output so far
	outcomes []outcome
}

func (r *relayer) handle(e event) {
	key := e.Package + " " + e.Test
	switch {
	case e.Action == "build-output" || e.Test == "" && e.Action == "output" && e.Output != "PASS\n":
		fmt.Fprint(r.out, e.Output)
	case e.Test == "" && e.Action == "fail":
		r.flush(e.Package + " ") // tests a crash or timeout cut short
	case e.Test == "":
	case e.Action == "output":
		r.logs[key] = append(r.logs[key], e.Output)
	case e.Action == "pass" || e.Action == "fail" || e.Action == "skip":
		o := outcome{Package: e.Package, Test: e.Test, Action: e.Action}
		if e.Action == "fail" {
			fmt.Fprint(r.out, strings.Join(r.logs[key], ""))
		} else if e.Action == "skip" {
			o.Reason = skipReason(r.logs[key])
		}
		r.outcomes = append(r.outcomes, o)
		delete(r.logs, key)
	}
}

// flush prints the output of the unfinished tests whose key has prefix.
func (r *relayer) flush(prefix string) {
	var keys []string
	for k := range r.logs {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprint(r.out, strings.Join(r.logs[k], ""))
		delete(r.logs, k)
	}
}

// logLine is a t.Log or t.Skip line: "    file_test.go:12: message".
var logLine = regexp.MustCompile(`^\s+[\w.-]+\.go:\d+: (.*)$`)

// skipReason is the last message a test logged before it skipped.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if m := logLine.FindStringSubmatch(strings.TrimRight(lines[i], "\n")); m != nil {
			return m[1]
		}
	}
	return "(no reason given)"
}

func save(path string, outcomes []outcome) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, o := range outcomes {
		if err := enc.Encode(o); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// summarise prints, per reason in order of first appearance, the tests
// that skipped in every run that had them. A test skipped in several runs
// is listed under the last run's reason: the later run is the one meant
// to run it (the engine's measurements skip under -race, then run plainly).
func summarise(out io.Writer, paths []string) error {
	ran := map[string]bool{}
	last := map[string]outcome{}
	var order []string
	for _, p := range paths {
		outcomes, err := load(p)
		if err != nil {
			return err
		}
		for _, o := range outcomes {
			key := o.Package + " " + o.Test
			if o.Action != "skip" {
				ran[key] = true
				continue
			}
			if _, seen := last[key]; !seen {
				order = append(order, key)
			}
			last[key] = o
		}
	}
	byReason := map[string][]outcome{}
	var reasons []string
	n := 0
	for _, key := range order {
		if ran[key] {
			continue
		}
		o := last[key]
		if byReason[o.Reason] == nil {
			reasons = append(reasons, o.Reason)
		}
		byReason[o.Reason] = append(byReason[o.Reason], o)
		n++
	}
	if n == 0 {
		fmt.Fprintln(out, "No test was skipped.")
		return nil
	}
	noun := "tests"
	if n == 1 {
		noun = "test"
	}
	fmt.Fprintf(out, "%d %s skipped (go test -v shows each):\n", n, noun)
	for _, r := range reasons {
		fmt.Fprintf(out, "  %3d  %s\n       in %s\n", len(byReason[r]), r, packages(byReason[r]))
	}
	return nil
}

// module is stripped from package paths in the summary.
const module = "github.com/voxclone/voxclone/"

// packages names the packages of skipped tests, in order of appearance,
// with how many tests each.
func packages(skipped []outcome) string {
	count := map[string]int{}
	var order []string
	for _, o := range skipped {
		p := strings.TrimPrefix(o.Package, module)
		if count[p] == 0 {
			order = append(order, p)
		}
		count[p]++
	}
	parts := make([]string, len(order))
	for i, p := range order {
		parts[i] = fmt.Sprintf("%s (%d)", p, count[p])
	}
	return strings.Join(parts, ", ")
}

func load(path string) ([]outcome, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []outcome
	dec := json.NewDecoder(f)
	for dec.More() {
		var o outcome
		if err := dec.Decode(&o); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, o)
	}
	return out, nil
}
