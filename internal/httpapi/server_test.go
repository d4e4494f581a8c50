package httpapi

import (
	"io"
	"net/http"
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
	if s.srv.ReadHeaderTimeout == 0 || s.srv.ReadTimeout == 0 || s.srv.WriteTimeout == 0 || s.srv.IdleTimeout == 0 || s.srv.MaxHeaderBytes == 0 {
		t.Errorf("server lacks a timeout or header limit: %+v", s.srv)
	}
	if s.URL() != "" {
		t.Errorf("URL before Open = %q, want empty", s.URL())
	}
}
