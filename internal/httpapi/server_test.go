package httpapi

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestServerCloseFinishesInFlight starts a slow request, closes the server
// while it runs, and expects the request to complete and new connections
// to be refused.
func TestServerCloseFinishesInFlight(t *testing.T) {
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		w.Write([]byte("finished"))
	})
	s := NewServer("127.0.0.1:0", slow, nil)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	url := s.URL()
	type result struct {
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{string(b), err}
	}()
	<-started
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()

	r := <-res
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v; want it to finish", r.body, r.err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-s.Done(); err != nil {
		t.Errorf("serve loop: %v", err)
	}
	if _, err := http.Get(url + "/again"); err == nil {
		t.Error("server still accepts requests after Close")
	}
}

func TestServerTimeouts(t *testing.T) {
	s := NewServer(":0", http.NotFoundHandler(), nil)
	// The documented values (docs/api.md, "Server behaviour").
	got := []time.Duration{s.srv.ReadHeaderTimeout, s.srv.ReadTimeout, s.srv.WriteTimeout, s.srv.IdleTimeout}
	want := []time.Duration{10 * time.Second, 2 * time.Minute, 3 * time.Minute, 2 * time.Minute}
	if !slices.Equal(got, want) || s.srv.MaxHeaderBytes != 64<<10 || ShutdownTimeout != 30*time.Second {
		t.Errorf("read header, read, write, idle timeouts %v, header limit %d, shutdown %v; want %v, 65536 and 30s",
			got, s.srv.MaxHeaderBytes, ShutdownTimeout, want)
	}
	if s.URL() != "" {
		t.Errorf("URL before Open = %q, want empty", s.URL())
	}
}

// TestServerOversizedHeader checks what net/http answers, before any
// handler runs, to request headers over MaxHeaderBytes: a plain-text 431,
// and the connection closed. Headers up to the limit reach the handler.
func TestServerOversizedHeader(t *testing.T) {
	var called atomic.Int32
	s := NewServer("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}), nil)
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	send := func(n int) *http.Response {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL()+"/api/voice/health", nil)
		req.Header.Set("X-Padding", strings.Repeat("a", n))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%d-byte header: %v", n, err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if resp := send(MaxHeaderBytes - 1024); resp.StatusCode != http.StatusNoContent || called.Load() != 1 {
		t.Fatalf("header under the limit: status %d, handler called %d times", resp.StatusCode, called.Load())
	}
	resp := send(MaxHeaderBytes + 8<<10)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || called.Load() != 1 || !strings.Contains(string(body), "431") {
		t.Errorf("oversized header: status %d, body %q, handler called %d times; want 431 before the handler", resp.StatusCode, body, called.Load())
	}
}
