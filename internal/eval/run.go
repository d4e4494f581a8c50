package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

// Config selects what Run measures.
type Config struct {
	// Engine is the system under test.
	Engine Engine
	// Base, when set, reads text with the unconverted base voice the
	// engine chose for a profile, so the report shows how much
	// intelligibility the conversion costs. VoiceBase does this for
	// profiles of package voice.
	Base func(ctx context.Context, profile []byte, text string) (*audio.PCM, error)
	// Sentences are what every clone reads; nil means Sentences().
	Sentences []string
	// Similarity lists settings of voice.Options.Similarity to measure
	// besides the engine's default (the likeness/clarity frontier).
	Similarity []float64
	// Decoys are base voices scored alongside the speakers (FliteDecoys
	// makes them); nil reports no decoy win rate.
	Decoys []Decoy
	// Recognizer measures the main word error rates (DefaultRecognizer:
	// open vocabulary); nil skips WER.
	Recognizer *Recognizer
	// Loop, when set, measures a second word error rate of the fixed
	// sentences (LoopRecognizer: the closed word loop).
	Loop *Recognizer
	// RealTexts, when positive, makes each clone also read up to this many
	// transcribed held-out sentences of its own speaker, and the
	// recognizer score the speaker's real recordings of them: the
	// clone's WER beside a real voice's on the same text.
	RealTexts int
	// Degrade lists damaged versions of the references to clone from too,
	// each read at the default setting (robustness to uploads).
	Degrade []Degradation
	// Workers bounds how many speakers are processed at once; ≤0 means
	// GOMAXPROCS.
	Workers int
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

// clip is one spoken sentence at 16 kHz.
type clip struct {
	text  string
	audio *audio.PCM
}

// synthesis is everything spoken for one speaker.
type synthesis struct {
	cloneSeconds float64  // wall time of Clone
	synthSeconds float64  // wall time of the default-setting syntheses
	audioSeconds float64  // their output duration
	conds        [][]clip // per condition: 0 is the default, then cfg.Similarity
	base         []clip
	heldClone    []clip   // the clone reading held-out transcripts (cfg.RealTexts)
	heldReal     []clip   // the speaker's own recordings of them
	degraded     [][]clip // per cfg.Degrade, cloned from the damaged references
	rejected     []bool   // per cfg.Degrade: the engine found no voice in them
}

// Run evaluates cfg.Engine on speakers (as loaded by LoadDataset).
func Run(ctx context.Context, speakers []Speaker, cfg Config) (*Report, error) {
	start := time.Now()
	if cfg.Engine == nil {
		return nil, errors.New("eval: no engine")
	}
	if len(speakers) < 2 {
		return nil, errors.New("eval: need at least two speakers")
	}
	if cfg.Sentences == nil {
		cfg.Sentences = Sentences()
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var ph Phases
	lap := stopwatch()
	real, err := prepareReal(ctx, speakers, cfg.Workers)
	if err != nil {
		return nil, err
	}
	for s, r := range real {
		if len(r.raw) == 0 {
			return nil, fmt.Errorf("eval: speaker %s: no speech in the held-out recordings", speakers[s].Name)
		}
	}
	ph.Prepare = lap()
	log.Info("real speech prepared", "speakers", len(speakers), "seconds", ph.Prepare)
	ids, err := trainIdentifiers(real)
	if err != nil {
		return nil, err
	}
	addDecoys(ids, cfg.Decoys)
	ph.Train = lap()
	log.Info("speaker identifiers trained", "seconds", ph.Train)
	syn, err := synthesizeAll(ctx, speakers, cfg, log)
	if err != nil {
		return nil, err
	}
	ph.Synthesize = lap()
	rep, err := score(ctx, speakers, real, ids, syn, cfg, &ph, lap)
	if err != nil {
		return nil, err
	}
	rep.Phases = ph
	if n, ok := cfg.Engine.(interface{ Name() string }); ok {
		rep.Engine = n.Name()
	}
	rep.RuntimeSeconds = time.Since(start).Seconds()
	log.Info("evaluation done", "seconds", rep.RuntimeSeconds)
	return rep, nil
}

// synthesizeAll clones and reads for every speaker, a bounded number of
// speakers at a time.
func synthesizeAll(ctx context.Context, speakers []Speaker, cfg Config, log *slog.Logger) ([]synthesis, error) {
	syn := make([]synthesis, len(speakers))
	err := forEach(ctx, len(speakers), cfg.Workers, func(i int) error {
		s, err := synthesizeSpeaker(ctx, speakers[i], cfg)
		if err != nil {
			return fmt.Errorf("eval: speaker %s: %w", speakers[i].Name, err)
		}
		syn[i] = s
		log.Info("speaker synthesized", "speaker", speakers[i].Name, "clone_s", s.cloneSeconds)
		return nil
	})
	return syn, err
}

// stopwatch returns a function giving the seconds since its last call.
func stopwatch() func() float64 {
	last := time.Now()
	return func() float64 {
		now := time.Now()
		d := now.Sub(last).Seconds()
		last = now
		return d
	}
}

// synthesizeSpeaker clones the speaker from the reference half and reads
// every sentence in every condition, and with the base voice.
func synthesizeSpeaker(ctx context.Context, spk Speaker, cfg Config) (synthesis, error) {
	refs := make([]voice.Reference, len(spk.Reference))
	for i, u := range spk.Reference {
		refs[i] = voice.Reference{Audio: u.Audio, Transcript: u.Transcript}
	}
	var out synthesis
	t0 := time.Now()
	profile, err := cfg.Engine.Clone(ctx, refs)
	if err != nil {
		return out, fmt.Errorf("clone: %w", err)
	}
	out.cloneSeconds = time.Since(t0).Seconds()
	opts := []voice.Options{{}}
	for _, s := range cfg.Similarity {
		opts = append(opts, voice.Options{Similarity: &s})
	}
	for c, opt := range opts {
		t0 := time.Now()
		clips, secs, err := readAll(ctx, cfg.Engine, profile, cfg.Sentences, opt)
		if err != nil {
			return out, err
		}
		if c == 0 {
			out.synthSeconds, out.audioSeconds = time.Since(t0).Seconds(), secs
		}
		out.conds = append(out.conds, clips)
	}
	if cfg.Base != nil {
		if out.base, _, err = readAll(ctx, baseReader(cfg.Base), profile, cfg.Sentences, voice.Options{}); err != nil {
			return out, fmt.Errorf("base voice: %w", err)
		}
	}
	if out.heldClone, out.heldReal, err = readHeldOut(ctx, cfg, profile, spk.HeldOut); err != nil {
		return out, err
	}
	for _, d := range cfg.Degrade {
		clips, err := readDegraded(ctx, cfg, d, refs, profile)
		rejected := errors.Is(err, voice.ErrNoSpeech)
		if err != nil && !rejected {
			return out, fmt.Errorf("%s: %w", d.Name, err)
		}
		out.degraded, out.rejected = append(out.degraded, clips), append(out.rejected, rejected)
	}
	return out, nil
}

// readHeldOut has the clone read up to cfg.RealTexts transcribed held-out
// sentences and returns its clips beside the real recordings.
func readHeldOut(ctx context.Context, cfg Config, profile []byte, heldOut []Utterance) (clone, real []clip, err error) {
	var texts []string
	for _, u := range heldOut {
		if len(texts) == cfg.RealTexts {
			break
		}
		if u.Transcript != "" && len(NormalizeWords(u.Transcript)) > 0 {
			texts = append(texts, u.Transcript)
			real = append(real, clip{text: u.Transcript, audio: to16k(u.Audio)})
		}
	}
	if len(texts) == 0 {
		return nil, nil, nil
	}
	if clone, _, err = readAll(ctx, cfg.Engine, profile, texts, voice.Options{}); err != nil {
		return nil, nil, fmt.Errorf("held-out texts: %w", err)
	}
	return clone, real, nil
}

// readDegraded clones from degraded references and reads the sentences at
// the default setting; the pieces d's name adds come from the clean
// profile.
func readDegraded(ctx context.Context, cfg Config, d Degradation, refs []voice.Reference, clean []byte) ([]clip, error) {
	bad := make([]voice.Reference, len(refs))
	for i, r := range refs {
		a, err := d.Apply(ctx, r.Audio)
		if err != nil {
			return nil, err
		}
		bad[i] = voice.Reference{Audio: a, Transcript: r.Transcript}
	}
	profile, err := cfg.Engine.Clone(ctx, bad)
	if err != nil {
		return nil, fmt.Errorf("clone: %w", err)
	}
	if profile, err = applyOracle(profile, clean, d.oracle); err != nil {
		return nil, fmt.Errorf("oracle: %w", err)
	}
	clips, _, err := readAll(ctx, cfg.Engine, profile, cfg.Sentences, voice.Options{})
	return clips, err
}

// baseReader adapts a base-voice function to readAll.
type baseReader func(ctx context.Context, profile []byte, text string) (*audio.PCM, error)

func (b baseReader) Synthesize(ctx context.Context, profile []byte, text string, _ voice.Options) (*audio.PCM, error) {
	return b(ctx, profile, text)
}

// readAll synthesizes every sentence, returning 16 kHz mono clips and the
// total output duration.
func readAll(ctx context.Context, e synthesizer, profile []byte, sentences []string, opt voice.Options) ([]clip, float64, error) {
	clips := make([]clip, 0, len(sentences))
	var secs float64
	for _, text := range sentences {
		pcm, err := e.Synthesize(ctx, profile, text, opt)
		if err != nil {
			return nil, 0, fmt.Errorf("synthesize %q: %w", text, err)
		}
		if pcm.Frames() == 0 || pcm.Rate <= 0 {
			return nil, 0, fmt.Errorf("synthesize %q: %w", text, audio.ErrEmpty)
		}
		secs += pcm.Seconds()
		clips = append(clips, clip{text: text, audio: to16k(pcm)})
	}
	return clips, secs, nil
}

type synthesizer interface {
	Synthesize(ctx context.Context, profile []byte, text string, opt voice.Options) (*audio.PCM, error)
}

// identifiers holds the plain and the CMVN speaker identifier, and the
// secondary CMVN identifier on frames above the noise floor (floorFrames).
type identifiers struct{ raw, norm, floor *identifier }

func trainIdentifiers(real []realSpeech) (identifiers, error) {
	raw := make([][][][]float64, len(real))
	norm := make([][][][]float64, len(real))
	floor := make([][][][]float64, len(real))
	for s, r := range real {
		raw[s], norm[s], floor[s] = r.raw, r.norm, r.floor
	}
	var ids identifiers
	var err error
	if ids.raw, err = trainIdentifier(raw); err != nil {
		return ids, fmt.Errorf("eval: %w", err)
	}
	if ids.norm, err = trainIdentifier(norm); err != nil {
		return ids, fmt.Errorf("eval: %w", err)
	}
	// The secondary identifier must never stop the protocol's figures: a
	// speaker whose every held-out frame lies within floorMarginDB of its
	// noise floor leaves it untrained, and the report omits its column.
	ids.floor, _ = trainIdentifier(floor)
	return ids, nil
}
