package elevenlabs

import (
	"net/url"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// DefaultModel is the model_id used when a request names none, as on
// ElevenLabs.
const DefaultModel = "eleven_multilingual_v2"

// VoiceSettings are ElevenLabs' per-request voice controls. Only
// similarity_boost and speed change voxclone's speech (docs/compat.md):
// similarity_boost is voxclone's similarity (0 is the plain base voice, 1
// the speaker's), speed its speed. Stability, style and use_speaker_boost
// are checked and ignored.
type VoiceSettings struct {
	Stability       *float64 `json:"stability,omitempty"`
	SimilarityBoost *float64 `json:"similarity_boost,omitempty"`
	Style           *float64 `json:"style,omitempty"`
	Speed           *float64 `json:"speed,omitempty"`
	UseSpeakerBoost *bool    `json:"use_speaker_boost,omitempty"`
}

// ttsBody is the JSON body of the text-to-speech routes. Members voxclone
// has no use for (seed, previous_text, pronunciation dictionaries, …) are
// ignored.
type ttsBody struct {
	Text          string         `json:"text"`
	ModelID       string         `json:"model_id"`
	VoiceSettings *VoiceSettings `json:"voice_settings"`
}

// TTSRequest is a checked text-to-speech request.
type TTSRequest struct {
	Text       string // trimmed, as spoken
	Original   string // as sent, which the alignment covers
	ModelID    string
	Format     outputFormat
	Speed      float64  // 0 means 1
	Similarity *float64 // nil means voxclone's default
}

// ParseTTS decodes and checks a text-to-speech body and its query
// (output_format; enable_logging and optimize_streaming_latency are
// accepted and ignored). maxText is the longest text in characters.
func ParseTTS(body []byte, query url.Values, maxText int) (TTSRequest, error) {
	var b ttsBody
	if err := compat.DecodeJSON(body, &b); err != nil {
		return TTSRequest{}, err
	}
	var req TTSRequest
	var err error
	if req.Format, err = parseOutputFormat(query.Get("output_format")); err != nil {
		return TTSRequest{}, err
	}
	req.Original = b.Text
	if req.Text, err = compat.Text("text", b.Text, maxText); err != nil {
		return TTSRequest{}, err
	}
	if req.ModelID, err = checkModel(b.ModelID); err != nil {
		return TTSRequest{}, err
	}
	if b.VoiceSettings != nil {
		req.Speed, req.Similarity, err = b.VoiceSettings.controls()
	}
	return req, err
}

// checkModel accepts the model ids GET /v1/models lists.
func checkModel(id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return DefaultModel, nil
	}
	for _, m := range models {
		if m.ModelID == id {
			return id, nil
		}
	}
	return "", compat.WithReason(compat.ReasonBadModel, compat.Fieldf("model_id", app.EInvalid,
		"Unknown model_id %q: GET /v1/models lists the ones voxclone accepts (all are its one engine).", compat.Clip(id, 40)))
}

// controls checks the settings and maps them onto voxclone's speed and
// similarity.
func (s VoiceSettings) controls() (float64, *float64, error) {
	for _, f := range []struct {
		name string
		v    *float64
	}{{"stability", s.Stability}, {"similarity_boost", s.SimilarityBoost}, {"style", s.Style}} {
		if f.v != nil && !(*f.v >= 0 && *f.v <= 1) {
			return 0, nil, compat.Fieldf("voice_settings."+f.name, app.EInvalid, "voice_settings.%s must be between 0 and 1.", f.name)
		}
	}
	speed := 0.0
	if s.Speed != nil {
		speed = *s.Speed
		if !(speed >= 0.5 && speed <= 2) {
			return 0, nil, compat.Fieldf("voice_settings.speed", app.EInvalid, "voice_settings.speed must be between 0.5 and 2.")
		}
	}
	return speed, s.SimilarityBoost, nil
}
