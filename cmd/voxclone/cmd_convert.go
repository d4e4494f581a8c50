package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/audio/prep"
)

// convertFlags are convert's options.
type convertFlags struct {
	rate, bitrate int
	lufs          float64
	float, clean  bool
}

// runConvert converts an audio file to the format OUT's extension names.
func runConvert(ctx context.Context, env *Env, args []string) error {
	var f convertFlags
	fs := newFlags(env, "convert", "usage: voxclone convert [flags] IN OUT\n\n"+
		"Decodes IN (WAV, MP3, FLAC, Ogg, WebM, M4A; - for standard input) and writes OUT\n"+
		"in the format its extension names ("+dotted(codec.OutputNames())+"; - writes WAV to standard output).")
	fs.IntVar(&f.rate, "rate", 0, fmt.Sprintf("output sample rate in Hz, %d–%d (default: keep the input's)", codec.MinRate, codec.MaxRate))
	fs.Float64Var(&f.lufs, "loudness", 0, "normalise to this integrated loudness in LUFS, −70…0, true peak ≤ −1 dBTP (default: unchanged)")
	fs.BoolVar(&f.float, "float", false, "write 32-bit float WAV instead of 16-bit")
	fs.IntVar(&f.bitrate, "bitrate", 0, "MP3/Opus bitrate in kbit/s, 8–320 (default: a speech-friendly one)")
	fs.BoolVar(&f.clean, "prepare", false, "run the voice-sample preprocessing: mono, high-pass, denoise, shorten pauses, −23 LUFS")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := f.check(pos); err != nil {
		return err
	}
	pcm, _, err := readAudio(ctx, env, pos[0])
	if err != nil {
		return err
	}
	if f.clean {
		pcm, _ = prep.Prepare(pcm, prep.Options{Rate: f.rate, TargetLUFS: f.lufs})
	} else if f.lufs != 0 {
		pcm = loudness.Normalize(pcm, f.lufs, loudness.DefaultMaxTruePeak)
	}
	opt := codec.EncodeOptions{SampleRate: f.rate, Float: f.float, Bitrate: f.bitrate}
	if pos[1] == "-" {
		return codec.Encode(ctx, env.Stdout, pcm, "wav", opt)
	}
	return writeConverted(ctx, pos[1], pcm, opt)
}

// check refuses a wrong call before anything is read: the sample rate in
// the API's words.
func (f *convertFlags) check(pos []string) error {
	switch {
	case len(pos) != 2:
		return usagef("need IN and OUT")
	case !(f.lufs >= -70 && f.lufs <= 0):
		return &usageError{msg: "Loudness must be between -70 and 0 LUFS."}
	}
	if err := app.CheckSampleRate(f.rate); err != nil {
		return invalid(err)
	}
	if err := app.CheckBitrate(f.bitrate); err != nil {
		return invalid(err)
	}
	if pos[1] != "-" {
		return outputFormatError(pos[1])
	}
	return nil
}

// writeConverted encodes pcm to path in the format its extension names,
// removing the file again if encoding fails.
func writeConverted(ctx context.Context, path string, pcm *audio.PCM, opt codec.EncodeOptions) error {
	f, err := codec.ParseFormat(path)
	if err != nil {
		return outputFormatError(path)
	}
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(fh)
	err = codec.Encode(ctx, w, pcm, f, opt)
	if err == nil {
		err = w.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}
