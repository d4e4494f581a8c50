package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/audio/prep"
)

// runConvert converts an audio file to the format OUT's extension names.
func runConvert(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	rate := fs.Int("rate", 0, "output sample rate in Hz, 8000–48000 (default: keep the input's)")
	lufs := fs.Float64("loudness", 0, "normalise to this integrated loudness in LUFS, true peak ≤ −1 dBTP (default: unchanged)")
	float := fs.Bool("float", false, "write 32-bit float WAV instead of 16-bit")
	bitrate := fs.Int("bitrate", 0, "MP3/Opus bitrate in kbit/s (default: a speech-friendly one)")
	clean := fs.Bool("prepare", false, "run the voice-sample preprocessing: mono, high-pass, denoise, shorten pauses, −23 LUFS")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: voxclone convert [flags] IN OUT\n\n"+
			"Decodes IN (WAV, MP3, FLAC, Ogg, WebM, M4A; - for standard input) and writes OUT\n"+
			"in the format its extension names (%s; - writes WAV to standard output).\n", outputList())
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return errors.New("need IN and OUT")
	}
	pcm, _, err := readAudio(ctx, env, pos[0])
	if err != nil {
		return err
	}
	if *clean {
		pcm, _ = prep.Prepare(pcm, prep.Options{Rate: max(*rate, 0), TargetLUFS: *lufs})
	} else if *lufs != 0 {
		pcm = loudness.Normalize(pcm, *lufs, loudness.DefaultMaxTruePeak)
	}
	opt := codec.EncodeOptions{SampleRate: *rate, Float: *float, Bitrate: *bitrate}
	if pos[1] == "-" {
		return codec.Encode(ctx, env.Stdout, pcm, "wav", opt)
	}
	return writeConverted(ctx, pos[1], pcm, opt)
}

// writeConverted encodes pcm to path in the format its extension names,
// removing the file again if encoding fails.
func writeConverted(ctx context.Context, path string, pcm *audio.PCM, opt codec.EncodeOptions) error {
	f, err := codec.ParseFormat(path)
	if err != nil {
		return err
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

func outputList() string {
	s := ""
	for i, f := range codec.OutputFormats() {
		if i > 0 {
			s += ", "
		}
		s += string(f)
	}
	return s
}
