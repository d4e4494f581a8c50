package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// runClone builds a voice profile from audio files and writes it to -o.
func runClone(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("clone", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("o", "", "write the voice profile to this `file` (required)")
	var transcripts stringList
	fs.Var(&transcripts, "transcript", "a text `file` with the words of the sample in the same position (repeatable); "+
		"otherwise NAME.txt beside NAME.wav is used when present")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: voxclone clone -o me.voice [--transcript FILE]... SAMPLE...\n\n"+
			"Builds a voice profile from recordings of one speaker (any format voxclone decodes).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return errors.New("need -o and at least one sample")
	}
	if len(transcripts) > fs.NArg() {
		return fmt.Errorf("%d transcripts for %d samples", len(transcripts), fs.NArg())
	}
	refs, err := readReferences(ctx, fs.Args(), transcripts)
	if err != nil {
		return err
	}
	prof, err := voice.New(voice.Config{}).Clone(ctx, refs)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, prof, 0o644); err != nil {
		return err
	}
	return describeProfile(env, *out, prof)
}

// readReferences decodes each sample and finds its transcript.
func readReferences(ctx context.Context, paths, transcripts []string) ([]voice.Reference, error) {
	refs := make([]voice.Reference, 0, len(paths))
	for i, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		pcm, _, err := codec.Decode(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		tpath := strings.TrimSuffix(path, extOf(path)) + ".txt"
		if i < len(transcripts) {
			tpath = transcripts[i]
		}
		text, err := os.ReadFile(tpath)
		if err != nil && i < len(transcripts) {
			return nil, err
		}
		refs = append(refs, voice.Reference{Audio: pcm, Transcript: strings.TrimSpace(string(text))})
	}
	return refs, nil
}

func extOf(path string) string {
	if i := strings.LastIndexByte(path, '.'); i > strings.LastIndexByte(path, '/') {
		return path[i:]
	}
	return ""
}

func describeProfile(env *Env, path string, b []byte) error {
	var p voice.Profile
	if err := p.UnmarshalBinary(b); err != nil {
		return err
	}
	_, err := fmt.Fprintf(env.Stderr, "%s: %d bytes from %.1f s of speech (quality %.0f/100); base voice %s, warp %.3f\n",
		path, len(b), p.SpeechSeconds, p.Quality, p.Base.Voice, p.Base.Warp)
	return err
}
