package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// TestCompatDisconnect: a client of either compatible API that goes away
// after the first audio of a long text stops the synthesis, which leaves
// no history entry and no stored audio.
func TestCompatDisconnect(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("gone@example.com", false)
		text := strings.Repeat("The river ran fast and cold under the old stone bridge. ", 30) // 1,710 characters
		// A client that stays: how long the whole synthesis takes here.
		start := time.Now()
		e.expect(e.call("POST", "/v1/audio/speech", map[string]string{"Authorization": "Bearer " + u.key},
			map[string]any{"model": "tts-1", "voice": "slt", "input": text}), 200, nil)
		whole := time.Since(start)
		files := fileHashes(t, e.blobs)
		for _, c := range []struct {
			path string
			hdr  map[string]string
			body map[string]any
		}{
			{"/v1/audio/speech", map[string]string{"Authorization": "Bearer " + u.key},
				map[string]any{"model": "tts-1", "voice": "slt", "input": text, "stream_format": "sse"}},
			{"/elevenlabs/v1/text-to-speech/rms/stream/with-timestamps", map[string]string{"xi-api-key": u.key},
				map[string]any{"text": text}},
		} {
			ctx, cancel := context.WithCancel(t.Context())
			data, _ := json.Marshal(c.body)
			req, _ := http.NewRequestWithContext(ctx, "POST", e.url+c.path, bytes.NewReader(data))
			for k, v := range c.hdr {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: %v %v", c.path, resp, err)
			}
			line, err := bufio.NewReader(resp.Body).ReadString('\n')
			if err != nil || len(line) < 100 {
				t.Fatalf("%s: first line %.80q, %v", c.path, line, err)
			}
			cancel()
			resp.Body.Close()
		}
		// Had they gone on, both would have finished and been recorded by
		// twice the time the whole one took.
		time.Sleep(max(2*whole, 2*time.Second))
		var hist app.HistoryPage
		e.expect(e.do("GET", "/api/voice/history", u.token, nil), 200, &hist)
		if len(hist.Items) != 1 {
			t.Errorf("history after the clients left: %d entries, want only the whole one's", len(hist.Items))
		}
		if after := fileHashes(t, e.blobs); len(after) != len(files) {
			t.Errorf("%d stored files after the clients left, %d before", len(after), len(files))
		}
	})
}
