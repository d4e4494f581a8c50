package flite

/*
#cgo LDFLAGS: -lflite_cmu_us_slt -lflite_cmu_us_rms -lflite_cmu_us_awb -lflite_cmu_us_kal16 -lflite_usenglish -lflite_cmulex -lflite -lm
#include <stdlib.h>
#include <string.h>
#include <flite/flite.h>
#include <flite/cst_cg.h>

cst_voice *register_cmu_us_slt(const char *voxdir);
cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_awb(const char *voxdir);
cst_voice *register_cmu_us_kal16(const char *voxdir);

// vc_register registers one built-in voice by index; registration touches
// flite's global voice list, so the Go side calls it under a process lock.
static cst_voice *vc_register(int i) {
	switch (i) {
	case 0: return register_cmu_us_slt(NULL);
	case 1: return register_cmu_us_rms(NULL);
	case 2: return register_cmu_us_awb(NULL);
	case 3: return register_cmu_us_kal16(NULL);
	}
	return NULL;
}

// vc_result is everything Go needs from an utterance, copied out so the
// utterance can be freed before returning to Go.
typedef struct {
	int rate;
	int nsamples;
	short *samples;   // malloc'd copy, freed by Go
	int nphones;
	char **names;     // malloc'd array of malloc'd strings
	float *ends;      // malloc'd
	int ntokens;
	char **tnames;    // the tokens of the text as flite split it
	int *twords;      // how many words each token was read as
	float *tstarts;   // start and end of each token's speech, -1 if none
	float *tends;
} vc_result;

// vc_word_span finds when a word is spoken: from the end of the segment
// before its first segment to the end of its last one.
static int vc_word_span(cst_item *w, float *start, float *end) {
	cst_item *sw = item_as(w, "SylStructure");
	if (sw == NULL) return 0;
	cst_item *s1 = item_daughter(sw), *sn = item_last_daughter(sw);
	if (s1 == NULL || sn == NULL) return 0;
	cst_item *g1 = item_daughter(s1), *gn = item_last_daughter(sn);
	if (g1 == NULL || gn == NULL) return 0;
	cst_item *prev = item_prev(item_as(g1, "Segment"));
	*start = prev ? item_feat_float(prev, "end") : 0;
	*end = item_feat_float(gn, "end");
	return 1;
}

// vc_tokens copies out the Token relation: each token of the input text
// with the span of the words it was read as.
static void vc_tokens(cst_utterance *u, vc_result *out) {
	int n = 0;
	cst_item *t;
	for (t = relation_head(utt_relation(u, "Token")); t; t = item_next(t)) n++;
	out->ntokens = n;
	out->tnames = malloc(sizeof(char *) * (n > 0 ? n : 1));
	out->twords = malloc(sizeof(int) * (n > 0 ? n : 1));
	out->tstarts = malloc(sizeof(float) * (n > 0 ? n : 1));
	out->tends = malloc(sizeof(float) * (n > 0 ? n : 1));
	int i = 0;
	for (t = relation_head(utt_relation(u, "Token")); t; t = item_next(t), i++) {
		out->tnames[i] = strdup(item_feat_string(t, "name"));
		out->twords[i] = 0;
		out->tstarts[i] = -1;
		out->tends[i] = -1;
		cst_item *w;
		for (w = item_daughter(t); w; w = item_next(w)) {
			float a, b;
			out->twords[i]++;
			if (!vc_word_span(w, &a, &b)) continue;
			if (out->tstarts[i] < 0) out->tstarts[i] = a;
			out->tends[i] = b;
		}
	}
}

// vc_segments copies the utterance's phones and their end times.
static void vc_segments(cst_utterance *u, vc_result *out) {
	int n = 0;
	cst_item *s;
	for (s = relation_head(utt_relation(u, "Segment")); s; s = item_next(s)) n++;
	out->nphones = n;
	out->names = malloc(sizeof(char *) * (n > 0 ? n : 1));
	out->ends = malloc(sizeof(float) * (n > 0 ? n : 1));
	int i = 0;
	for (s = relation_head(utt_relation(u, "Segment")); s; s = item_next(s), i++) {
		out->names[i] = strdup(item_feat_string(s, "name"));
		out->ends[i] = item_feat_float(s, "end");
	}
}

static int vc_synth(cst_voice *v, const char *text, float stretch,
		float f0mean, float f0std, vc_result *out) {
	srand(1); // cg voices draw excitation noise from rand()
	feat_set_float(v->features, "duration_stretch", stretch);
	// Settings persist on the voice, so unset ones are removed to give the
	// voice's own defaults back.
	if (f0mean > 0) {
		feat_set_float(v->features, "int_f0_target_mean", f0mean);
		feat_set_float(v->features, "int_f0_target_stddev", f0std);
	} else {
		feat_remove(v->features, "int_f0_target_mean");
		feat_remove(v->features, "int_f0_target_stddev");
	}
	cst_utterance *u = flite_synth_text(text, v);
	if (u == NULL) return -1;
	cst_wave *w = utt_wave(u);
	if (w == NULL || w->num_channels != 1) { delete_utterance(u); return -2; }
	out->rate = w->sample_rate;
	out->nsamples = w->num_samples;
	out->samples = malloc(sizeof(short) * (w->num_samples > 0 ? w->num_samples : 1));
	memcpy(out->samples, w->samples, sizeof(short) * w->num_samples);
	vc_segments(u, out);
	vc_tokens(u, out);
	delete_utterance(u);
	return 0;
}

// vc_cg_state_dur is a clustergen HMM state's duration as cg_synth
// predicts it: the mean of the duration trees' z-scores, scaled by the
// state's statistics (the first entry for an unknown state name).
static float vc_cg_state_dur(cst_item *s, cst_cg_db *db) {
	float z = 0.0;
	int m, i, x = 0;
	for (m = 0; m < db->num_dur_models; m++)
		z += val_float(cart_interpret(s, db->dur_cart[m]));
	z /= m;
	const char *name = item_feat_string(s, "name");
	for (i = 0; db->dur_stats[0][i]; i++)
		if (cst_streq(db->dur_stats[0][i]->phone, name)) { x = i; break; }
	return z * db->dur_stats[0][x]->stddev + db->dur_stats[0][x]->mean;
}

// vc_cg_durations times the segments the way cg_synth does before it
// renders anything: it builds the same HMM state relations (the duration
// trees ask about them) and sums the states' durations, in float as flite
// does, so the segment ends match a full synthesis exactly. Voices without
// a clustergen database keep the ends their duration module gave.
static cst_utterance *vc_cg_durations(cst_utterance *u) {
	const cst_val *dbv = utt_feat_val(u, "cg_db");
	if (dbv == NULL) return u;
	cst_cg_db *db = val_cg_db(dbv);
	cst_relation *states = utt_relation_create(u, "HMMstate");
	cst_relation *segstate = utt_relation_create(u, "segstate");
	cst_item *seg, *s;
	for (seg = utt_rel_head(u, "Segment"); seg; seg = item_next(seg)) {
		cst_item *ss = relation_append(segstate, seg);
		const char *name = item_feat_string(seg, "name");
		int p, sp;
		for (p = 0; db->phone_states[p]; p++)
			if (cst_streq(name, db->phone_states[p][0])) break;
		if (db->phone_states[p] == NULL) p = 0;
		for (sp = 1; db->phone_states[p][sp]; sp++) {
			s = relation_append(states, NULL);
			item_add_daughter(ss, s);
			item_set_string(s, "name", db->phone_states[p][sp]);
			item_set_int(s, "statepos", sp);
		}
	}
	float start, end = 0.0, rdur, tok;
	float stretch = get_param_float(u->features, "duration_stretch", 1.0);
	for (s = utt_rel_head(u, "HMMstate"); s; s = item_next(s)) {
		start = end;
		tok = ffeature_float(s, "R:segstate.parent.R:SylStructure.parent.parent.R:Token.parent.local_duration_stretch");
		if (tok == 0) tok = 1.0;
		rdur = tok * stretch * vc_cg_state_dur(s, db);
		end = start + (rdur < db->frame_advance ? db->frame_advance : rdur);
		item_set_float(s, "end", end);
	}
	for (seg = utt_rel_head(u, "Segment"); seg; seg = item_next(seg))
		item_set(seg, "end", ffeature(seg, "R:segstate.daughtern.end"));
	return u;
}

// vc_text2durs runs flite's text pipeline up to the prosody models and
// then times the segments, without predicting or rendering a waveform.
static const cst_synth_module vc_durs_method[] = {
	{ "tokenizer_func", default_tokenization },
	{ "textanalysis_func", default_textanalysis },
	{ "pos_tagger_func", default_pos_tagger },
	{ "phrasing_func", default_phrasing },
	{ "lexical_insertion_func", default_lexical_insertion },
	{ "pause_insertion_func", default_pause_insertion },
	{ "intonation_func", cart_intonation },
	{ "postlex_func", NULL },
	{ "duration_model_func", cart_duration },
	{ "f0_model_func", NULL },
	{ "vc_durations_func", vc_cg_durations },
	{ NULL, NULL }
};

static int vc_durations(cst_voice *v, const char *text, float stretch, vc_result *out) {
	feat_set_float(v->features, "duration_stretch", stretch);
	cst_utterance *u = new_utterance();
	utt_set_input_text(u, text);
	utt_init(u, v);
	if (apply_synth_method(u, vc_durs_method) == NULL) { delete_utterance(u); return -1; }
	memset(out, 0, sizeof(*out));
	vc_segments(u, out);
	delete_utterance(u);
	return 0;
}

static void vc_free(vc_result *r) {
	for (int i = 0; i < r->nphones; i++) free(r->names[i]);
	free(r->names);
	free(r->ends);
	free(r->samples);
	for (int i = 0; i < r->ntokens; i++) free(r->tnames[i]);
	free(r->tnames);
	free(r->twords);
	free(r->tstarts);
	free(r->tends);
}

static float vc_getf(cst_voice *v, const char *name) {
	return flite_get_param_float(v->features, name, -1);
}

static char *vc_name(char **names, int i) { return names[i]; }
*/
import "C"

import (
	"errors"
	"unsafe"
)

// cVoice is a registered flite voice. Its methods must be called with the
// voice's lock held: flite keeps per-call settings in the voice's features.
type cVoice struct {
	p *C.cst_voice
	// f0Mean and f0Std are the voice's own F0 target settings, or −1 when
	// it has none (statistical voices then use their trained F0).
	f0Mean, f0Std float64
	// stretch is the voice's own duration_stretch (kal16 sets 1.1).
	stretch float64
}

var cInitDone bool

// cRegister initialises flite and registers built-in voice i. The caller
// serialises calls.
func cRegister(i int) (cVoice, error) {
	if !cInitDone {
		C.flite_init()
		cInitDone = true
	}
	p := C.vc_register(C.int(i))
	if p == nil {
		return cVoice{}, errors.New("flite: voice registration failed")
	}
	v := cVoice{p: p}
	v.f0Mean, v.f0Std = v.getf("int_f0_target_mean"), v.getf("int_f0_target_stddev")
	v.stretch = v.getf("duration_stretch")
	if v.stretch <= 0 {
		v.stretch = 1
	}
	return v, nil
}

func (v cVoice) getf(name string) float64 {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	return float64(C.vc_getf(v.p, cn))
}

// synth runs flite on text and copies out the samples, phone segments and
// tokens.
func (v cVoice) synth(text string, stretch, f0mean, f0std float64) (rate int, samples []int16, phones []Phone, tokens []Token, err error) {
	if f0mean <= 0 {
		f0mean, f0std = v.f0Mean, v.f0Std
	}
	stretch *= v.stretch
	ct := C.CString(text)
	defer C.free(unsafe.Pointer(ct))
	var r C.vc_result
	rc := C.vc_synth(v.p, ct, C.float(stretch), C.float(f0mean), C.float(f0std), &r)
	if rc != 0 {
		return 0, nil, nil, nil, errors.New("flite: synthesis produced no waveform")
	}
	defer C.vc_free(&r)
	n := int(r.nsamples)
	samples = make([]int16, n)
	if n > 0 {
		copy(samples, unsafe.Slice((*int16)(unsafe.Pointer(r.samples)), n))
	}
	ends := unsafe.Slice((*C.float)(unsafe.Pointer(r.ends)), int(r.nphones))
	phones = make([]Phone, int(r.nphones))
	for i := range phones {
		phones[i] = Phone{Name: C.GoString(C.vc_name(r.names, C.int(i))), End: float64(ends[i])}
	}
	return int(r.rate), samples, phones, cTokens(&r), nil
}

// durations runs flite's text analysis and duration model on text and
// copies out the timed phone segments, without synthesizing audio.
func (v cVoice) durations(text string, stretch float64) ([]Phone, error) {
	stretch *= v.stretch
	ct := C.CString(text)
	defer C.free(unsafe.Pointer(ct))
	var r C.vc_result
	if C.vc_durations(v.p, ct, C.float(stretch), &r) != 0 {
		return nil, errors.New("flite: text analysis failed")
	}
	defer C.vc_free(&r)
	ends := unsafe.Slice((*C.float)(unsafe.Pointer(r.ends)), int(r.nphones))
	phones := make([]Phone, int(r.nphones))
	for i := range phones {
		phones[i] = Phone{Name: C.GoString(C.vc_name(r.names, C.int(i))), End: float64(ends[i])}
	}
	return phones, nil
}

func cTokens(r *C.vc_result) []Token {
	n := int(r.ntokens)
	words := unsafe.Slice((*C.int)(unsafe.Pointer(r.twords)), n)
	starts := unsafe.Slice((*C.float)(unsafe.Pointer(r.tstarts)), n)
	ends := unsafe.Slice((*C.float)(unsafe.Pointer(r.tends)), n)
	tokens := make([]Token, n)
	for i := range tokens {
		tokens[i] = Token{Name: C.GoString(C.vc_name(r.tnames, C.int(i))), Words: int(words[i]),
			Start: float64(starts[i]), End: float64(ends[i])}
	}
	return tokens
}
