package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/watermark"
)

// detectAnswer is what detect prints: the API's answer to the operator,
// who may see any synthesis.
type detectAnswer struct {
	Watermarked bool       `json:"watermarked"`
	Confidence  float64    `json:"confidence"`
	SynthesisID string     `json:"synthesis_id,omitempty"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
}

// runDetect looks for this instance's watermark (VOXCLONE_WATERMARK_KEY, or
// the key in the data directory) in an audio file and, when the database
// holds the synthesis it points at, names it.
func runDetect(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "detect", "usage: voxclone detect FILE\n\n"+
		"Prints, as JSON, whether FILE (- for standard input) carries this instance's watermark\n"+
		"(the key is VOXCLONE_WATERMARK_KEY, or the one serve generated in VOXCLONE_DATA_DIR), with a\n"+
		"confidence from 0 to 1 and, when the database knows it, the synthesis it came from,\n"+
		"whoever's it is.\n"+
		"FILE is at most 6 minutes long (an excerpt is enough).")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need exactly one FILE")
	}
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return err
	}
	data, err := readInput(env, pos[0], detectLength)
	if err != nil {
		return err
	}
	// The detector's work grows with the length, not the bytes (a few
	// kilobytes at 1 Hz are an hour): longer than an upload is refused,
	// by the headers before decoding, as the API does.
	if pr, err := codec.ProbeBytes(data); err == nil && pr.Seconds > maxDetectSeconds {
		return detectTooLong(pos[0], pr.Seconds, "")
	}
	key, err := detectKey(cfg)
	if err != nil {
		return err
	}
	pcm, _, err := decodeAudio(ctx, pos[0], data)
	if err != nil {
		return err
	}
	if sec := pcm.Seconds(); sec > maxDetectSeconds {
		return detectTooLong(pos[0], sec, "")
	}
	res := watermark.Detect(key, pcm)
	ans := detectAnswer{Watermarked: res.Watermarked, Confidence: res.Confidence}
	if res.Watermarked && databaseExists(cfg) {
		if err := nameSynthesis(ctx, cfg, res, &ans); err != nil {
			fmt.Fprintf(env.Stderr, "voxclone detect: the synthesis could not be looked up: %v\n", err)
		}
	}
	return printJSON(env, ans)
}

// nameSynthesis sets the synthesis a mark points at, whoever's: the
// payload itself when its CRC checks, else the clear best of the
// instance's newest syntheses. The CRC rarely checks (80 s of clean audio
// are not enough), so without the match detect would name next to none.
func nameSynthesis(ctx context.Context, cfg Config, res watermark.Result, ans *detectAnswer) error {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if res.PayloadOK {
		syn, err := db.FindWatermark(ctx, uint32(res.Payload))
		if err == nil {
			ans.SynthesisID, ans.CreatedAt = syn.ID, &syn.CreatedAt
			return nil
		}
		if app.ErrorCode(err) != app.ENotFound {
			return err
		}
	}
	marks, err := db.RecentWatermarks(ctx, app.MaxMatchCandidates)
	if err != nil {
		return err
	}
	cands := make([]watermark.Payload, len(marks))
	for i, m := range marks {
		cands[i] = watermark.Payload(m.Payload)
	}
	if i := res.Match(cands); i >= 0 {
		ans.SynthesisID, ans.CreatedAt = marks[i].SynthesisID, &marks[i].CreatedAt
	}
	return nil
}

// maxDetectSeconds is the longest file detect checks: the API's bound on
// an upload.
const maxDetectSeconds = app.DefaultMaxUploadSeconds

// detectLength refuses input whose head and size prove it longer than
// detect checks: a WAV's byte rate, an MP3's highest bitrate, a FLAC's
// declared total. Other containers (Ogg, WebM, M4A, ADTS, and FLAC from a
// streaming encoder that left its total unknown) are read whole, up to
// maxCLIInput, and measured when decoded.
func detectLength(path string, h inputHead, n int64) error {
	if sec := h.length.MinSeconds(n); sec > maxDetectSeconds {
		return detectTooLong(path, sec, "at least ")
	}
	return nil
}

// detectTooLong refuses a file of sec seconds, or at least that long.
func detectTooLong(path string, sec float64, atLeast string) error {
	return &fileError{path, fmt.Errorf("%s%.0f minutes long; detect checks at most %d minutes: cut an excerpt (half a minute finds the mark, a minute or two names the synthesis)",
		atLeast, math.Ceil(sec/60), maxDetectSeconds/60)}
}

// cliWatermarkKey is the instance's watermark key, derived as the service
// derives it.
func cliWatermarkKey(cfg Config) (watermark.Key, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return watermark.Key{}, err
	}
	secret, err := cfg.watermarkKey()
	if err != nil {
		return watermark.Key{}, err
	}
	return watermark.KeyFrom(secret)
}

// detectKey is the instance's watermark key, which detect never generates:
// a new key finds no mark, so detect would call every file unmarked, and
// leave a key behind that a later serve in that directory would take up.
func detectKey(cfg Config) (watermark.Key, error) {
	if cfg.WatermarkKey != "" {
		return watermark.KeyFrom([]byte(cfg.WatermarkKey))
	}
	path := filepath.Join(cfg.DataDir, watermarkKeyFileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return watermark.Key{}, fmt.Errorf("no watermark key: %s does not exist and VOXCLONE_WATERMARK_KEY is unset; "+
			"set VOXCLONE_DATA_DIR to the data directory of the instance that made the audio, or VOXCLONE_WATERMARK_KEY to its key", path)
	}
	return cliWatermarkKey(cfg)
}

// databaseExists says whether there is a database to look in, without
// creating one.
func databaseExists(cfg Config) bool {
	if cfg.usesPostgres() {
		return true
	}
	_, err := os.Stat(cfg.sqlitePath())
	return err == nil
}
