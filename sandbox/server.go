package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is a Sandbox served over HTTP.
type Server struct {
	// URL is the base URL, such as http://127.0.0.1:41234.
	URL string
	*Sandbox
	srv *http.Server
	// stop cancels the context of every request, ending injected delays at Close.
	stop context.CancelFunc
	done chan struct{}
}

// Start serves a new Sandbox on a free loopback port.
func Start(opts Options) (*Server, error) { return Listen("127.0.0.1:0", opts) }

// Listen serves a new Sandbox on addr.
func Listen(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	sb := New(opts)
	base, stop := context.WithCancel(context.Background())
	s := &Server{
		URL:     "http://" + ln.Addr().String(),
		Sandbox: sb,
		srv: &http.Server{
			Handler:           sb,
			ConnState:         sb.ConnState,
			ReadHeaderTimeout: 10 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return base },
		},
		stop: stop,
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			sb.log.Error().Err(err).Msg("sandbox server stopped")
		}
	}()
	return s, nil
}

// closeGrace is how long Close lets requests in flight finish.
const closeGrace = 2 * time.Second

// Close stops the server: it stops listening, closes idle connections, drops the requests
// waiting out an injected latency, lets the others finish for a moment and then closes every
// connection.
func (s *Server) Close() error {
	s.stop()
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	<-s.done
	if err != nil {
		return fmt.Errorf("sandbox: close: %w", err)
	}
	return nil
}
