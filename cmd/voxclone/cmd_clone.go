package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/prep"
	"github.com/voxclone/voxclone/internal/voice"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// runClone builds a voice profile from audio files and writes it to -o.
func runClone(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "clone", fmt.Sprintf("usage: voxclone clone -o me.voice [--transcript FILE]... SAMPLE...\n\n"+
		"Builds a voice profile from recordings of one speaker (any format voxclone decodes).\n"+
		"They must hold at least %.0f s of speech in all, and %.0f s or more works best;\n"+
		"pauses do not count.", app.MinSpeechSeconds, prep.RecommendedSpeechSeconds))
	out := fs.String("o", "", "write the voice profile to this `file` (required)")
	var transcripts stringList
	fs.Var(&transcripts, "transcript", "a text `file` with the words of the sample in the same position (repeatable); "+
		"otherwise NAME.txt beside NAME.wav is used when present")
	samples, err := fs.parse(args)
	switch {
	case err != nil:
		return err
	case *out == "" && len(samples) == 0:
		return usagef("need -o FILE and at least one sample")
	case *out == "":
		return usagef("need -o FILE: where to write the voice profile")
	case len(samples) == 0:
		return usagef("need at least one sample to clone the voice from")
	case len(transcripts) > len(samples):
		return usagef("%d transcripts for %d samples", len(transcripts), len(samples))
	}
	refs, err := readReferences(ctx, samples, transcripts)
	if err != nil {
		return err
	}
	if err := enoughSpeech(refs); err != nil {
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

// enoughSpeech refuses recordings with less speech in all than the service
// asks of one sample, saying how much there is and how much is needed.
func enoughSpeech(refs []voice.Reference) error {
	var sec float64
	for _, r := range refs {
		sec += prep.Analyze(r.Audio).SpeechSeconds
	}
	if sec < app.MinSpeechSeconds {
		return fmt.Errorf("too little speech: %.1f s in all, need at least %.0f s (%.0f s or more works best; pauses do not count)",
			sec, app.MinSpeechSeconds, prep.RecommendedSpeechSeconds)
	}
	return nil
}

// readReferences decodes each sample and finds its transcript.
func readReferences(ctx context.Context, paths, transcripts []string) ([]voice.Reference, error) {
	refs := make([]voice.Reference, 0, len(paths))
	for i, path := range paths {
		data, err := readInput(nil, path, decodableAudio)
		if err != nil {
			return nil, err
		}
		pcm, f, err := codec.Decode(ctx, data)
		if err != nil {
			return nil, &fileError{path, app.DecodeError(ctx, f, err)}
		}
		tpath := strings.TrimSuffix(path, extOf(path)) + ".txt"
		if i < len(transcripts) {
			tpath = transcripts[i]
		}
		text, err := readInput(nil, tpath, textSize)
		if err != nil && (i < len(transcripts) || !errors.Is(err, os.ErrNotExist)) {
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
