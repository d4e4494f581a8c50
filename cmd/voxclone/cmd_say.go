package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/watermark"
)

// sayMemoryLimit is the heap size the collector aims to stay under.
const sayMemoryLimit = 120 << 20

// sayFlags are say's options.
type sayFlags struct {
	profile, out, mode string
	opt                voice.Options
	similarity         optionalFloat
	noWatermark        bool
}

// runSay speaks text in a cloned voice and writes the audio to -o.
func runSay(ctx context.Context, env *Env, args []string) error {
	f, words, err := parseSayFlags(env, args)
	if err != nil {
		return err
	}
	text, err := sayText(env, words)
	if err != nil {
		return err
	}
	profile, err := readInput(nil, f.profile, profileSize)
	if err != nil {
		return err
	}
	// A soft memory limit makes the collector reclaim each sentence's
	// vocoder buffers before the heap doubles.
	debug.SetMemoryLimit(sayMemoryLimit)
	pcm, err := voice.New(voice.Config{Mode: voice.Mode(f.mode)}).Synthesize(ctx, profile, text, f.opt)
	if errors.Is(err, voice.ErrBadProfile) {
		return &fileError{f.profile, err}
	} else if err != nil {
		return app.EngineError(ctx, err)
	}
	if !f.noWatermark {
		if pcm, err = watermarkSay(env, pcm); err != nil {
			return err
		}
	}
	return writeAudio(ctx, env, f.out, pcm)
}

// watermarkSay marks what say speaks, as the service marks every synthesis,
// with a random payload: there is no history entry for it to point at.
func watermarkSay(env *Env, pcm *audio.PCM) (*audio.PCM, error) {
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return nil, err
	}
	key, err := cliWatermarkKey(cfg)
	if err != nil {
		return nil, fmt.Errorf("watermark key: %w (or pass -no-watermark)", err)
	}
	var p [4]byte
	rand.Read(p[:])
	return watermark.Embed(key, watermark.Payload(binary.BigEndian.Uint32(p[:])), pcm), nil
}

func parseSayFlags(env *Env, args []string) (sayFlags, []string, error) {
	var f sayFlags
	fs := newFlags(env, "say", "usage: voxclone say -v me.voice -o out.wav [flags] [TEXT...]\n\n"+
		"Speaks TEXT (or standard input when there is none) in the profile's voice.")
	fs.StringVar(&f.profile, "v", "", "voice profile `file` from voxclone clone (required)")
	fs.StringVar(&f.out, "o", "", "output `file`; the extension picks the format ("+dotted(codec.OutputNames())+"); - writes WAV to stdout (required)")
	fs.Float64Var(&f.opt.Speed, "speed", 1, "speaking rate, 0.5–2")
	fs.Float64Var(&f.opt.Pitch, "pitch", 0, "pitch shift in semitones, −12…12")
	fs.Float64Var(&f.opt.LoudnessLUFS, "loudness", -16, "output loudness in LUFS, −70…0")
	fs.Int64Var(&f.opt.Seed, "seed", 0, "seed for the vocoder's noise")
	fs.Var(&f.similarity, "similarity", fmt.Sprintf("likeness versus clarity, a `number` from 0 (clarity) to 1 (likeness) (default %v)", voice.DefaultSimilarity))
	fs.StringVar(&f.mode, "mode", string(voice.ModeConvert), "engine mode: convert or baseline")
	fs.BoolVar(&f.noWatermark, "no-watermark", false, "leave out the inaudible watermark voxclone puts in everything it speaks (voxclone detect finds it)")
	words, err := fs.parse(args)
	if err != nil {
		return f, nil, err
	}
	if f.similarity.set {
		f.opt.Similarity = &f.similarity.v
	}
	return f, words, f.check()
}

// check refuses what the API refuses, in its words, and what only the
// command line has.
func (f *sayFlags) check() error {
	switch {
	case f.profile == "" || f.out == "":
		return usagef("need -v PROFILE and -o FILE")
	case f.mode != string(voice.ModeConvert) && f.mode != string(voice.ModeBaseline):
		return usagef("unknown -mode %q: choose convert or baseline", f.mode)
	case !(f.opt.LoudnessLUFS >= -70 && f.opt.LoudnessLUFS <= 0):
		return &usageError{msg: "Loudness must be between -70 and 0 LUFS."}
	}
	if err := app.CheckVoiceOptions(f.opt.Speed, f.opt.Pitch, f.opt.Similarity); err != nil {
		return invalid(err)
	}
	if f.out != "-" {
		return outputFormatError(f.out)
	}
	return nil
}

// optionalFloat is a float flag that knows whether it was given.
type optionalFloat struct {
	v   float64
	set bool
}

func (o *optionalFloat) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatFloat(o.v, 'g', -1, 64)
}

func (o *optionalFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number")
	}
	o.v, o.set = v, true
	return nil
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
		return outputFormatError(path)
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

// outputFormatError refuses an output file whose extension names no format
// voxclone writes, saying which it does; nil when the extension is fine.
func outputFormatError(path string) error {
	if _, err := codec.ParseFormat(path); err == nil {
		return nil
	}
	ext := extOf(path)
	what := "files without an extension"
	if ext != "" {
		what = ext + " files"
	}
	return &usageError{msg: fmt.Sprintf("%s: cannot write %s; name the output %s, or - for WAV on standard output",
		path, what, orList(dotted(codec.OutputNames())))}
}

// dotted turns format names into extensions: ".wav, .mp3, …".
func dotted(names []string) string {
	return "." + strings.Join(names, ", .")
}

// orList turns "a, b, c" into "a, b or c".
func orList(list string) string {
	if i := strings.LastIndex(list, ", "); i >= 0 {
		return list[:i] + " or " + list[i+2:]
	}
	return list
}
