package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// addVoiceForm is a voices/add body as ElevenLabs' SDK builds it.
func addVoiceForm(name string, files ...[]byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("name", name)
	for i, f := range files {
		fw, _ := mw.CreateFormFile("files", "take"+string(rune('1'+i))+".wav")
		fw.Write(f)
	}
	mw.WriteField("remove_background_noise", "true")
	mw.WriteField("description", "Read in a quiet room")
	mw.WriteField("labels", `{"accent":"british"}`)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// elevenVoice is the part of a voice object the tests look at.
type elevenVoice struct {
	VoiceID     string `json:"voice_id"`
	Name        string
	Category    string
	Description string
	Samples     []struct {
		SampleID string `json:"sample_id"`
		FileName string `json:"file_name"`
	}
	Labels map[string]string
}

// TestElevenLabsVoices clones through voices/add and walks the voice
// routes: list, search with paging, get, delete.
func TestElevenLabsVoices(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("el@example.com", true)
		e.clock.Advance(time.Second) // newest first needs distinct times
		body, ct := addVoiceForm("Grandpa", speechWAV(t))
		var added struct {
			VoiceID              string `json:"voice_id"`
			RequiresVerification *bool  `json:"requires_verification"`
		}
		e.expect(u.eleven("POST", "/elevenlabs/v1/voices/add", body, "Content-Type", ct), 200, &added)
		if added.VoiceID == "" || added.RequiresVerification == nil || *added.RequiresVerification {
			t.Fatalf("voices/add = %+v", added)
		}
		var v elevenVoice
		e.expect(u.eleven("GET", "/elevenlabs/v1/voices/"+added.VoiceID, nil), 200, &v)
		if v.Name != "Grandpa" || v.Category != "cloned" || v.Description != "Read in a quiet room" || len(v.Samples) != 1 || v.Samples[0].FileName != "take1" {
			t.Errorf("voice = %+v", v)
		}
		var all struct{ Voices []elevenVoice }
		e.expect(u.eleven("GET", "/elevenlabs/v1/voices", nil), 200, &all)
		if len(all.Voices) != 5 || all.Voices[0].VoiceID != added.VoiceID || all.Voices[2].Category != "premade" || all.Voices[2].VoiceID != "slt" {
			t.Errorf("v1/voices lists %+v, want the 2 cloned voices, newest first, then the 3 premade ones", all.Voices)
		}
		var premade elevenVoice
		e.expect(u.eleven("GET", "/elevenlabs/v1/voices/awb", nil), 200, &premade)
		if premade.Category != "premade" || premade.Labels["accent"] != "Scottish" {
			t.Errorf("premade voice = %+v", premade)
		}
		e.expectElevenError(u.eleven("DELETE", "/elevenlabs/v1/voices/awb", nil), 400, "invalid_request", "premade")
		checkSearch(t, e, u, added.VoiceID)

		e.expect(u.eleven("DELETE", "/elevenlabs/v1/voices/"+added.VoiceID, nil), 200, nil)
		e.expectElevenError(u.eleven("GET", "/elevenlabs/v1/voices/"+added.VoiceID, nil), 404, "voice_not_found", added.VoiceID)
		e.expectElevenError(u.eleven("DELETE", "/elevenlabs/v1/voices/"+added.VoiceID, nil), 404, "voice_not_found", "")
		var samples struct{ Items []app.Sample }
		e.expect(e.do("GET", "/api/voice/samples", u.token, nil), 200, &samples)
		if len(samples.Items) != 2 {
			t.Errorf("after deleting the voice %d samples remain, want both", len(samples.Items))
		}
	})
}

// checkSearch pages through GET /v2/voices one voice at a time and filters.
func checkSearch(t *testing.T, e *env, u *compatUser, grandpa string) {
	var ids []string
	token := ""
	for range 3 {
		var page struct {
			Voices        []elevenVoice
			HasMore       bool    `json:"has_more"`
			TotalCount    int     `json:"total_count"`
			NextPageToken *string `json:"next_page_token"`
		}
		e.expect(u.eleven("GET", "/elevenlabs/v2/voices?voice_type=personal&page_size=1&include_total_count=true&next_page_token="+token, nil), 200, &page)
		if len(page.Voices) != 1 || page.TotalCount != 2 {
			t.Fatalf("search page = %+v", page)
		}
		ids = append(ids, page.Voices[0].VoiceID)
		if !page.HasMore {
			break
		}
		token = *page.NextPageToken
	}
	if len(ids) != 2 || ids[0] != grandpa || ids[1] != u.model.ID {
		t.Errorf("paged ids = %v, want newest first [%s %s]", ids, grandpa, u.model.ID)
	}
	var found struct{ Voices []elevenVoice }
	e.expect(u.eleven("GET", "/elevenlabs/v2/voices?search=grand", nil), 200, &found)
	if len(found.Voices) != 1 || found.Voices[0].VoiceID != grandpa {
		t.Errorf("search=grand found %+v", found.Voices)
	}
	var defaults struct{ Voices []elevenVoice }
	e.expect(u.eleven("GET", "/elevenlabs/v2/voices?voice_type=default&sort=name", nil), 200, &defaults)
	if len(defaults.Voices) != 3 || defaults.Voices[0].VoiceID != "awb" {
		t.Errorf("voice_type=default found %+v, want the 3 premade voices by name", defaults.Voices)
	}
	e.expectElevenError(u.eleven("GET", "/elevenlabs/v2/voices?next_page_token=bogus", nil), 400, "invalid_request", "next_page_token")
}

// TestElevenLabsSpeech speaks through the four text-to-speech routes in
// several output formats, with voice settings and timestamps, and reads
// the results back through the history routes.
func TestElevenLabsSpeech(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("tts@example.com", true)
		path := "/elevenlabs/v1/text-to-speech/" + u.model.ID
		text := "The first move is what sets everything in motion."
		for _, f := range []struct {
			format, ctype string
			rate          int
		}{
			{"", "audio/mpeg", 44100}, {"mp3_22050_32", "audio/mpeg", 22050}, {"opus_48000_64", "audio/ogg; codecs=opus", 48000},
			{"wav_16000", "audio/wav", 16000}, {"pcm_22050", "application/octet-stream", 0}, {"ulaw_8000", "audio/basic", 0},
		} {
			data, pcm := e.audioOf(u.eleven("POST", path+"?output_format="+f.format, map[string]any{"text": text, "model_id": "eleven_multilingual_v2"}), f.ctype)
			switch {
			case pcm != nil && pcm.Rate != f.rate:
				t.Errorf("%s: %d Hz, want %d", f.format, pcm.Rate, f.rate)
			case f.format == "ulaw_8000" && (bytes.HasPrefix(data, []byte("RIFF")) || len(data) < 8000):
				t.Errorf("ulaw_8000: %d bytes starting %q, want bare μ-law at 8 kHz", len(data), data[:min(4, len(data))])
			case f.format == "pcm_22050" && (len(data)%2 != 0 || len(data) < 22050):
				t.Errorf("pcm_22050: %d bytes", len(data))
			}
		}
		streamed, _ := e.audioOf(u.eleven("POST", path+"/stream?output_format=mp3_44100_64", map[string]any{"text": text,
			"voice_settings": map[string]any{"stability": 0.3, "similarity_boost": 0, "style": 0.2, "speed": 1.2}}), "audio/mpeg")
		checkTimestamps(t, e, u, path, text)
		checkElevenHistory(t, e, u, streamed)
	})
}

// checkTimestamps reads both with-timestamps routes: the audio decodes and
// the alignment covers every character of the text in order.
func checkTimestamps(t *testing.T, e *env, u *compatUser, path, text string) {
	var one timedChunk
	e.expect(u.eleven("POST", path+"/with-timestamps?output_format=mp3_44100_128", map[string]any{"text": " " + text}), 200, &one)
	one.check(t, e, " "+text)

	resp := u.eleven("POST", path+"/stream/with-timestamps", map[string]any{"text": text})
	if resp.StatusCode != 200 {
		t.Fatalf("stream/with-timestamps: %d", resp.StatusCode)
	}
	var all timedChunk
	var pieces []byte
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		var c timedChunk
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("stream/with-timestamps line: %v", err)
		}
		audio, err := base64.StdEncoding.DecodeString(c.AudioBase64)
		if err != nil {
			t.Fatalf("stream/with-timestamps audio: %v", err)
		}
		pieces = append(pieces, audio...) // MP3 frames concatenate
		all.Alignment.Characters = append(all.Alignment.Characters, c.Alignment.Characters...)
		all.Alignment.Starts = append(all.Alignment.Starts, c.Alignment.Starts...)
		all.Alignment.Ends = append(all.Alignment.Ends, c.Alignment.Ends...)
	}
	all.AudioBase64 = base64.StdEncoding.EncodeToString(pieces)
	all.NormalizedAlignment = all.Alignment
	all.check(t, e, text)
}

type alignment struct {
	Characters []string  `json:"characters"`
	Starts     []float64 `json:"character_start_times_seconds"`
	Ends       []float64 `json:"character_end_times_seconds"`
}

type timedChunk struct {
	AudioBase64         string    `json:"audio_base64"`
	Alignment           alignment `json:"alignment"`
	NormalizedAlignment alignment `json:"normalized_alignment"`
}

func (c timedChunk) check(t *testing.T, e *env, text string) {
	t.Helper()
	data, err := base64.StdEncoding.DecodeString(c.AudioBase64)
	if err != nil {
		t.Fatal(err)
	}
	pcm, _, err := codec.Decode(e.t.Context(), data)
	if err != nil {
		t.Fatalf("timestamped audio: %v", err)
	}
	a := c.Alignment
	if strings.Join(a.Characters, "") != text || len(a.Starts) != len(a.Characters) || len(a.Ends) != len(a.Characters) {
		t.Fatalf("alignment covers %q, want %q", strings.Join(a.Characters, ""), text)
	}
	for i := range a.Starts {
		if a.Ends[i] < a.Starts[i] || (i > 0 && a.Starts[i] < a.Starts[i-1]) || a.Ends[i] > pcm.Seconds()+0.05 {
			t.Fatalf("character %d %q at %v–%v (audio %.2f s)", i, a.Characters[i], a.Starts[i], a.Ends[i], pcm.Seconds())
		}
	}
	if strings.Join(c.NormalizedAlignment.Characters, "") == "" {
		t.Errorf("no normalized_alignment")
	}
}

// checkElevenHistory pages the history one item at a time and downloads
// the streamed synthesis again.
func checkElevenHistory(t *testing.T, e *env, u *compatUser, streamed []byte) {
	var seen []map[string]any
	after := ""
	for range 20 {
		var page struct {
			History []map[string]any
			Last    *string `json:"last_history_item_id"`
			HasMore bool    `json:"has_more"`
		}
		e.expect(u.eleven("GET", "/elevenlabs/v1/history?page_size=1&start_after_history_item_id="+after, nil), 200, &page)
		seen = append(seen, page.History...)
		if !page.HasMore {
			break
		}
		after = *page.Last
	}
	if len(seen) != 9 {
		t.Fatalf("paged %d history items, want 9", len(seen))
	}
	var fromStream map[string]any
	for _, h := range seen {
		if h["voice_id"] != u.model.ID || h["voice_name"] != "Voice" || h["source"] != "TTS" || h["history_item_id"] == "" {
			t.Errorf("history item %v", h)
		}
		if s, _ := h["settings"].(map[string]any); s["speed"] == 1.2 {
			fromStream = h
		}
	}
	if fromStream == nil || fromStream["settings"].(map[string]any)["similarity_boost"] != 0.0 {
		t.Fatalf("no history item with speed 1.2 and similarity_boost 0: %v", seen)
	}
	resp := u.eleven("GET", "/elevenlabs/v1/history/"+fromStream["history_item_id"].(string)+"/audio", nil)
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(got, streamed) || resp.Header.Get("Content-Type") != "audio/mpeg" {
		t.Errorf("history audio: %d, %d bytes (want %d)", resp.StatusCode, len(got), len(streamed))
	}
	var filtered struct{ History []map[string]any }
	e.expect(u.eleven("GET", "/elevenlabs/v1/history?voice_id=someone-else", nil), 200, &filtered)
	if filtered.History == nil || len(filtered.History) != 0 {
		t.Errorf("voice_id filter kept %d items", len(filtered.History))
	}
	e.expectElevenError(u.eleven("GET", "/elevenlabs/v1/history?start_after_history_item_id=nope", nil), 400, "history_item_not_found", "nope")
}

// TestElevenLabsBadInput checks refusals in ElevenLabs' error shape, and
// that a failed voices/add leaves nothing behind.
func TestElevenLabsBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("elbad@example.com", true)
		path := "/elevenlabs/v1/text-to-speech/"
		e.expectElevenError(u.eleven("POST", path+"nobody", map[string]any{"text": "Hi."}), 404, "voice_not_found", "nobody")
		e.expectElevenError(u.eleven("POST", path+u.model.ID+"?output_format=alaw_8000", map[string]any{"text": "Hi."}), 400, "invalid_output_format", "A-law")
		e.expectElevenError(u.eleven("POST", path+u.model.ID, map[string]any{"text": ""}), 400, "invalid_request", "empty")
		e.expectElevenError(u.eleven("POST", path+u.model.ID+"/stream", map[string]any{"text": strings.Repeat("a", app.MaxStreamTextRunes+1)}), 413,
			"max_character_limit_exceeded", "100,000")
		e.expectElevenError(u.eleven("POST", path+u.model.ID, map[string]any{"text": "Hi.", "model_id": "gpt-4o"}), 400, "model_not_found", "gpt-4o")
		e.expectElevenError(u.eleven("POST", path+u.model.ID, map[string]any{"text": "Hi.", "voice_settings": map[string]any{"speed": 5}}), 400, "invalid_request", "speed")
		e.expectElevenError(e.call("POST", path+u.model.ID, nil, map[string]any{"text": "Hi."}), 401, "needs_authorization", "xi-api-key")
		e.expectElevenError(e.call("GET", "/elevenlabs/v1/voices", map[string]string{"xi-api-key": u.token}, nil), 401, "invalid_api_key", "vxk_")
		e.expectElevenError(u.eleven("GET", "/elevenlabs/v1/history/nope/audio", nil), 404, "history_item_not_found", "")

		broken := app.Model{ID: app.NewID(), UserID: u.id, Name: "Broken", Status: app.ModelFailed,
			Failure: "The voice could not be built: not enough speech", SampleIDs: []string{u.sample.ID}, Engine: "test",
			CreatedAt: app.Timestamp(time.Now()), UpdatedAt: app.Timestamp(time.Now())}
		if err := store.CreateModel(t.Context(), broken, nil); err != nil {
			t.Fatal(err)
		}
		e.expectElevenError(u.eleven("POST", path+broken.ID+"/with-timestamps", map[string]any{"text": "Hi."}), 422, "voice_not_ready", "not enough speech")
		var v elevenVoice
		e.expect(u.eleven("GET", "/elevenlabs/v1/voices/"+broken.ID, nil), 200, &v)
		if v.Labels["voxclone_status"] != app.ModelFailed {
			t.Errorf("failed voice labels = %v", v.Labels)
		}

		// voices/add with too little speech, no files, or no form.
		body, ct := addVoiceForm("Short", speechWAV(t), shortWAV(t))
		e.expectElevenError(u.eleven("POST", "/elevenlabs/v1/voices/add", body, "Content-Type", ct), 422, "unprocessable", "speech")
		body, ct = addVoiceForm("Nothing")
		e.expectElevenError(u.eleven("POST", "/elevenlabs/v1/voices/add", body, "Content-Type", ct), 400, "invalid_request", "files")
		e.expectElevenError(u.eleven("POST", "/elevenlabs/v1/voices/add", map[string]string{"name": "x"}), 415, "unsupported_media_type", "multipart")
		var samples struct{ Items []app.Sample }
		e.expect(e.do("GET", "/api/voice/samples", u.token, nil), 200, &samples)
		var models struct{ Items []app.Model }
		e.expect(e.do("GET", "/api/voice/models", u.token, nil), 200, &models)
		if len(samples.Items) != 1 || len(models.Items) != 2 {
			t.Errorf("failed voices/add left %d samples and %d models, want 1 and 2", len(samples.Items), len(models.Items))
		}
	})
}

// TestElevenLabsIsolation: through /elevenlabs a user never sees, speaks
// with, deletes or downloads another user's voices and history.
func TestElevenLabsIsolation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		alice := e.newCompatUser("alice@example.com", true)
		bob := e.newCompatUser("bob@example.com", false)
		id := alice.model.ID
		resp := alice.eleven("POST", "/elevenlabs/v1/text-to-speech/"+id+"?output_format=pcm_16000", map[string]any{"text": "Only for Alice."})
		e.audioOf(resp, "application/octet-stream")
		hist := resp.Header.Get("history-item-id")

		e.expectElevenError(bob.eleven("GET", "/elevenlabs/v1/voices/"+id, nil), 404, "voice_not_found", "")
		e.expectElevenError(bob.eleven("DELETE", "/elevenlabs/v1/voices/"+id, nil), 404, "voice_not_found", "")
		for _, p := range []string{"", "/stream", "/with-timestamps", "/stream/with-timestamps"} {
			e.expectElevenError(bob.eleven("POST", "/elevenlabs/v1/text-to-speech/"+id+p, map[string]any{"text": "Hi."}), 404, "voice_not_found", "")
		}
		e.expectElevenError(bob.eleven("GET", "/elevenlabs/v1/history/"+hist+"/audio", nil), 404, "history_item_not_found", "")
		e.expectElevenError(bob.eleven("GET", "/elevenlabs/v1/history?start_after_history_item_id="+hist, nil), 400, "history_item_not_found", "")
		for _, p := range []string{"/elevenlabs/v1/voices", "/elevenlabs/v2/voices", "/elevenlabs/v2/voices?voice_ids=" + id, "/elevenlabs/v1/history"} {
			var list struct {
				Voices  []elevenVoice
				History []any
			}
			e.expect(bob.eleven("GET", p, nil), 200, &list)
			for _, v := range list.Voices {
				if v.Category != "premade" {
					t.Errorf("bob sees voice %+v at %s", v, p)
				}
			}
			if len(list.History) != 0 {
				t.Errorf("bob sees %d history items at %s", len(list.History), p)
			}
		}
		e.expect(alice.eleven("GET", "/elevenlabs/v1/voices/"+id, nil), 200, nil)
	})
}

// TestElevenLabsAccount checks the models and user routes' shapes.
func TestElevenLabsAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("acct@example.com", false)
		var models []struct {
			ModelID           string `json:"model_id"`
			CanDoTextToSpeech bool   `json:"can_do_text_to_speech"`
			MaxText           int    `json:"maximum_text_length_per_request"`
		}
		e.expect(u.eleven("GET", "/elevenlabs/v1/models", nil), 200, &models)
		if len(models) < 5 || !models[0].CanDoTextToSpeech || models[0].MaxText != app.MaxStreamTextRunes {
			t.Errorf("models = %+v", models)
		}
		var user struct {
			UserID       string `json:"user_id"`
			Subscription struct {
				Status string
				Tier   string
			}
		}
		e.expect(u.eleven("GET", "/elevenlabs/v1/user", nil), 200, &user)
		if user.UserID != u.id || user.Subscription.Status != "active" {
			t.Errorf("user = %+v", user)
		}
	})
}

// TestElevenLabsAddVoiceBudget: voices/add costs one upload per file and
// one clone when it succeeds, and nothing when it fails, as voxclone's own
// upload and clone routes do.
func TestElevenLabsAddVoiceBudget(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{rate: app.Rate{Count: 3, Window: time.Hour}})
		u := e.newCompatUser("elbudget@example.com", false)
		bad, ct := addVoiceForm("Noise", speechWAV(t), []byte("not audio at all, just bytes"))
		resp := u.eleven("POST", "/elevenlabs/v1/voices/add", bad, "Content-Type", ct)
		if resp.StatusCode/100 != 4 {
			t.Fatalf("voices/add with a file that is not audio: %d", resp.StatusCode)
		}
		if got := resp.Header.Get("RateLimit-Remaining"); got != "" && got != "3" {
			t.Errorf("failed voices/add left RateLimit-Remaining %s, want 3", got)
		}
		var samples struct{ Items []app.Sample }
		e.expect(e.do("GET", "/api/voice/samples", u.token, nil), 200, &samples)
		if len(samples.Items) != 0 {
			t.Errorf("failed voices/add left %d samples", len(samples.Items))
		}
		good, ct := addVoiceForm("Twice", speechWAV(t), speechWAV(t))
		e.expect(u.eleven("POST", "/elevenlabs/v1/voices/add", good, "Content-Type", ct), 200, nil)
		// Three uploads were allowed; the failed add gave its one back and
		// the good one spent two, so one is left, then none.
		one, ct := addVoiceForm("Once", speechWAV(t))
		e.expect(u.eleven("POST", "/elevenlabs/v1/voices/add", one, "Content-Type", ct), 200, nil)
		again, ct := addVoiceForm("Over", speechWAV(t))
		e.expectElevenError(u.eleven("POST", "/elevenlabs/v1/voices/add", again, "Content-Type", ct), 429, "too_many_requests", "")
	})
}

// TestElevenLabsAddVoiceBrokenForm: a voices/add body that is not a
// multipart form, or that ends in the middle of a file or field, is 400
// invalid_request in ElevenLabs' shape with a message saying what to send,
// as the native upload says (it used to say only "Malformed multipart
// body."), and leaves no sample behind.
func TestElevenLabsAddVoiceBrokenForm(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("elform@example.com", false)
		wav := speechWAV(t)
		body, ct := addVoiceForm("Mine", wav)
		fileCut := body[:bytes.Index(body, wav[len(wav)/2:len(wav)/2+64])]
		named, namedCT := addVoiceForm(strings.Repeat("n", 50))
		for _, c := range []struct {
			name, ct, want string
			body           []byte
		}{
			{"ErrNotAForm", ct, `send the voice's name in "name" and each recording in "files"`, []byte("no parts here at all")},
			{"ErrFileCutOff", ct, "ended before the file", fileCut},
			{"ErrFieldCutOff", namedCT, `"name" field: send the whole form again`, named[:bytes.Index(named, []byte("nnnn"))+10]},
		} {
			t.Run(c.name, func(t *testing.T) {
				e.expectElevenError(u.eleven("POST", "/elevenlabs/v1/voices/add", c.body, "Content-Type", c.ct), 400, "invalid_request", c.want)
			})
		}
		var samples struct{ Items []app.Sample }
		e.expect(e.do("GET", "/api/voice/samples", u.token, nil), 200, &samples)
		if len(samples.Items) != 0 {
			t.Errorf("broken voices/add left %d samples", len(samples.Items))
		}
	})
}
