package openai

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// Models lists the model names POST /v1/audio/speech accepts. They all
// select voxclone's one engine.
var Models = []string{"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "voxclone"}

// outputFormat is one response_format: the service format it is encoded in
// and the sample rate. Every format is 24 kHz, as OpenAI's are; pcm is
// headerless 16-bit little-endian mono.
type outputFormat struct {
	Name, Service string
	Rate          int
}

var outputFormats = map[string]outputFormat{
	"mp3":  {"mp3", "mp3", 24000},
	"opus": {"opus", "opus", 24000},
	"aac":  {"aac", "aac", 24000},
	"flac": {"flac", "flac", 24000},
	"wav":  {"wav", "wav", 24000},
	"pcm":  {"pcm", "pcm", 24000},
}

// Speed limits: OpenAI accepts 0.25–4; voxclone's engine speaks 0.5–2 and
// values between the two ranges are clamped to the engine's.
const (
	minSpeed, maxSpeed             = 0.25, 4.0
	minEngineSpeed, maxEngineSpeed = 0.5, 2.0
)

// SpeechRequest is a checked POST /v1/audio/speech body.
type SpeechRequest struct {
	Model  string
	Input  string
	Voice  string // a voice id or name
	Format outputFormat
	Speed  float64 // within the engine's range
	SSE    bool    // stream_format "sse"
}

type speechBody struct {
	Model          string          `json:"model"`
	Input          string          `json:"input"`
	Voice          json.RawMessage `json:"voice"`
	ResponseFormat string          `json:"response_format"`
	Speed          *float64        `json:"speed"`
	Instructions   string          `json:"instructions"` // accepted and ignored
	StreamFormat   string          `json:"stream_format"`
}

// ParseSpeech decodes and checks a speech request body; maxText is the
// longest input in characters. Errors are app errors naming the field.
func ParseSpeech(data []byte, maxText int) (SpeechRequest, error) {
	var b speechBody
	if err := compat.DecodeJSON(data, &b); err != nil {
		return SpeechRequest{}, err
	}
	req := SpeechRequest{Model: strings.TrimSpace(b.Model)}
	if err := checkModel(req.Model); err != nil {
		return SpeechRequest{}, err
	}
	var err error
	if req.Input, err = compat.Text("input", b.Input, maxText); err != nil {
		return SpeechRequest{}, err
	}
	if req.Voice, err = voiceRef(b.Voice); err != nil {
		return SpeechRequest{}, err
	}
	if req.Format, err = parseFormat(b.ResponseFormat); err != nil {
		return SpeechRequest{}, err
	}
	if req.Speed, err = engineSpeed(b.Speed); err != nil {
		return SpeechRequest{}, err
	}
	switch b.StreamFormat {
	case "", "audio":
	case "sse":
		req.SSE = true
	default:
		return SpeechRequest{}, compat.Fieldf("stream_format", app.EInvalid, "'stream_format' must be \"audio\" or \"sse\".")
	}
	return req, nil
}

func checkModel(model string) error {
	if model == "" {
		return compat.Fieldf("model", app.EInvalid, "'model' is required: one of %s.", strings.Join(Models, ", "))
	}
	for _, m := range Models {
		if model == m {
			return nil
		}
	}
	return compat.WithReason(compat.ReasonBadModel, compat.Fieldf("model", app.EInvalid,
		"Unknown model %q: use one of %s (all are voxclone's engine).", compat.Clip(model, 40), strings.Join(Models, ", ")))
}

// voiceRef reads "voice": a string, or an object {"id": …} as OpenAI's
// custom voices are given.
func voiceRef(raw json.RawMessage) (string, error) {
	var ref string
	if len(raw) > 0 && raw[0] == '{' {
		var obj struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &obj) == nil {
			ref = obj.ID
		}
	} else if len(raw) > 0 && json.Unmarshal(raw, &ref) != nil {
		return "", compat.Fieldf("voice", app.EInvalid, "'voice' must be a voice id or name, or {\"id\": …}.")
	}
	if strings.TrimSpace(ref) == "" {
		return "", compat.Fieldf("voice", app.EInvalid, "'voice' is required: the id or name of one of your voices (GET /v1/audio/voices lists them).")
	}
	return strings.TrimSpace(ref), nil
}

func parseFormat(name string) (outputFormat, error) {
	if name == "" {
		name = "mp3"
	}
	f, ok := outputFormats[name]
	if !ok {
		return outputFormat{}, compat.WithReason(compat.ReasonBadFormat, compat.Fieldf("response_format", app.EInvalid,
			"Unsupported response_format %q: use mp3, opus, aac, flac, wav or pcm.", compat.Clip(name, 40)))
	}
	return f, nil
}

// engineSpeed checks OpenAI's range and clamps into the engine's.
func engineSpeed(speed *float64) (float64, error) {
	if speed == nil {
		return 1, nil
	}
	s := *speed
	if !(s >= minSpeed && s <= maxSpeed) {
		return 0, compat.Fieldf("speed", app.EInvalid, "'speed' must be between 0.25 and 4.0.")
	}
	return min(max(s, minEngineSpeed), maxEngineSpeed), nil
}

// voiceAliases maps OpenAI's voice names onto voxclone's built-in voices,
// so that code naming them runs unchanged: the voices OpenAI describes as
// female speak as slt, the male ones as rms, and fable (British) as awb.
// A voice of the caller's with such a name comes first.
var voiceAliases = map[string]string{
	"alloy": "slt", "coral": "slt", "nova": "slt", "sage": "slt", "shimmer": "slt", "marin": "slt",
	"ash": "rms", "ballad": "rms", "echo": "rms", "onyx": "rms", "verse": "rms", "cedar": "rms",
	"fable": "awb",
}

// Speech serves POST /v1/audio/speech: the audio itself, sent as it is
// produced, or with stream_format "sse" a text/event-stream of
// speech.audio.delta events and a final speech.audio.done. The request
// spends the synthesize budget once it is known to be valid.
func (h *Handler) Speech(w http.ResponseWriter, r *http.Request, u app.User) {
	data, err := compat.ReadBody(w, r, h.maxJSON)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	req, err := ParseSpeech(data, app.MaxStreamTextRunes)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	v, err := compat.FindVoice(r.Context(), h.svc, u.ID, req.Voice, "voice", voiceAliases)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	sp, st, err := h.svc.StartSpeech(r.Context(), u.ID, v.Input(app.SynthesizeInput{
		Text: req.Input, Format: req.Format.Service, Speed: req.Speed, SampleRate: req.Format.Rate,
	}))
	respond.SetRateHeaders(w, st, err)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	if req.SSE {
		h.streamEvents(w, r, req, sp)
		return
	}
	sw := respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) {
		hd.Set("Content-Type", sp.ContentType())
		hd.Set("X-Synthesis-Id", sp.Synthesis().ID)
	})
	if _, err := sp.Stream(r.Context(), sw, nil); err != nil {
		sw.Fail(r, h.log, err, WriteError)
	}
}
