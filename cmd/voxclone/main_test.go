package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// testEnv is an empty environment but for the data directory, a fresh
// one per test, where say generates its watermark key.
func testEnv(t *testing.T) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "VOXCLONE_DATA_DIR" {
			return dir
		}
		return ""
	}
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: getenv}, &out, &errb
}

// runCLI runs voxclone in-process with args and returns the exit code and
// what it printed.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	env, out, errb := testEnv(t)
	env.Stdin = strings.NewReader(stdin)
	code := run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// Every subcommand answers -h with its usage on standard output and exit
// code 0, and never starts work (serve must not listen, eval must not
// evaluate). The -h comes after an argument: every command takes flags
// anywhere.
func TestHelpExitsZero(t *testing.T) {
	for name := range commands {
		for _, args := range [][]string{{name, "-h"}, {name, "some-file", "--help"}, {"help", name}} {
			code, out, errb := runCLI(t, "", args...)
			if code != 0 || errb != "" {
				t.Errorf("voxclone %s: exit %d, stderr %q; want 0 and nothing", strings.Join(args, " "), code, errb)
			}
			if !strings.HasPrefix(out, "usage: voxclone "+name) {
				t.Errorf("voxclone %s printed %q, want the usage on standard output", strings.Join(args, " "), out)
			}
		}
	}
}

// TestHelp: help asked for goes to standard output (voxclone help | less
// works); no command at all is a wrong call, answered on standard error.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, errb := runCLI(t, "", args...)
		if code != 0 || errb != "" || !strings.Contains(out, "usage: voxclone <command>") || !strings.Contains(out, "say ") {
			t.Errorf("voxclone %s: exit %d, stdout %q, stderr %q", args[0], code, out, errb)
		}
	}
	code, out, errb := runCLI(t, "")
	if code != 2 || out != "" || !strings.Contains(errb, "usage: voxclone <command>") {
		t.Errorf("voxclone: exit %d, stdout %q, stderr %q; want 2 and the usage on stderr", code, out, errb)
	}
	code, out, errb = runCLI(t, "", "help", "frobnicate")
	if code != 2 || out != "" || !strings.Contains(errb, `unknown command "frobnicate"`) {
		t.Errorf("voxclone help frobnicate: exit %d, stdout %q, stderr %q", code, out, errb)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errb := runCLI(t, "", "frobnicate")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if errb != "voxclone: unknown command \"frobnicate\"\nRun 'voxclone help' for the list of commands.\n" {
		t.Errorf("stderr %q", errb)
	}
}
