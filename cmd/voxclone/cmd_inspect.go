package main

import (
	"context"
	"encoding/json"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/prep"
	"github.com/voxclone/voxclone/internal/voice"
)

// runInspect prints the quality report of an audio file, or the summary of
// a voice profile (told apart by its magic, not its name), as JSON.
func runInspect(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "inspect", "usage: voxclone inspect FILE\n\n"+
		"Prints, as JSON, the voice-sample quality report of FILE (- for standard input):\n"+
		"duration, speech, loudness, true peak, SNR, clipping, a 0–100 score and warnings.\n"+
		"When FILE is a voice profile (voxclone clone -o me.voice), prints what it holds instead:\n"+
		"hints on what to record, speech analysed, quality, pitch, base voice and warp, speaking\n"+
		"rate, and the frame pool's phone coverage (thin and missing phones).")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one FILE")
	}
	data, err := readInput(env, pos[0], profileOrAudio)
	if err != nil {
		return err
	}
	if voice.IsProfile(data) {
		var p voice.Profile
		if err := p.UnmarshalBinary(data); err != nil {
			return &fileError{pos[0], err}
		}
		return printJSON(env, p.Summary())
	}
	pcm, f, err := decodeAudio(ctx, pos[0], data)
	if err != nil {
		return err
	}
	r := prep.Analyze(pcm)
	r.Format = string(f)
	return printJSON(env, r)
}

func printJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// readAudio reads and decodes a file, or standard input for "-".
func readAudio(ctx context.Context, env *Env, path string) (*audio.PCM, audio.Format, error) {
	data, err := readInput(env, path, decodableAudio)
	if err != nil {
		return nil, "", err
	}
	return decodeAudio(ctx, path, data)
}

func decodeAudio(ctx context.Context, path string, data []byte) (*audio.PCM, audio.Format, error) {
	pcm, f, err := codec.Decode(ctx, data)
	if err != nil {
		return nil, f, &fileError{path, app.DecodeError(ctx, f, err)}
	}
	return pcm, f, nil
}
