package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/eval"
	"github.com/voxclone/voxclone/internal/voice"
)

// runEval measures the voice engine on a folder of real speakers; see
// docs/evaluation.md.
func runEval(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	data := fs.String("data", "", "`dir`ectory with one folder of .wav files (and optional .txt transcripts) per speaker")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	mode := fs.String("mode", string(voice.ModeConvert), "engine `mode`: convert or baseline")
	sims := fs.String("similarity", "", "comma-separated similarity settings (0–1) to measure besides the default, e.g. 0,0.5,1")
	sentences := fs.Int("sentences", 0, "read only the first `n` fixed sentences (0 = all; quick checks only, not comparable)")
	workers := fs.Int("workers", 0, "speakers processed at once (0 = number of CPUs)")
	noWER := fs.Bool("no-wer", false, "skip speech recognition (no pocketsphinx needed)")
	decoys := fs.String("decoys", "slt,rms", "comma-separated flite `voices` scored as decoy speakers (the engine's base voices); empty for none")
	verbose := fs.Bool("v", false, "log progress to stderr")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: voxclone eval --data DIR [--json] [--mode convert|baseline] [--similarity X[,Y...]]")
		fmt.Fprintln(env.Stderr, "\nClones each speaker from the first half of its recordings and scores the clones")
		fmt.Fprintln(env.Stderr, "against the rest: speaker identification, median F0 and word error rate.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *data == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("--data is required")
	}
	m := voice.Mode(*mode)
	if m != voice.ModeConvert && m != voice.ModeBaseline {
		return fmt.Errorf("unknown --mode %q (want convert or baseline)", *mode)
	}
	simList, err := parseFloats(*sims)
	if err != nil {
		return fmt.Errorf("--similarity: %w", err)
	}
	cfg := eval.Config{
		Engine:     voice.New(voice.Config{Mode: m}),
		Base:       eval.VoiceBase,
		Similarity: simList,
		Workers:    *workers,
	}
	if *sentences > 0 {
		all := eval.Sentences()
		cfg.Sentences = all[:min(*sentences, len(all))]
	}
	if !*noWER {
		cfg.Recognizer = eval.DefaultRecognizer()
		if err := cfg.Recognizer.Check(); err != nil {
			return fmt.Errorf("%w (or pass --no-wer)", err)
		}
	}
	if *verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	for _, v := range strings.Split(*decoys, ",") {
		if v = strings.TrimSpace(v); v != "" {
			d, err := eval.FliteDecoys(ctx, v)
			if err != nil {
				return err
			}
			cfg.Decoys = append(cfg.Decoys, d...)
		}
	}
	speakers, skipped, err := eval.LoadDataset(ctx, *data)
	if err != nil {
		return err
	}
	rep, err := eval.Run(ctx, speakers, cfg)
	if err != nil {
		return err
	}
	rep.Skipped = skipped
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return eval.WriteText(env.Stdout, rep)
}

// parseFloats parses "0.2,0.5,1" into settings in [0, 1].
func parseFloats(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < 0 || v > 1 {
			return nil, fmt.Errorf("%q is not a number between 0 and 1", f)
		}
		out = append(out, v)
	}
	return out, nil
}
