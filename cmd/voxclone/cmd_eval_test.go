package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestEvalFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int // 2: called wrongly, nothing done; 1: the evaluation failed
		want string
	}{
		{[]string{"eval"}, 2, "--data is required"},
		{[]string{"eval", "--data", t.TempDir(), "--mode", "magic"}, 2, `unknown --mode "magic"`},
		{[]string{"eval", "--data", t.TempDir(), "--similarity", "0.5,2"}, 2, "not a number between 0 and 1"},
		{[]string{"eval", "--data", t.TempDir(), "--degrade", "phone,vinyl"}, 2, `unknown degradation "vinyl"`},
		{[]string{"eval", "--data", t.TempDir(), "--real-texts", "-1"}, 2, "cannot be negative"},
		{[]string{"eval", "--data", t.TempDir(), "--no-wer", "--decoys", ""}, 1, "need at least two speakers"},
	} {
		var stderr bytes.Buffer
		env := &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
		if code := run(context.Background(), env, tc.args); code != tc.code {
			t.Errorf("%v: exit code %d, want %d", tc.args, code, tc.code)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, stderr.String(), tc.want)
		}
	}
}

func TestParseFloats(t *testing.T) {
	got, err := parseFloats(" 0, 0.5 ,1")
	if err != nil || len(got) != 3 || got[1] != 0.5 {
		t.Errorf("parseFloats = %v, %v", got, err)
	}
	if got, err := parseFloats(""); err != nil || got != nil {
		t.Errorf("empty list = %v, %v", got, err)
	}
}
