package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio/codec"
)

// prose is varied English to build texts of any length from.
var prose = []string{
	"The morning train was late again, so Anna walked the last two miles along the river.",
	"She counted the boats tied to the old wooden pier, and there were exactly seventeen of them.",
	"A fisherman waved at her and shouted something about the weather turning cold by Friday.",
	"By nine o'clock the market square was already full of people buying bread, cheese and flowers.",
	"Her brother had promised to meet her at the bookshop on the corner, but he never came.",
	"Later that afternoon the rain finally stopped, and the whole town seemed to breathe again.",
	"They spent the evening talking about the summer they had spent by the sea as children.",
	"Nobody remembered who had first suggested building the little bridge across the stream.",
}

// proseText returns at least n characters of prose, in whole sentences,
// with a paragraph break after every fourth.
func proseText(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(map[bool]string{true: "\n\n", false: " "}[i%4 == 0])
		}
		b.WriteString(prose[i%len(prose)])
	}
	return b.String()
}

// streamTiming is one measured synthesis: when the first byte of the body
// arrived and when the last did, and how many bytes came.
type streamTiming struct {
	first, total time.Duration
	bytes        int
}

// timedSynthesis posts a synthesis and reads the streamed answer, timing
// it; onByte, when set, is called with each read's running total.
func timedSynthesis(t *testing.T, c *client, body map[string]any) streamTiming {
	t.Helper()
	return timedPost(t, c.url+"/api/voice/synthesize", map[string]string{"Authorization": "Bearer " + c.token}, body)
}

// timedPost posts body as JSON to url with headers hdr and reads the
// streamed answer, timing it.
func timedPost(t *testing.T, url string, hdr map[string]string, body map[string]any) streamTiming {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(context.Background(), "POST", url, bytes.NewReader(data))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	if _, err := br.Peek(1); err != nil || resp.StatusCode != 200 {
		msg, _ := io.ReadAll(br)
		t.Fatalf("status %d: %v %s", resp.StatusCode, err, msg)
	}
	st := streamTiming{first: time.Since(start)}
	n, err := io.Copy(io.Discard, br)
	if err != nil {
		t.Fatal(err)
	}
	st.total, st.bytes = time.Since(start), int(n)
	return st
}

// TestStreamMeasure measures time to the first audio byte and to the end
// for 200, 2,000 and 40,000 characters in every format, on the real
// binary with a cloned voice, and the server's memory during a
// 100,000-character request. It takes many minutes, so it runs only with
// VOXCLONE_MEASURE=stream; docs/performance.md has its figures.
func TestStreamMeasure(t *testing.T) {
	if os.Getenv("VOXCLONE_MEASURE") != "stream" {
		t.Skip("set VOXCLONE_MEASURE=stream to measure streaming (minutes)")
	}
	bin := buildBinary(t)
	wav, transcript := realSpeech(t, "vctk_p225", 25)
	s := startServer(t, bin, dataDir(t), "VOXCLONE_RATE_LIMIT=10000/h")
	if n := os.Getenv("VOXCLONE_MEASURE_NICE"); n != "" {
		// On a machine shared with other work, a higher priority for the
		// server and this client takes the measurement out of its way.
		prio, _ := strconv.Atoi(n)
		renice(t, s.cmd.Process.Pid, prio)
		renice(t, os.Getpid(), prio)
	}
	c := register(t, s.URL, "measure@example.com")
	form, ct := uploadForm(wav, "me.wav", map[string]string{"transcript": transcript})
	var sample struct{ ID string }
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &sample)
	m := c.clone(map[string]any{"name": "Me", "sample_ids": []string{sample.ID}})
	timedSynthesis(t, c, map[string]any{"model_id": m.ID, "text": "Warm up.", "format": "wav"})

	t.Logf("| characters | format | first byte (median of runs) | total | bytes |")
	for _, n := range []int{200, 2000, 40000} {
		text := proseText(n)
		runs := map[int]int{200: 5, 2000: 3, 40000: 1}[n]
		for _, f := range codec.OutputFormats() {
			var firsts, totals []time.Duration
			var size int
			for range runs {
				st := timedSynthesis(t, c, map[string]any{"model_id": m.ID, "text": text, "format": f})
				firsts, totals, size = append(firsts, st.first), append(totals, st.total), st.bytes
			}
			t.Logf("| %d | %s | %v (%v) | %v | %d |", len(text), f, median(firsts).Round(time.Millisecond),
				roundAll(firsts), median(totals).Round(10*time.Millisecond), size)
		}
	}
	measureMemory(t, s, c, m.ID)
}

// measureMemory streams 100,000 characters while sampling the server's
// resident memory.
func measureMemory(t *testing.T, s *server, c *client, modelID string) {
	base := rss(t, s.cmd.Process.Pid)
	peak := base
	done := make(chan streamTiming)
	go func() {
		done <- timedSynthesis(t, c, map[string]any{"model_id": modelID, "text": proseText(100_000)[:100_000], "format": "mp3"})
	}()
	for {
		select {
		case st := <-done:
			t.Logf("100,000 characters as MP3: first byte %v, all %v, %d bytes; RSS %d MB before, peak %d MB (growth %d MB)",
				st.first.Round(time.Millisecond), st.total.Round(time.Second), st.bytes, base>>20, peak>>20, (peak-base)>>20)
			return
		case <-time.After(200 * time.Millisecond):
			peak = max(peak, rss(t, s.cmd.Process.Pid))
		}
	}
}

// renice sets the scheduling priority of every thread of a process; the
// threads and programs it starts later inherit it.
func renice(t *testing.T, pid, prio int) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		tid, _ := strconv.Atoi(task.Name())
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, prio); err != nil {
			t.Fatalf("renice %d: %v", tid, err)
		}
	}
	t.Logf("process %d runs at nice %d", pid, prio)
}

// rss is a process's resident memory in bytes.
func rss(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// cpuTime is the CPU time a process has used.
func cpuTime(t *testing.T, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command name (which may hold spaces) end it.
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

// TestStreamLongTextAndDisconnect runs the real binary: a 100,000-character
// request in a built-in voice streams its first audio at once; while the
// client reads slowly the server's memory stays flat (rendering waits for
// the reader); when the client disconnects the server stops working at
// once and keeps nothing in the history.
func TestStreamLongTextAndDisconnect(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	s := startServer(t, bin, dataDir(t))
	c := register(t, s.URL, "long@example.com")
	pid := s.cmd.Process.Pid
	timedSynthesis(t, c, map[string]any{"voice": "slt", "text": "Warm up.", "format": "wav"})
	base := rss(t, pid)

	data, _ := json.Marshal(map[string]any{"voice": "slt", "text": proseText(100_000)[:100_000], "format": "wav"})
	req, _ := http.NewRequest("POST", s.URL+"/api/voice/synthesize", bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, msg)
	}
	// Read a little at a time, far slower than the server renders.
	peak := base
	buf := make([]byte, 16<<10)
	for range 20 {
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		peak = max(peak, rss(t, pid))
	}
	if growth := (peak - base) >> 20; growth > 100 {
		t.Errorf("resident memory grew by %d MB while a slow client read", growth)
	}
	resp.Body.Close()
	time.Sleep(300 * time.Millisecond) // the server notices and stops
	// Rendering on would cost about a core (2 s of CPU in this window);
	// a stopped server spends only what the runtime and the periodic
	// sweeps need, which on a loaded CI machine reached 60 ms in one
	// second. A tenth of a core tells the two apart without flaking.
	const window = 2 * time.Second
	before := cpuTime(t, pid)
	time.Sleep(window)
	used := cpuTime(t, pid) - before
	if used > window/10 {
		t.Errorf("the server used %v of CPU in the %v after the client left: still rendering", used, window)
	}
	var hist struct{ Items []json.RawMessage }
	c.json("GET", "/api/voice/history", nil, 200, &hist)
	if len(hist.Items) != 1 { // the warm-up
		t.Errorf("%d history entries, want only the warm-up's", len(hist.Items))
	}
	t.Logf("RSS %d MB before, peak %d MB while streaming to a slow client; %v of CPU in the %v after it left", base>>20, peak>>20, used, window)
}
