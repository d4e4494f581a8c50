package httpapi_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
	"github.com/voxclone/voxclone/internal/voice"
)

const streamText = "Good morning. The train leaves at 7:45 am from platform 3, so don't be late!\n\nIt costs $12.50."

// TestSynthesizeEveryFormat streams a built-in voice in every output
// format: chunked, typed, decodable, and stored whole in the history.
func TestSynthesizeEveryFormat(t *testing.T) {
	e := newEnv(t, sqliteStore(t), options{})
	token := e.register("formats@example.com")
	for _, f := range codec.OutputFormats() {
		t.Run(string(f), func(t *testing.T) {
			resp := e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "rms", "text": streamText, "format": f})
			data, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || resp.ContentLength != -1 || !slices.Equal(resp.TransferEncoding, []string{"chunked"}) {
				t.Fatalf("status %d, length %d, encoding %q: %.200s", resp.StatusCode, resp.ContentLength, resp.TransferEncoding, data)
			}
			if got, want := resp.Header.Get("Content-Type"), codec.ContentType(f); got != want {
				t.Errorf("Content-Type %q, want %q", got, want)
			}
			if f != "pcm" {
				pcm, _, err := codec.Decode(t.Context(), data)
				if err != nil || pcm.Seconds() < 4 {
					t.Fatalf("decoded %v, %v", pcm, err)
				}
			} else if len(data)%2 != 0 || len(data) < 2*16000*4 {
				t.Errorf("%d bytes of raw PCM", len(data))
			}
			id := resp.Header.Get("X-Synthesis-Id")
			hist := e.do("GET", "/api/voice/history/"+id+"/audio", token, nil)
			stored, _ := io.ReadAll(hist.Body)
			if hist.StatusCode != 200 || string(stored) != string(data) {
				t.Errorf("history audio: status %d, %d bytes, want the %d streamed", hist.StatusCode, len(stored), len(data))
			}
		})
	}
	var list struct{ Items []app.Synthesis }
	e.expect(e.do("GET", "/api/voice/history?limit=100", token, nil), 200, &list)
	if len(list.Items) != len(codec.OutputFormats()) || list.Items[0].Voice != "rms" || list.Items[0].ModelID != "" {
		t.Errorf("history %+v", list.Items)
	}
}

// TestSynthesizeFirstBytesEarly: the first audio of a long text arrives
// long before the end, and about as soon as for a short one.
func TestSynthesizeFirstBytesEarly(t *testing.T) {
	e := newEnv(t, sqliteStore(t), options{})
	token := e.register("early@example.com")
	long := strings.Repeat("This is one of many sentences in a long text that goes on and on. ", 40)
	first, total := timeStream(t, e, token, map[string]any{"voice": "slt", "text": long, "format": "mp3"})
	t.Logf("%d characters: first byte after %v, all after %v", len(long), first, total)
	if first > total/4 {
		t.Errorf("first byte after %v of %v: not streamed", first, total)
	}
}

// timeStream posts a synthesis and returns when the first body byte and
// the end arrived.
func timeStream(t *testing.T, e *env, token string, body map[string]any) (first, total time.Duration) {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", e.url+"/api/voice/synthesize", strings.NewReader(string(data)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	if _, err := br.ReadByte(); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d: %v", resp.StatusCode, err)
	}
	first = time.Since(start)
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Fatal(err)
	}
	return first, time.Since(start)
}

func TestSynthesizeTimestamps(t *testing.T) {
	e := newEnv(t, sqliteStore(t), options{})
	token := e.register("times@example.com")
	var got struct {
		ID         string           `json:"id"`
		Format     string           `json:"format"`
		SampleRate int              `json:"sample_rate"`
		Audio      string           `json:"audio"`
		Duration   float64          `json:"duration_seconds"`
		Words      []app.WordTiming `json:"words"`
	}
	resp := e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "awb", "text": streamText, "format": "opus", "timestamps": true})
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	e.expect(resp, 200, &got)
	audio, err := base64.StdEncoding.DecodeString(got.Audio)
	if err != nil || got.Format != "opus" || got.SampleRate != voice.OutputRate || got.ID != resp.Header.Get("X-Synthesis-Id") {
		t.Fatalf("answer %s, %d Hz, id %s: %v", got.Format, got.SampleRate, got.ID, err)
	}
	pcm, _, err := codec.Decode(t.Context(), audio)
	if err != nil || pcm.Seconds() < got.Duration-0.1 {
		t.Fatalf("audio %v, %v; duration %.2f", pcm, err, got.Duration)
	}
	want := []string{"Good", "morning", "The", "train", "leaves", "at", "7:45", "am", "from", "platform", "3", "so", "don't", "be", "late", "It", "costs", "$12.50"}
	var texts []string
	last := 0.0
	runes := []rune(streamText)
	for _, w := range got.Words {
		texts = append(texts, w.Text)
		if w.Start < last || w.End < w.Start || w.End > got.Duration || string(runes[w.Offset:w.Offset+w.Length]) != w.Text {
			t.Errorf("word %+v after %.3f in %.3f s", w, last, got.Duration)
		}
		last = w.End
	}
	if !slices.Equal(texts, want) {
		t.Errorf("words %q, want %q", texts, want)
	}
}

// TestSynthesizeDisconnect: a client that goes away mid-stream stops the
// synthesis, which leaves no history entry and no stored audio.
func TestSynthesizeDisconnect(t *testing.T) {
	e := newEnv(t, sqliteStore(t), options{})
	token := e.register("gone@example.com")
	long := strings.Repeat("A listener who leaves early should not cost the server anything more. ", 200)
	data, _ := json.Marshal(map[string]any{"voice": "slt", "text": long, "format": "wav"})
	req, _ := http.NewRequest("POST", e.url+"/api/voice/synthesize", strings.NewReader(string(data)))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 4096)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && len(audioFiles(t, e.blobs)) > 0 {
		time.Sleep(50 * time.Millisecond)
	}
	if files := audioFiles(t, e.blobs); len(files) > 0 {
		t.Errorf("audio still stored after the client left: %v", files)
	}
	var list struct{ Items []app.Synthesis }
	e.expect(e.do("GET", "/api/voice/history", token, nil), 200, &list)
	if len(list.Items) != 0 {
		t.Errorf("history after a cut stream: %+v", list.Items)
	}
}

// audioFiles lists the files under the blob store's audio directory, the
// temporary ones of a write in progress included.
func audioFiles(t *testing.T, root string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(root, "audio"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func TestSynthesizeRefusals(t *testing.T) {
	e := newEnv(t, sqliteStore(t), options{})
	token := e.register("refused@example.com")
	resp := e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "text": strings.Repeat("word ", 20_001)})
	var body struct {
		Error struct{ Code, Message string }
	}
	e.expect(resp, 413, &body)
	if body.Error.Code != "too_large" || !strings.Contains(body.Error.Message, "100000") {
		t.Errorf("413 body %+v, want too_large naming the limit", body)
	}
	e.expectError(e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "text": "我们明天在公园见面吧。"}), 422, "unprocessable")
	e.expectError(e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "nobody", "text": "Hi."}), 404, "not_found")
	e.expectError(e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "model_id": "x", "text": "Hi."}), 400, "invalid")
	e.expectError(e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "text": "Hi.", "pitch": 3}), 400, "invalid")
	var voices struct{ Items []app.BuiltinVoice }
	e.expect(e.do("GET", "/api/voice/builtin-voices", token, nil), 200, &voices)
	if len(voices.Items) != 3 || voices.Items[0].ID != "slt" {
		t.Errorf("built-in voices %+v", voices.Items)
	}
}

// sqliteStore is a fresh, migrated SQLite store, for tests that need one
// backend only.
func sqliteStore(t *testing.T) app.Store {
	t.Helper()
	db := sqlitetest.Open(t, filepath.Join(t.TempDir(), "voxclone.db"))
	return db
}

// TestSynthesizeEvents reads the server-sent events answer: a start, words
// and audio, and done last; the audio events join into the file.
func TestSynthesizeEvents(t *testing.T) {
	e := newEnv(t, sqliteStore(t), options{})
	token := e.register("events@example.com")
	for _, f := range []string{"mp3", "wav"} {
		resp := e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "text": streamText, "format": f, "stream_format": "sse"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var names []string
		var audio []byte
		var words []app.WordTiming
		var start, done map[string]any
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = line[7:]
				names = append(names, event)
			case strings.HasPrefix(line, "data: "):
				data := []byte(line[6:])
				switch event {
				case "start":
					json.Unmarshal(data, &start)
				case "done":
					json.Unmarshal(data, &done)
				case "audio":
					var a struct{ Audio []byte }
					if err := json.Unmarshal(data, &a); err != nil {
						t.Fatal(err)
					}
					audio = append(audio, a.Audio...)
				case "words":
					var w struct{ Words []app.WordTiming }
					json.Unmarshal(data, &w)
					words = append(words, w.Words...)
				}
			}
		}
		resp.Body.Close()
		if names[0] != "start" || names[len(names)-1] != "done" || !slices.Contains(names, "words") {
			t.Errorf("%s: events %q", f, names)
		}
		if start["format"] != f || start["id"] != resp.Header.Get("X-Synthesis-Id") || done["id"] != start["id"] {
			t.Errorf("%s: start %v, done %v", f, start, done)
		}
		if pcm, _, err := codec.Decode(t.Context(), audio); err != nil || pcm.Seconds() < 4 || done["size_bytes"] != float64(len(audio)) {
			t.Errorf("%s: audio of %d bytes (done says %v): %v", f, len(audio), done["size_bytes"], err)
		}
		if len(words) != 18 || words[17].Text != "$12.50" {
			t.Errorf("%s: %d words %+v", f, len(words), words)
		}
	}
	e.expectError(e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "text": "Hi.", "stream_format": "ndjson"}), 400, "invalid")
}
