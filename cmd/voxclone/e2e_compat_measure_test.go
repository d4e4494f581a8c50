package main

import (
	"os"
	"testing"
	"time"
)

// TestCompatMeasure measures the compatible routes as TestStreamMeasure
// measures the native one, beside it in the same run: time to the first
// audio byte and to the end through POST /v1/audio/speech (every format,
// and server-sent events) and ElevenLabs' text-to-speech stream (several
// output formats, and with timestamps), for 200 and 2,000 characters, and
// 40,000 in every OpenAI format and ElevenLabs stream format, in a cloned
// voice. It takes many minutes, so it runs only with VOXCLONE_MEASURE=compat;
// VOXCLONE_MEASURE=compat-long runs only the 40,000-character rows (about
// five minutes each under load). docs/performance.md has its figures.
func TestCompatMeasure(t *testing.T) {
	mode := os.Getenv("VOXCLONE_MEASURE")
	if mode != "compat" && mode != "compat-long" {
		t.Skip("set VOXCLONE_MEASURE=compat (or compat-long) to measure the compatible routes (minutes)")
	}
	bin := buildBinary(t)
	wav, transcript := realSpeech(t, "vctk_p225", 25)
	s := startServer(t, bin, dataDir(t), "VOXCLONE_RATE_LIMIT=10000/h")
	c := register(t, s.URL, "measure@example.com")
	form, ct := uploadForm(wav, "me.wav", map[string]string{"transcript": transcript})
	var sample struct{ ID string }
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &sample)
	m := c.clone(map[string]any{"name": "Me", "sample_ids": []string{sample.ID}})
	var key struct{ Secret string }
	c.json("POST", "/api/auth/keys", map[string]string{"name": "measure"}, 201, &key)
	bearer := map[string]string{"Authorization": "Bearer " + key.Secret}
	xi := map[string]string{"xi-api-key": key.Secret}
	timedSynthesis(t, c, map[string]any{"model_id": m.ID, "text": "Warm up.", "format": "wav"})

	type route struct {
		name string
		url  string
		hdr  map[string]string
		body func(text string) map[string]any
	}
	native := func(f string) route {
		return route{"native " + f, s.URL + "/api/voice/synthesize", map[string]string{"Authorization": "Bearer " + c.token},
			func(text string) map[string]any { return map[string]any{"model_id": m.ID, "text": text, "format": f} }}
	}
	openai := func(f, stream string) route {
		return route{"openai " + f + stream, s.URL + "/v1/audio/speech", bearer, func(text string) map[string]any {
			return map[string]any{"model": "tts-1", "voice": m.ID, "input": text, "response_format": f, "stream_format": map[string]string{"": "audio", " sse": "sse"}[stream]}
		}}
	}
	eleven := func(f, path string) route {
		return route{"elevenlabs " + f + path, s.URL + "/elevenlabs/v1/text-to-speech/" + m.ID + path + "?output_format=" + f, xi,
			func(text string) map[string]any { return map[string]any{"text": text} }}
	}
	routes := []route{native("mp3")}
	for _, f := range []string{"mp3", "opus", "aac", "flac", "wav", "pcm"} {
		routes = append(routes, openai(f, ""))
	}
	routes = append(routes, openai("mp3", " sse"), eleven("mp3_44100_128", "/stream"), eleven("pcm_16000", "/stream"),
		eleven("ulaw_8000", "/stream"), eleven("mp3_44100_128", "/stream/with-timestamps"), eleven("mp3_44100_128", "/with-timestamps"))

	t.Logf("| characters | route | first byte (median of runs) | total | bytes |")
	short := []int{200, 2000}
	if mode == "compat-long" {
		short = nil
	}
	for _, n := range short {
		text := proseText(n)
		for _, r := range routes {
			var firsts, totals []time.Duration
			var size int
			for range map[int]int{200: 5, 2000: 2}[n] {
				st := timedPost(t, r.url, r.hdr, r.body(text))
				firsts, totals, size = append(firsts, st.first), append(totals, st.total), st.bytes
			}
			t.Logf("| %d | %s | %v (%v) | %v | %d |", len(text), r.name, median(firsts).Round(time.Millisecond),
				roundAll(firsts), median(totals).Round(10*time.Millisecond), size)
		}
	}
	text := proseText(40000)
	// The formats whose 40,000-character row is not yet in the docs run first.
	long := []route{}
	for _, f := range []string{"opus", "aac", "flac", "wav", "pcm"} {
		long = append(long, openai(f, ""))
	}
	long = append(long, eleven("pcm_16000", "/stream"), eleven("ulaw_8000", "/stream"),
		openai("mp3", ""), eleven("mp3_44100_128", "/stream"), native("mp3"))
	for _, r := range long {
		st := timedPost(t, r.url, r.hdr, r.body(text))
		t.Logf("| %d | %s | %v | %v | %d |", len(text), r.name, st.first.Round(time.Millisecond), st.total.Round(time.Second), st.bytes)
	}
}
