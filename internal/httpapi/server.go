package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Timeouts and limits of the HTTP server. ReadTimeout covers a whole
// upload, so it allows a 10 MB body over a slow link; WriteTimeout covers a
// synthesis and its response. Request headers over MaxHeaderBytes (plus
// net/http's 4 KiB of slack) never reach a handler: net/http itself answers
// a plain-text "431 Request Header Fields Too Large" and closes the
// connection, which is the one non-JSON error a client can get.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 2 * time.Minute
	WriteTimeout      = 3 * time.Minute
	IdleTimeout       = 2 * time.Minute
	MaxHeaderBytes    = 64 << 10
	// ShutdownTimeout is how long Close waits for in-flight requests.
	ShutdownTimeout = 30 * time.Second
)

// Server is an HTTP server for a handler. Open starts listening and serving
// in the background; Close stops accepting and lets in-flight requests
// finish.
type Server struct {
	// Addr is the listen address, e.g. ":8080"; ":0" picks a free port.
	Addr string
	// Logger receives serve errors; nil discards.
	Logger *slog.Logger
	// ShutdownTimeout overrides the package default for Close.
	ShutdownTimeout time.Duration

	ln   net.Listener
	srv  *http.Server
	done chan error
}

// NewServer returns a server for h at addr; call Open to start it.
func NewServer(addr string, h http.Handler, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Server{
		Addr:   addr,
		Logger: logger,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: ReadHeaderTimeout,
			ReadTimeout:       ReadTimeout,
			WriteTimeout:      WriteTimeout,
			IdleTimeout:       IdleTimeout,
			MaxHeaderBytes:    MaxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		},
	}
}

// Open listens on Addr and serves in a goroutine.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.done = make(chan error, 1)
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return nil
}

// Done yields the serve loop's error (nil after Close) once it stops.
func (s *Server) Done() <-chan error { return s.done }

// URL returns the base URL the server answers on, with a loopback host
// when it listens on all interfaces.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := "127.0.0.1"
	if ip := addr.IP; ip != nil && !ip.IsUnspecified() {
		host = ip.String()
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

// Close stops accepting connections and waits up to ShutdownTimeout for
// in-flight requests; after that it cuts the remaining ones.
func (s *Server) Close() error {
	if s.ln == nil {
		return nil
	}
	timeout := s.ShutdownTimeout
	if timeout <= 0 {
		timeout = ShutdownTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.Logger.Warn("shutdown deadline passed; closing remaining connections", "timeout", timeout)
		err = s.srv.Close()
	}
	return err
}
