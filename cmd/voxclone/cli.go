package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// Exit statuses: the command failed (input it could not use, files it
// could not read or write), or it was called wrongly (an unknown flag, a
// missing argument, a value out of range: nothing was done).
const (
	exitFailed = 1
	exitUsage  = 2
)

// usageError is a mistake in how a command was called. hint adds a pointer
// to the command's -h, for mistakes that the message alone does not fix.
type usageError struct {
	msg  string
	hint bool
}

func (e *usageError) Error() string { return e.msg }

// usagef reports a wrong call with a pointer to -h.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: true}
}

// invalid reports a flag value out of range in the words of err (an
// app.Error, whose message says what is allowed): the API's wording.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{msg: app.ErrorMessage(err)}
}

// flagSet is a command's flags and usage text. Flags may come before,
// between or after the positional arguments; "--" ends them.
type flagSet struct {
	*flag.FlagSet
	env   *Env
	usage string
}

// newFlags returns an empty flag set for the command name; usage is its
// synopsis and description, printed before the flags.
func newFlags(env *Env, name, usage string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself, once
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, env: env, usage: usage}
}

// parse parses args and returns the positional arguments. -h or --help
// prints the usage on standard output and returns flag.ErrHelp; a bad
// flag is a usageError.
func (f *flagSet) parse(args []string) ([]string, error) {
	pos, err := f.interleaved(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		f.printUsage(f.env.Stdout)
		return nil, err
	case err != nil:
		return nil, usagef("%s", flagMessage(err))
	}
	return pos, nil
}

// interleaved parses flags that may come before, between or after the
// positional arguments ("convert in.wav out.mp3 --rate 16000"). flag stops
// at the first positional argument, so parsing resumes after each one;
// everything after a "--" is positional.
func (f *flagSet) interleaved(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			return nil, err
		}
		rest := f.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" && !f.takesValue(args[:n-1]) {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// takesValue reports whether the last of args is a flag waiting for its
// value, which makes a following "--" that value, not the end of flags.
func (f *flagSet) takesValue(args []string) bool {
	if len(args) == 0 {
		return false
	}
	name := strings.TrimLeft(args[len(args)-1], "-")
	if name == args[len(args)-1] || strings.Contains(name, "=") {
		return false
	}
	fl := f.Lookup(name)
	if fl == nil {
		return false
	}
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

func (f *flagSet) printUsage(w io.Writer) {
	fmt.Fprintln(w, f.usage)
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}

// noArguments parses the flags of a command that takes no arguments.
func noArguments(fs *flagSet, args []string) error {
	pos, err := fs.parse(args)
	if err == nil && len(pos) > 0 {
		err = usagef("unexpected argument %q", pos[0])
	}
	return err
}

// flagMessage rewords the flag package's errors.
func flagMessage(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + name
	}
	return msg
}

// fileError places a failure in a file: "me.wav: …".
type fileError struct {
	path string
	err  error
}

func (e *fileError) Error() string { return e.path + ": " + e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// describe says what went wrong in words for people: the message the API
// would give, or the system's own, without the packages' prefixes.
func describe(err error) string {
	var fe *fileError
	var pe *fs.PathError
	var ae *app.Error
	switch {
	case errors.As(err, &fe):
		return fe.path + ": " + describe(fe.err)
	case errors.As(err, &ae):
		return app.ErrorMessage(ae)
	case errors.As(err, &pe):
		return pe.Path + ": " + pe.Err.Error()
	case errors.Is(err, voice.ErrBadProfile):
		return "not a voice profile, or a damaged one: make it again with voxclone clone"
	case errors.Is(err, voice.ErrNoSpeech):
		return "too little voiced speech to build a voice from: record ordinary speech, not whispering or noise"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	return stripPrefixes(err.Error())
}

// packagePrefix is how our packages start their errors ("codec: …").
var packagePrefix = regexp.MustCompile(`^(app|audio|codec|ffmpeg|prep|voice|align|world|flite|eval|sqlite|postgres|blob): `)

// stripPrefixes removes the package names an error's message starts with:
// they tell a developer where, and a user nothing.
func stripPrefixes(msg string) string {
	for {
		loc := packagePrefix.FindStringIndex(msg)
		if loc == nil {
			return msg
		}
		msg = msg[loc[1]:]
	}
}

// exitCode prints err for people and returns the exit status it calls for.
func exitCode(env *Env, name string, err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "voxclone %s: %s\n", name, ue.msg)
		if ue.hint {
			fmt.Fprintf(env.Stderr, "Run 'voxclone %s -h' for usage.\n", name)
		}
		return exitUsage
	}
	fmt.Fprintf(env.Stderr, "voxclone %s: %s\n", name, describe(err))
	return exitFailed
}
