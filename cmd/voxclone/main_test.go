package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func testEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, &out, &errb
}

// Every subcommand answers -h with its usage and exit code 0, and never
// starts work (serve must not listen, eval must not evaluate).
func TestHelpExitsZero(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			env, out, errb := testEnv()
			if code := run(context.Background(), env, []string{name, "-h"}); code != 0 {
				t.Fatalf("voxclone %s -h: exit %d, stderr %q", name, code, errb.String())
			}
			if name != "version" && !strings.Contains(errb.String()+out.String(), "usage") {
				t.Errorf("voxclone %s -h printed no usage: %q", name, errb.String())
			}
			if strings.Contains(errb.String(), "help requested") {
				t.Errorf("voxclone %s -h reported help as an error: %q", name, errb.String())
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	env, _, errb := testEnv()
	if code := run(context.Background(), env, []string{"frobnicate"}); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), `unknown command "frobnicate"`) {
		t.Errorf("stderr %q", errb.String())
	}
}
