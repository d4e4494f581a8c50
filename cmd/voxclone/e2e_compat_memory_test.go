package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestCompatLongTextMeasure sends a 100,000-character request to the
// real binary's OpenAI route (and to voxclone's own), reads the answer as
// fast as it comes while sampling the server's resident memory every
// 250 ms, then hangs up and watches the server's CPU time until it stops
// growing. 100,000 characters are about 80 minutes of speech, most of an
// hour of rendering on a loaded machine, so each request is read for at
// most VOXCLONE_MEASURE_FOR (a Go duration; default: to the end). It runs
// only with VOXCLONE_MEASURE=compat-memory; docs/performance.md has its
// figures.
func TestCompatLongTextMeasure(t *testing.T) {
	if os.Getenv("VOXCLONE_MEASURE") != "compat-memory" {
		t.Skip("set VOXCLONE_MEASURE=compat-memory to measure a 100,000-character request (minutes)")
	}
	limit := time.Duration(1<<63 - 1)
	if v := os.Getenv("VOXCLONE_MEASURE_FOR"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("VOXCLONE_MEASURE_FOR: %v", err)
		}
		limit = d
	}
	bin := buildBinary(t)
	wav, transcript := realSpeech(t, "vctk_p225", 25)
	s := startServer(t, bin, dataDir(t), "VOXCLONE_RATE_LIMIT=10000/h")
	c := register(t, s.URL, "memory@example.com")
	form, ct := uploadForm(wav, "me.wav", map[string]string{"transcript": transcript})
	var sample struct{ ID string }
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &sample)
	m := c.clone(map[string]any{"name": "Me", "sample_ids": []string{sample.ID}})
	var key struct{ Secret string }
	c.json("POST", "/api/auth/keys", map[string]string{"name": "measure"}, 201, &key)
	timedSynthesis(t, c, map[string]any{"model_id": m.ID, "text": "Warm up.", "format": "wav"})

	text := proseText(100_000)[:100_000]
	pid := s.cmd.Process.Pid
	t.Logf("idle server: %v of CPU per second", idleCPU(t, pid))
	for _, r := range []struct {
		name, url, auth string
		body            map[string]any
	}{
		{"OpenAI pcm", "/v1/audio/speech", key.Secret, map[string]any{"model": "tts-1", "voice": m.ID, "input": text, "response_format": "pcm"}},
		{"native mp3", "/api/voice/synthesize", c.token, map[string]any{"model_id": m.ID, "text": text, "format": "mp3"}},
	} {
		lm := readLong(t, s.URL+r.url, r.auth, r.body, pid, limit)
		t.Logf("%s, 100,000 characters: first byte %v; read %v, %d bytes, to the end: %v; "+
			"RSS %d MB before, peak %d MB (growth %d MB), peak in the first half %d MB, in the second %d MB; "+
			"after hanging up: CPU grew for %v more (%v of CPU), then %v in the next second",
			r.name, lm.first.Round(time.Millisecond), lm.read.Round(time.Second), lm.bytes, lm.ended,
			lm.base>>20, lm.peak>>20, (lm.peak-lm.base)>>20, lm.peakFirst>>20, lm.peakSecond>>20,
			lm.stopAfter, lm.cpuAfter, lm.cpuNextSecond)
		if growth := (lm.peak - lm.base) >> 20; growth > 100 {
			t.Errorf("%s: resident memory grew by %d MB", r.name, growth)
		}
		// Wall time: on a loaded machine the last stage of a chunk can take
		// a few seconds to finish; more means the work did not stop.
		if lm.stopAfter > 5*time.Second {
			t.Errorf("%s: the server worked for %v after the client left", r.name, lm.stopAfter)
		}
	}
}

// longMeasure is what readLong saw.
type longMeasure struct {
	first, read           time.Duration
	bytes                 int64
	ended                 bool // the answer was read to its end
	base, peak            int64
	peakFirst, peakSecond int64 // peaks in the two halves of the read
	stopAfter, cpuAfter   time.Duration
	cpuNextSecond         time.Duration
}

// readLong posts body with a bearer auth to url, reads the answer for at
// most limit, sampling pid's RSS every 250 ms, then hangs up and measures
// how long the server's CPU time kept growing.
func readLong(t *testing.T, url, auth string, body map[string]any, pid int, limit time.Duration) longMeasure {
	t.Helper()
	lm := longMeasure{base: rss(t, pid)}
	data, _ := json.Marshal(body)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+auth)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, msg)
	}
	type sample struct {
		at  time.Duration
		rss int64
	}
	var samples []sample
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				samples = append(samples, sample{time.Since(start), rss(t, pid)})
			}
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 && lm.bytes == 0 {
			lm.first = time.Since(start)
		}
		lm.bytes += int64(n)
		if err == io.EOF {
			lm.ended = true
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if time.Since(start) > limit {
			break
		}
	}
	lm.read = time.Since(start)
	close(stop)
	<-sampled
	// Hang up, and find when the server's CPU time stops growing: the
	// first 500 ms in which it grew by at most one clock tick.
	cancel()
	resp.Body.Close()
	left := time.Now()
	cpu0 := cpuTime(t, pid)
	window := []time.Duration{cpu0}
	quiet := false
	for !quiet && time.Since(left) < 30*time.Second {
		time.Sleep(100 * time.Millisecond)
		window = append(window, cpuTime(t, pid))
		if n := len(window); n > 5 && window[n-1]-window[n-6] <= 10*time.Millisecond {
			lm.stopAfter = time.Since(left) - 500*time.Millisecond
			lm.cpuAfter = window[n-6] - cpu0
			quiet = true
		}
	}
	if !quiet {
		lm.stopAfter = time.Since(left)
	}
	before := cpuTime(t, pid)
	time.Sleep(time.Second)
	lm.cpuNextSecond = cpuTime(t, pid) - before
	for _, s := range samples {
		lm.peak = max(lm.peak, s.rss)
		if s.at < lm.read/2 {
			lm.peakFirst = max(lm.peakFirst, s.rss)
		} else {
			lm.peakSecond = max(lm.peakSecond, s.rss)
		}
	}
	lm.peak = max(lm.peak, lm.base)
	return lm
}

// idleCPU is the CPU time pid uses in a second while nothing is asked.
func idleCPU(t *testing.T, pid int) time.Duration {
	before := cpuTime(t, pid)
	time.Sleep(2 * time.Second)
	return (cpuTime(t, pid) - before) / 2
}

// realSpeech is at least minSec of a speaker of the real speech set,
// joined into one WAV file, with its transcript (the measurements clone a
// human voice, as users do).
func realSpeech(t *testing.T, speaker string, minSec float64) ([]byte, string) {
	t.Helper()
	var all *audio.PCM
	var text []string
	for _, path := range speechtest.WAVs(t, speaker) {
		p := speechtest.Load(t, path)
		if all == nil {
			all = &audio.PCM{Rate: p.Rate, Channels: p.Channels}
		}
		if p.Rate != all.Rate || p.Channels != all.Channels {
			t.Fatalf("%s: %d Hz × %d, the others %d Hz × %d", path, p.Rate, p.Channels, all.Rate, all.Channels)
		}
		all.Samples = append(all.Samples, p.Samples...)
		text = append(text, speechtest.Transcript(path))
		if all.Seconds() >= minSec {
			break
		}
	}
	var buf bytes.Buffer
	if err := wav.Encode(&buf, all, wav.PCM16); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), strings.Join(text, " ")
}
