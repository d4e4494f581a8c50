package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/eval"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/watermark"
)

// evalFlags are the eval command's options.
type evalFlags struct {
	data, mode, sims, decoys string
	asJSON, noWER, verbose   bool
	watermark                bool
	sentences, workers       int
	realTexts                int
	degrade                  string
}

// runEval measures the voice engine on a folder of real speakers; see
// docs/evaluation.md.
func runEval(ctx context.Context, env *Env, args []string) error {
	f, err := parseEvalFlags(env, args)
	if err != nil {
		return err
	}
	cfg, err := evalConfig(ctx, env, f)
	if err != nil {
		return err
	}
	speakers, skipped, err := eval.LoadDataset(ctx, f.data)
	if err != nil {
		return err
	}
	rep, err := eval.Run(ctx, speakers, cfg)
	if err != nil {
		return err
	}
	rep.Skipped = skipped
	if f.asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return eval.WriteText(env.Stdout, rep)
}

func parseEvalFlags(env *Env, args []string) (evalFlags, error) {
	var f evalFlags
	fs := newFlags(env, "eval", "usage: voxclone eval --data DIR [--json] [--mode convert|baseline] [--similarity X[,Y...]]\n\n"+
		"Clones each speaker from the first half of its recordings and scores the clones\n"+
		"against the rest: speaker identification, median F0 and word error rate.")
	fs.StringVar(&f.data, "data", "", "`dir`ectory with one folder of .wav files (and optional .txt transcripts) per speaker")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	fs.StringVar(&f.mode, "mode", string(voice.ModeConvert), "engine `mode`: convert or baseline")
	fs.StringVar(&f.sims, "similarity", "", "comma-separated similarity settings (0–1) to measure besides the default, e.g. 0,0.5,1")
	fs.StringVar(&f.decoys, "decoys", "slt,rms", "comma-separated flite `voices` scored as decoy speakers (the engine's base voices); empty for none")
	fs.IntVar(&f.sentences, "sentences", 0, "read only the first `n` fixed sentences (0 = all; quick checks only, not comparable)")
	fs.IntVar(&f.workers, "workers", 0, "speakers processed at once (0 = number of CPUs)")
	fs.BoolVar(&f.noWER, "no-wer", false, "skip speech recognition (no pocketsphinx needed)")
	fs.BoolVar(&f.watermark, "watermark", false, "mark every synthesized sentence, as the service does, with a fixed test key before scoring")

	fs.IntVar(&f.realTexts, "real-texts", 5, "per speaker, clone and real recordings of up to `n` transcribed held-out sentences are scored by the recognizer (0 = off)")
	fs.StringVar(&f.degrade, "degrade", "", "comma-separated degradations of the references to clone from too: "+strings.Join(eval.DegradationNames(), ", ")+"; NAME+PIECE… takes profile pieces (ap, eq, f0, gv, ltas, pool, rate, upper, warp) from the clean clone, a diagnostic")
	fs.BoolVar(&f.verbose, "v", false, "log progress to stderr")
	pos, err := fs.parse(args)
	switch {
	case err != nil:
		return f, err
	case len(pos) > 0:
		return f, usagef("unexpected argument %q: the speech folder goes in --data", pos[0])
	case f.data == "":
		return f, usagef("--data is required")
	case f.mode != string(voice.ModeConvert) && f.mode != string(voice.ModeBaseline):
		return f, usagef("unknown --mode %q: choose convert or baseline", f.mode)
	case f.sentences < 0 || f.workers < 0 || f.realTexts < 0:
		return f, usagef("--sentences, --workers and --real-texts cannot be negative")
	}
	if _, err := eval.DegradationsNamed(splitList(f.degrade)...); err != nil {
		return f, usagef("--degrade: %v", err)
	}
	if _, err := parseFloats(f.sims); err != nil {
		return f, usagef("--similarity: %v", err)
	}
	return f, nil
}

// evalConfig builds the evaluation's configuration from flags that
// parseEvalFlags has checked.
func evalConfig(ctx context.Context, env *Env, f evalFlags) (eval.Config, error) {
	sims, _ := parseFloats(f.sims)
	degrade, _ := eval.DegradationsNamed(splitList(f.degrade)...)
	cfg := eval.Config{
		Engine:     voice.New(voice.Config{Mode: voice.Mode(f.mode)}),
		Base:       eval.VoiceBase,
		Similarity: sims,
		Workers:    f.workers,
		RealTexts:  f.realTexts,
		Degrade:    degrade,
	}
	if f.watermark {
		cfg.Engine = eval.Watermarked(cfg.Engine, evalWatermarkKey)
	}
	if f.sentences > 0 {
		all := eval.Sentences()
		cfg.Sentences = all[:min(f.sentences, len(all))]
	}
	if !f.noWER {
		cfg.Recognizer, cfg.Loop = eval.DefaultRecognizer(), eval.LoopRecognizer()
		if err := cfg.Recognizer.Check(); err != nil {
			return cfg, fmt.Errorf("%w (or pass --no-wer)", err)
		}
	}
	if f.verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	for _, v := range splitList(f.decoys) {
		d, err := eval.FliteDecoys(ctx, v)
		if err != nil {
			return cfg, err
		}
		cfg.Decoys = append(cfg.Decoys, d...)
	}
	return cfg, nil
}

// evalWatermarkKey is the fixed key of --watermark: where the mark falls
// depends on the key, so every run uses the same one.
var evalWatermarkKey, _ = watermark.KeyFrom([]byte("voxclone eval fixed test key"))

// splitList splits "a, b,,c" into its non-empty trimmed items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
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
