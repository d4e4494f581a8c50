package elevenlabs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/compat/compattest"
)

func TestOpenAPISchemas(t *testing.T) {
	compattest.CheckOpenAPI(t, OpenAPI(), map[string]any{
		"TextToSpeechRequest": ttsBody{}, "VoiceSettings": VoiceSettings{}, "AddVoiceResponse": addVoiceResponse{},
		"DeleteVoiceResponse": deleteResponse{}, "Voice": Voice{}, "VoiceSample": VoiceSample{},
		"GetVoicesResponse": voicesResponse{}, "GetVoicesV2Response": searchPage{}, "Alignment": Alignment{},
		"AudioWithTimestamps": timedAudio{}, "HistoryItem": HistoryItem{}, "GetSpeechHistoryResponse": historyPage{},
		"Model": Model{}, "Language": Language{}, "User": User{}, "Subscription": Subscription{}, "Price": Price{},
		"Error": errorBody{},
	})
}

// sdkFormats are the output_format values of @elevenlabs/elevenlabs-js
// 2.73 (TextToSpeechConvertRequestOutputFormat) that voxclone writes: all
// but alaw_8000.
var sdkFormats = []string{"mp3_22050_32", "mp3_24000_48", "mp3_44100_128", "mp3_44100_192", "mp3_44100_32",
	"mp3_44100_64", "mp3_44100_96", "opus_48000_128", "opus_48000_192", "opus_48000_32", "opus_48000_64",
	"opus_48000_96", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_32000", "pcm_44100", "pcm_48000", "pcm_8000",
	"ulaw_8000", "wav_16000", "wav_22050", "wav_24000", "wav_32000", "wav_44100", "wav_48000", "wav_8000"}

func TestOutputFormats(t *testing.T) {
	if got := OutputFormats(); strings.Join(got, ",") != strings.Join(slices.Sorted(slices.Values(sdkFormats)), ",") {
		t.Errorf("OutputFormats = %v\nwant %v", got, slices.Sorted(slices.Values(sdkFormats)))
	}
	for _, name := range sdkFormats {
		f, err := parseOutputFormat(name)
		parts := strings.Split(name, "_")
		if err != nil || f.Name != name || parts[1] != strconv.Itoa(f.Rate) || (len(parts) == 3) != (f.Bitrate > 0) {
			t.Errorf("%s: %+v, %v", name, f, err)
		}
	}
	if f, err := parseOutputFormat(""); err != nil || f.Name != DefaultOutputFormat {
		t.Errorf("default format: %+v, %v", f, err)
	}
	for _, bad := range []string{"alaw_8000", "mp3", "mp3_44100_320", "pcm_11025", "flac_44100"} {
		_, err := parseOutputFormat(bad)
		if app.ErrorCode(err) != app.EInvalid || compat.FieldOf(err) != "output_format" || compat.ReasonOf(err) != compat.ReasonBadFormat {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestParseTTS(t *testing.T) {
	q := url.Values{"output_format": {"pcm_16000"}, "enable_logging": {"false"}, "optimize_streaming_latency": {"3"}}
	req, err := ParseTTS([]byte(`{"text":" Hello there. ","model_id":"eleven_flash_v2_5","seed":4,"previous_text":"x",
		"voice_settings":{"stability":0.5,"similarity_boost":0.75,"style":0,"speed":1.1,"use_speaker_boost":true}}`), q, 100)
	if err != nil || req.Text != "Hello there." || req.ModelID != "eleven_flash_v2_5" || req.Format.Name != "pcm_16000" ||
		req.Speed != 1.1 || req.Similarity == nil || *req.Similarity != 0.75 {
		t.Fatalf("ParseTTS = %+v, %v", req, err)
	}
	req, err = ParseTTS([]byte(`{"text":"Hi"}`), nil, 100)
	if err != nil || req.ModelID != DefaultModel || req.Speed != 0 || req.Similarity != nil || req.Format.Name != DefaultOutputFormat {
		t.Fatalf("ParseTTS defaults = %+v, %v", req, err)
	}
	for _, tt := range []struct {
		body, query, code, field string
	}{
		{`{"text":""}`, "", app.EInvalid, "text"},
		{`{"text":"` + strings.Repeat("é", 101) + `"}`, "", app.ETooLarge, "text"},
		{`{"text":"Hi","model_id":"gpt-4"}`, "", app.EInvalid, "model_id"},
		{`{"text":"Hi"}`, "output_format=alaw_8000", app.EInvalid, "output_format"},
		{`{"text":"Hi","voice_settings":{"stability":1.5}}`, "", app.EInvalid, "voice_settings.stability"},
		{`{"text":"Hi","voice_settings":{"similarity_boost":-0.1}}`, "", app.EInvalid, "voice_settings.similarity_boost"},
		{`{"text":"Hi","voice_settings":{"speed":3}}`, "", app.EInvalid, "voice_settings.speed"},
		{`{"text":"Hi","voice_settings":"fast"}`, "", app.EInvalid, "voice_settings"},
		{`not json`, "", app.EInvalid, ""},
	} {
		q, _ := url.ParseQuery(tt.query)
		_, err := ParseTTS([]byte(tt.body), q, 100)
		if app.ErrorCode(err) != tt.code || compat.FieldOf(err) != tt.field {
			t.Errorf("%.50s?%s: %v (field %q), want %s on %q", tt.body, tt.query, err, compat.FieldOf(err), tt.code, tt.field)
		}
	}
}

func TestWAVBody(t *testing.T) {
	pcm := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 4000)}
	for i := range pcm.Samples {
		pcm.Samples[i] = float32(i%50) / 60
	}
	var wav bytes.Buffer
	if err := codec.Encode(context.Background(), &wav, pcm, audio.FormatULaw, codec.EncodeOptions{}); err != nil {
		t.Fatal(err)
	}
	whole, err := stripWAV(wav.Bytes())
	// voxclone's μ-law WAV at 8 kHz: 4000 samples at 16 kHz become 2000 bytes.
	if err != nil || len(whole) != 2000 || !bytes.HasSuffix(wav.Bytes(), whole) {
		t.Fatalf("stripWAV: %d bytes, %v; want the 2000 μ-law bytes at 8 kHz", len(whole), err)
	}
	var out bytes.Buffer
	b := &wavBody{w: &out}
	for _, c := range wav.Bytes() { // a byte at a time, as a stream may arrive
		if _, err := b.Write([]byte{c}); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out.Bytes(), whole) {
		t.Errorf("byte-wise stripping gave %d bytes, want %d", out.Len(), len(whole))
	}
	for _, bad := range [][]byte{[]byte("RIFX0000WAVEfmt "), append([]byte("RIFF0000WAVEjunk\xff\xff\xff\x7f"), make([]byte, 8)...)} {
		if _, err := stripWAV(bad); err == nil {
			t.Errorf("stripWAV(%q) accepted", bad)
		}
	}
}

func TestWriteError(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, tt := range []struct {
		err    error
		status int
		name   string
	}{
		{compat.WithReason(compat.ReasonVoiceNotFound, app.Errorf(app.ENotFound, "no voice")), 404, "voice_not_found"},
		{compat.WithReason(compat.ReasonTextTooLong, compat.Fieldf("text", app.ETooLarge, "at most 5,000")), 413, "max_character_limit_exceeded"},
		{compat.WithReason(compat.ReasonVoiceNotReady, app.Errorf(app.EUnprocessable, "failed")), 422, "voice_not_ready"},
		{app.Errorf(app.EInvalid, "bad"), 400, "invalid_request"},
		{app.Errorf(app.ERateLimited, "slow"), 429, "too_many_requests"},
		{errors.New("secret detail"), 500, "internal_error"},
	} {
		rec := httptest.NewRecorder()
		WriteError(rec, httptest.NewRequest("GET", "/elevenlabs/v1/voices", nil), log, tt.err)
		body := rec.Body.String()
		if rec.Code != tt.status || !strings.Contains(body, `{"detail":{"status":"`+tt.name+`","message":"`) || strings.Contains(body, "secret") {
			t.Errorf("%v: %d %s", tt.err, rec.Code, body)
		}
	}
}

func TestCredentials(t *testing.T) {
	for key, ok := range map[string]bool{"vxk_abc": true, " vxk_abc ": true, "": false, "eyJ.x.y": false, "sk_live": false} {
		r := httptest.NewRequest("GET", "/elevenlabs/v1/user", nil)
		r.Header.Set("xi-api-key", key)
		r.Header.Set("Authorization", "Bearer vxk_abc") // not ElevenLabs' scheme
		got, err := Credentials(r)
		if (err == nil) != ok || (!ok && app.ErrorCode(err) != app.EUnauthorized) || (ok && got != "vxk_abc") {
			t.Errorf("xi-api-key %q: %q, %v", key, got, err)
		}
	}
}

func stripWAV(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	_, err := (&wavBody{w: &buf}).Write(data)
	return buf.Bytes(), err
}
