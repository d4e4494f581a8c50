package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/prep"
)

// maxCLIInput bounds what inspect and convert read into memory; decoding is
// bounded separately by codec.MaxDecodedSamples.
const maxCLIInput = 512 << 20

// runInspect prints the quality report of an audio file as JSON.
func runInspect(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: voxclone inspect FILE\n\n"+
			"Prints the voice-sample quality report of FILE (- for standard input) as JSON:\n"+
			"duration, speech, loudness, true peak, SNR, clipping, a 0–100 score and warnings.")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("need exactly one FILE")
	}
	pcm, f, err := readAudio(ctx, env, pos[0])
	if err != nil {
		return err
	}
	r := prep.Analyze(pcm)
	r.Format = string(f)
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// readAudio reads and decodes a file, or standard input for "-".
func readAudio(ctx context.Context, env *Env, path string) (*audio.PCM, audio.Format, error) {
	var r io.Reader = env.Stdin
	if path != "-" {
		fh, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer fh.Close()
		r = fh
	}
	data, err := io.ReadAll(io.LimitReader(r, maxCLIInput+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > maxCLIInput {
		return nil, "", fmt.Errorf("%s: over %d MB", path, maxCLIInput>>20)
	}
	pcm, f, err := codec.Decode(ctx, data)
	if err != nil {
		return nil, f, fmt.Errorf("%s: %w", path, err)
	}
	return pcm, f, nil
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments ("convert in.wav out.mp3 --rate 16000") and returns
// the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
