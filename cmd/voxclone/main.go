// Command voxclone is the voxclone service and its command-line tools: one
// binary with subcommands (serve, migrate, clone, say, inspect, eval, …).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// command is one subcommand. run gets the arguments after the subcommand's
// name; it returns an error to print and exit non-zero.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a subcommand may touch of the process, so tests can run
// subcommands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// commands lists every subcommand. Each lives in cmd_<name>.go.
var commands = map[string]command{
	"version": {"print the version", runVersion},
	"eval":    {"measure voice similarity and intelligibility on a speech folder", runEval},
	"migrate": {"apply database migrations and exit", runMigrate},
	"serve":   {"serve the HTTP API and web app, with task workers", runServe},
	"worker":  {"run task workers (cloning, long-form synthesis) without the API", runWorker},
	"sweep":   {"delete stored files no row refers to, and count rows whose file is missing", runSweep},
	"clone":   {"build a voice profile from recordings", runClone},
	"say":     {"speak text in a cloned voice", runSay},
	"inspect": {"print the quality report of an audio file, or what a voice profile holds, as JSON", runInspect},
	"convert": {"convert audio between formats, rates and loudness", runConvert},
	"detect":  {"say whether an audio file carries this instance's watermark, as JSON", runDetect},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit code: 0 for
// success or help, 1 when the command failed, 2 when it was called wrongly.
func run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	if name := args[0]; name == "-h" || name == "--help" || name == "help" {
		return help(ctx, env, args[1:])
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "voxclone: unknown command %q\nRun 'voxclone help' for the list of commands.\n", args[0])
		return exitUsage
	}
	return exitCode(env, args[0], cmd.run(ctx, env, args[1:]))
}

// help prints the list of commands, or a command's usage, on standard
// output: help asked for is the answer, not an error.
func help(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stdout)
		return 0
	}
	if _, ok := commands[args[0]]; !ok {
		fmt.Fprintf(env.Stderr, "voxclone help: unknown command %q\nRun 'voxclone help' for the list of commands.\n", args[0])
		return exitUsage
	}
	return run(ctx, env, []string{args[0], "-h"})
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: voxclone <command> [arguments]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'voxclone help <command>' or 'voxclone <command> -h' for a command's flags.")
	fmt.Fprintln(w, "Flags may come before or after arguments; -- ends them. Exit status: 0 done,")
	fmt.Fprintln(w, "1 the command failed, 2 it was called wrongly (nothing was done).")
}

func runVersion(_ context.Context, env *Env, args []string) error {
	if err := noArguments(newFlags(env, "version", "usage: voxclone version\n\nPrints the version."), args); err != nil {
		return err
	}
	_, err := fmt.Fprintf(env.Stdout, "voxclone %s\n", version)
	return err
}
