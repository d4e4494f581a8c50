package align

// pocketsphinx is linked through cgo rather than run as pocketsphinx_continuous
// in a subprocess: the command-line tools split input at their own VAD
// pauses (which breaks a whole-utterance grammar), print only word times and
// reload the acoustic model on every run. In-process we keep loaded decoders
// in a pool, build each grammar through the FSG API (the transcript is never
// parsed as grammar text, so it cannot inject rules) and read segment frames
// directly.

/*
#cgo pkg-config: pocketsphinx sphinxbase
#include <stdlib.h>
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fsg_model.h>

static void vx_quiet(void) { err_set_logfp(NULL); }

// vx_set_ends sets what fsg_model_init leaves unset (a struct field, so
// cgo cannot reach it as a function).
static void vx_set_ends(fsg_model_t *f, int start, int final) {
	f->start_state = start;
	f->final_state = final;
}

// vx_decode runs one whole utterance: batch cepstral mean normalisation
// (which the en-us model expects) needs all the audio at once.
static int vx_decode(ps_decoder_t *ps, const short *pcm, size_t n) {
	if (ps_start_utt(ps) < 0) return -1;
	if (ps_process_raw(ps, pcm, n, 0, 1) < 0) { ps_end_utt(ps); return -2; }
	if (ps_end_utt(ps) < 0) return -3;
	return 0;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"unsafe"
)

// Model locations of the Debian pocketsphinx-en-us package.
const (
	modelDir = "/usr/share/pocketsphinx/model/en-us"
	hmmDir   = modelDir + "/en-us"
	dictFile = modelDir + "/cmudict-en-us.dict"
)

// grammarWeight scales grammar log probabilities against acoustic scores;
// it is pocketsphinx's default language weight (-lw), which JSGF grammars
// also get.
const grammarWeight = 6.5

const (
	searchAlign = "align"
	searchLoop  = "phones"
	// alignEveryFrame is a pool of alignment decoders without alignArgs'
	// -ds 2, for what the halved scoring cannot align (alignChunk) and
	// for SpotEveryFrame.
	alignEveryFrame = "align-every-frame"
	frameRate       = 100 // pocketsphinx frames per second (-frate)
)

// decoder is one loaded pocketsphinx decoder. It is not safe for concurrent
// use; the pool hands each one to a single call at a time.
type decoder struct {
	ps *C.ps_decoder_t
}

// pools keep idle decoders, one pool per search kind. Loading a decoder
// costs a few hundred milliseconds, so up to maxIdle of each kind are kept
// for the life of the process (≈7 MB each); a burst of concurrent calls
// loads more, and the surplus is freed when they finish.
var pools = struct {
	sync.Mutex
	idle map[string][]*decoder
	once sync.Once
}{idle: map[string][]*decoder{}}

func getDecoder(kind string) (*decoder, error) {
	pools.once.Do(func() { C.vx_quiet() })
	pools.Lock()
	if n := len(pools.idle[kind]); n > 0 {
		d := pools.idle[kind][n-1]
		pools.idle[kind] = pools.idle[kind][:n-1]
		pools.Unlock()
		return d, nil
	}
	pools.Unlock()
	return newDecoder(kind)
}

const maxIdle = 4

func putDecoder(kind string, d *decoder) {
	pools.Lock()
	defer pools.Unlock()
	if len(pools.idle[kind]) >= maxIdle {
		d.free()
		return
	}
	pools.idle[kind] = append(pools.idle[kind], d)
}

// loopArgs are the phone-loop decoder's settings: context-independent
// phones, no phone language model (see newDecoder) and narrow beams.
// With triphones and default beams the loop ran 5× slower than real
// time; CMU's suggested beams (1e-20) cost 40 ms of CPU per second of
// audio, these 30 ms for about 1.5 points less frame agreement
// with forced alignment. Scoring the Gaussians on every other frame (-ds 2,
// two thirds of the decoder's time goes to them) cuts that by a third: the
// loop then agrees with alignment on 6 points fewer frames
// (TestRecognizeAgreesWithAlign), but the voices cloned from its labels
// were as recognisable in the eval (docs/performance.md, 2026-12-06 late).
// Each frame's score mixes the 2 nearest Gaussians of a phone's codebook,
// not 4 (-topn 2): the rest weigh little in a log-sum dominated by the
// nearest, and the search keeps fewer candidates to sort and re-score.
// The loop costs ≈ 12% less and agrees with alignment on 64.9% of frames'
// class and 52.6% of phones instead of 67.2% and 57.0%; the eval did not
// move beyond its noise (docs/engine.md, "Two Gaussians per codebook").
// -topn 3 agreed on fewer frames than 2 (58.5%, 39.3%: the test fails).
// Without a language model every phone may follow any other at one fixed
// cost, log(-pip) × -lw, which stands in for the trigram's probabilities
// (each below 1) as the price of starting a phone: with -pip 0.1 the loop
// agrees on 65.9% of frames' class and 55.2% of phones, with no price
// (-pip 1) on 63.0% and 53.8%, with a bonus (-pip 2) on 62.1% and 53.1%.
var loopArgs = []string{"-allphone_ci", "yes", "-beam", "1e-10", "-pbeam", "1e-10", "-lw", "2.0", "-pip", "0.1", "-ds", "2", "-topn", "2"}

// alignArgs are the alignment decoder's own settings: Gaussians scored on
// every other frame, as for the loop. It costs a fifth less, and phone
// boundaries moved 0.6 ms further from flite's on average (85% instead
// of 87% within 20 ms, TestAlignFliteBoundaries). It keeps four Gaussians
// per codebook: with two (as the loop) it cost ≈ 10% less and its flite
// boundaries moved only 0.3 ms, but on real speech it put friction into
// pauses (TestHighBandPerClass: held-back vctk_p225's pause frames 20 dB
// brighter above 8 kHz than its references', so the test fails). Every
// third frame (-ds 3) gave phones shorter than 25 ms (TestAlignRealSpeech
// fails). Fast speech can leave the halved scoring no path through the
// transcript where every frame's scores have one; alignChunk then aligns
// again on an alignEveryFrame decoder.
var alignArgs = []string{"-ds", "2"}

// newDecoder loads the acoustic model for one search kind: the alignment
// grammar over a dictionary of phone words (see grammar.go), or the phone
// loop.
func newDecoder(kind string) (*decoder, error) {
	dir, err := os.MkdirTemp("", "voxclone-align-")
	if err != nil {
		return nil, fmt.Errorf("align: %w", err)
	}
	defer os.RemoveAll(dir)
	dict := filepath.Join(dir, "phones.dict")
	if err := os.WriteFile(dict, []byte(phoneDict()), 0o600); err != nil {
		return nil, fmt.Errorf("align: %w", err)
	}
	cfg, err := parseArgs(decoderArgs(kind, dict))
	if err != nil {
		return nil, err
	}
	// pocketsphinx sets a decoder up through state shared between
	// decoders: two ps_init calls at once crashed the process (SIGSEGV
	// inside ps_init, TestConcurrentDecoderLoads), so loading and freeing
	// take turns. Decoding itself runs in parallel, each decoder alone.
	setup.Lock()
	defer setup.Unlock()
	ps := C.ps_init(cfg)
	C.cmd_ln_free_r(cfg)
	if ps == nil {
		return nil, ErrModel
	}
	// The loop runs without the model's phone trigram: it looked up a
	// score for every phone-to-phone link each frame, a third of the
	// loop's time, while the labels only need which phone class a frame
	// holds, which the acoustics decide; without it the loop agrees with
	// forced alignment a little more often (docs/performance.md,
	// 2026-12-07 "small hours").
	if kind == searchLoop {
		name := C.CString(searchLoop)
		defer C.free(unsafe.Pointer(name))
		if C.ps_set_allphone(ps, name, nil) < 0 {
			C.ps_free(ps)
			return nil, fmt.Errorf("%w: phone loop", ErrModel)
		}
	}
	return &decoder{ps: ps}, nil
}

// setup serialises ps_init and ps_free (see newDecoder).
var setup sync.Mutex

// free releases the decoder's memory.
func (d *decoder) free() {
	setup.Lock()
	defer setup.Unlock()
	C.ps_free(d.ps)
}

func decoderArgs(kind, dict string) []string {
	args := []string{"vx",
		"-hmm", hmmDir,
		"-dict", dict,
		"-remove_silence", "no", // frame numbers must stay audio time
		"-fsgusefiller", "no", // silence only where the grammar allows it
		"-bestpath", "no",
		"-cmn", "batch", // the model's own setting, made explicit
		// Noise removal keeps its noise estimate from one utterance to the
		// next, so results would depend on what a pooled decoder saw before.
		"-remove_noise", "no",
		"-logfn", os.DevNull,
	}
	switch kind {
	case searchLoop:
		return append(args, loopArgs...)
	case alignEveryFrame:
		return args
	}
	return append(args, alignArgs...)
}

func parseArgs(args []string) (*C.cmd_ln_t, error) {
	argv := make([]*C.char, len(args))
	for i, a := range args {
		argv[i] = C.CString(a)
		defer C.free(unsafe.Pointer(argv[i]))
	}
	cfg := C.cmd_ln_parse_r(nil, C.ps_args(), C.int32(len(args)), &argv[0], 0)
	if cfg == nil {
		return nil, fmt.Errorf("%w: bad decoder configuration", ErrModel)
	}
	return cfg, nil
}

// rawSeg is one decoded word (here: one phone word or filler) in frames;
// end is inclusive.
type rawSeg struct {
	word       string
	start, end int
}

// setGrammar installs g as the align search.
func (d *decoder) setGrammar(g *grammar) error {
	name := C.CString(searchAlign)
	defer C.free(unsafe.Pointer(name))
	f := C.fsg_model_init(name, C.ps_get_logmath(d.ps), grammarWeight, C.int32(g.states))
	if f == nil {
		return errors.New("align: cannot create grammar")
	}
	C.vx_set_ends(f, C.int(g.start), C.int(g.final))
	lmath := C.ps_get_logmath(d.ps)
	for _, a := range g.arcs {
		logp := C.int32(float64(C.logmath_log(lmath, C.float64(a.prob))) * grammarWeight)
		if a.word == "" {
			C.fsg_model_null_trans_add(f, C.int32(a.from), C.int32(a.to), logp)
			continue
		}
		w := C.CString(a.word)
		wid := C.fsg_model_word_add(f, w)
		C.free(unsafe.Pointer(w))
		C.fsg_model_trans_add(f, C.int32(a.from), C.int32(a.to), logp, wid)
	}
	sil := C.CString(silWord)
	defer C.free(unsafe.Pointer(sil))
	for _, s := range g.silStates {
		C.fsg_model_add_silence(f, sil, C.int(s), C.float32(g.silProb))
	}
	// The search follows null arcs only through their closure.
	C.fsg_model_null_trans_closure(f, nil)
	rc := C.ps_set_fsg(d.ps, name, f)
	C.fsg_model_free(f) // the decoder keeps its own reference
	if rc < 0 {
		return errors.New("align: grammar rejected by the decoder")
	}
	return nil
}

// run decodes pcm (16 kHz mono) with the named search and returns the best
// path's segments.
func (d *decoder) run(search string, pcm []float32) ([]rawSeg, error) {
	name := C.CString(search)
	defer C.free(unsafe.Pointer(name))
	if C.ps_set_search(d.ps, name) < 0 {
		return nil, fmt.Errorf("align: no search %q", search)
	}
	if len(pcm) == 0 {
		return nil, nil
	}
	s16 := toInt16(pcm)
	rc := C.vx_decode(d.ps, (*C.short)(unsafe.Pointer(&s16[0])), C.size_t(len(s16)))
	if rc < 0 {
		return nil, fmt.Errorf("align: decoder failed (%d)", int(rc))
	}
	var out []rawSeg
	for it := C.ps_seg_iter(d.ps); it != nil; it = C.ps_seg_next(it) {
		var sf, ef C.int
		C.ps_seg_frames(it, &sf, &ef)
		out = append(out, rawSeg{word: C.GoString(C.ps_seg_word(it)), start: int(sf), end: int(ef)})
	}
	return out, nil
}

// toInt16 converts with clipping (NaN becomes 0); pocketsphinx's front end
// takes 16-bit PCM.
func toInt16(x []float32) []int16 {
	out := make([]int16, len(x))
	for i, v := range x {
		if f := math.Round(float64(v) * 32767); f == f {
			out[i] = int16(max(-32768, min(32767, f)))
		}
	}
	return out
}
