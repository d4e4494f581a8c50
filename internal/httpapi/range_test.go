package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob/s3blob/s3blobtest"
)

// TestHistoryAudioRange reads history audio whole and in parts, with the
// audio in a directory and in an S3 bucket over HTTP, on both databases:
// 206 with Content-Range for a satisfiable range, 416 past the end.
func TestHistoryAudioRange(t *testing.T) {
	srv := s3blobtest.Start(t)
	stores := map[string]func(t *testing.T) options{
		"local": func(*testing.T) options { return options{} },
		"s3": func(t *testing.T) options {
			s3 := s3blobtest.Open(t, srv.NewBucket(t))
			return options{blobs: func(app.Blobs) app.Blobs { return s3 }}
		},
	}
	for name, opt := range stores {
		t.Run(name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, store app.Store) { testHistoryRange(t, newEnv(t, store, opt(t))) })
		})
	}
}

func testHistoryRange(t *testing.T, e *env) {
	token := e.register("ranges@example.com")
	resp := e.do("POST", "/api/voice/synthesize", token, map[string]any{"voice": "slt", "format": "wav",
		"text": "Ranges let a player seek in the audio without reading all of it."})
	whole, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || len(whole) < 1000 {
		t.Fatalf("synthesize: status %d, %d bytes", resp.StatusCode, len(whole))
	}
	path := "/api/voice/history/" + resp.Header.Get("X-Synthesis-Id") + "/audio"
	n := len(whole)
	get := func(rng string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), "GET", e.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, data
	}

	resp, got := get("")
	if resp.StatusCode != 200 || string(got) != string(whole) || resp.Header.Get("Accept-Ranges") != "bytes" ||
		resp.ContentLength != int64(n) {
		t.Errorf("whole: status %d, %d bytes of %d, Accept-Ranges %q, length %d", resp.StatusCode, len(got), n,
			resp.Header.Get("Accept-Ranges"), resp.ContentLength)
	}
	for _, c := range []struct {
		rng        string
		start, end int // inclusive
	}{
		{"bytes=0-0", 0, 0}, {"bytes=100-199", 100, 199}, {"bytes=-50", n - 50, n - 1},
		{fmt.Sprintf("bytes=%d-", n-7), n - 7, n - 1}, {fmt.Sprintf("bytes=10-%d", n+1000), 10, n - 1},
	} {
		resp, got := get(c.rng)
		want := fmt.Sprintf("bytes %d-%d/%d", c.start, c.end, n)
		if resp.StatusCode != 206 || resp.Header.Get("Content-Range") != want || string(got) != string(whole[c.start:c.end+1]) {
			t.Errorf("Range %s: status %d, Content-Range %q (want %q), %d bytes (want %d, the audio's)",
				c.rng, resp.StatusCode, resp.Header.Get("Content-Range"), want, len(got), c.end-c.start+1)
		}
	}
	for _, rng := range []string{fmt.Sprintf("bytes=%d-", n), fmt.Sprintf("bytes=%d-%d", n+5, n+10)} {
		resp, _ := get(rng)
		if resp.StatusCode != 416 || resp.Header.Get("Content-Range") != "bytes */"+strconv.Itoa(n) {
			t.Errorf("Range %s past the end: status %d, Content-Range %q; want 416, bytes */%d",
				rng, resp.StatusCode, resp.Header.Get("Content-Range"), n)
		}
	}
	checkMultiRange(t, get, whole)
}

// checkMultiRange asks for two ranges at once: a multipart answer with
// each part's bytes.
func checkMultiRange(t *testing.T, get func(string) (*http.Response, []byte), whole []byte) {
	resp, body := get("bytes=0-9,200-299")
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != 206 || err != nil || mt != "multipart/byteranges" {
		t.Fatalf("two ranges: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for _, want := range [][]byte{whole[0:10], whole[200:300]} {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(p)
		if string(got) != string(want) {
			t.Errorf("part %s: %d bytes, not the audio's", p.Header.Get("Content-Range"), len(got))
		}
	}
}
