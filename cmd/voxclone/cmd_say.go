package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

// sayMemoryLimit is the heap size the collector aims to stay under.
const sayMemoryLimit = 120 << 20

// runSay speaks text in a cloned voice and writes the audio to -o.
func runSay(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("say", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	prof := fs.String("v", "", "voice profile `file` from voxclone clone (required)")
	out := fs.String("o", "", "output `file`; the extension picks the format (wav, mp3, flac, opus, …); - writes WAV to stdout (required)")
	var opt voice.Options
	fs.Float64Var(&opt.Speed, "speed", 1, "speaking rate, 0.5–2")
	fs.Float64Var(&opt.Pitch, "pitch", 0, "pitch shift in semitones, −12…12")
	fs.Float64Var(&opt.LoudnessLUFS, "loudness", -16, "output loudness in LUFS")
	fs.Int64Var(&opt.Seed, "seed", 0, "seed for the vocoder's noise")
	sim := fs.Float64("similarity", -1, "likeness (1) versus clarity (0); negative means the engine default")
	mode := fs.String("mode", string(voice.ModeConvert), "engine mode: convert or baseline")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: voxclone say -v me.voice -o out.wav [flags] [TEXT...]\n\n"+
			"Speaks TEXT (or standard input when there is none) in the profile's voice.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *prof == "" || *out == "" {
		fs.Usage()
		return errors.New("need -v and -o")
	}
	if *sim >= 0 {
		opt.Similarity = sim
	}
	if *mode != string(voice.ModeConvert) && *mode != string(voice.ModeBaseline) {
		return fmt.Errorf("unknown mode %q", *mode)
	}
	text, err := sayText(env, fs.Args())
	if err != nil {
		return err
	}
	profile, err := os.ReadFile(*prof)
	if err != nil {
		return err
	}
	// A soft memory limit makes the collector reclaim each sentence's
	// vocoder buffers before the heap doubles.
	debug.SetMemoryLimit(sayMemoryLimit)
	pcm, err := voice.New(voice.Config{Mode: voice.Mode(*mode)}).Synthesize(ctx, profile, text, opt)
	if err != nil {
		return err
	}
	return writeAudio(ctx, env, *out, pcm)
}

func sayText(env *Env, args []string) (string, error) {
	if len(args) > 0 {
		return strings.Join(args, " "), nil
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, voice.MaxTextBytes+1))
	return string(b), err
}

// writeAudio encodes pcm to path in the format its extension names, or as
// WAV to standard output for "-".
func writeAudio(ctx context.Context, env *Env, path string, pcm *audio.PCM) error {
	if path == "-" {
		return codec.Encode(ctx, env.Stdout, pcm, audio.FormatWAV, codec.EncodeOptions{})
	}
	f, err := codec.ParseFormat(path)
	if err != nil {
		return err
	}
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := codec.Encode(ctx, w, pcm, f, codec.EncodeOptions{}); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
