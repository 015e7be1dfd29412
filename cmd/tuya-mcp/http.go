package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

const (
	maxRequestBody    = 1 << 20
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	// shutdownSlack is added to the call timeout to bound a graceful shutdown.
	shutdownSlack = 5 * time.Second
)

// runHTTP serves MCP over Streamable HTTP until ctx ends, then lets calls in flight finish.
func runHTTP(ctx context.Context, cfg Config, log zerolog.Logger, stderr io.Writer) error {
	s, stop, err := newBackend(cfg, log)
	if err != nil {
		return err
	}
	defer stop()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return listenError(cfg.Listen, err)
	}
	srv := &http.Server{
		Handler:           newHTTPHandler(s, cfg, log),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          stdLogger(log, "http", zerolog.WarnLevel),
	}
	u := "http://" + ln.Addr().String() + "/mcp"
	fmt.Fprintf(stderr, "listening on %s\n", u)
	log.Info().Str("url", u).Bool("auth", cfg.HTTPToken != "").Str("version", serverVersion()).
		Str("gogc", cfg.GOGC).Msg("serving MCP over Streamable HTTP")
	return serve(ctx, srv, ln, cfg.CallTimeout+shutdownSlack, log)
}

// serve runs srv on ln until ctx ends, then shuts it down, waiting up to grace for requests
// in flight.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration, log zerolog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info().Dur("grace_ms", grace).Msg("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info().Msg("stopped")
	return nil
}

// newHTTPHandler routes /mcp (and /mcp/) to the MCP handler, behind the guard and the
// JSON-RPC front, and answers GET /healthz.
func newHTTPHandler(s *server.MCPServer, cfg Config, log zerolog.Logger) http.Handler {
	httpLog := slogLogger(log, "http")
	mcpHandler := server.NewStreamableHTTPServer(s, server.WithStateLess(true), server.WithStreamableHTTPLogger(httpLog))
	front := &jsonrpc.HTTP{Next: mcpHandler, Scope: cancelScope, Check: tools.CallCheck(s), Log: httpLog}
	h := newGuard(postOnly(front), cfg.HTTPToken, cfg.AllowedOrigins, log)
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/mcp/{$}", h)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`+"\n")
	})
	return mux
}

// cancelScope is who sent a request, as far as a stateless server knows: a notifications/
// cancelled only cancels a request sent with the same credential, the bearer token the guard
// authenticates ("Bearer t" and "bearer t" are the same credential).
func cancelScope(r *http.Request) string {
	tok, _ := bearerToken(r)
	return tok
}

// mcpMethods are the methods /mcp serves.
const mcpMethods = "OPTIONS, POST"

// postOnly answers every method but POST. The server never initiates messages, so a standing
// GET stream would carry nothing and only hold up a graceful shutdown, and a stateless server
// has no session to DELETE: both get 405, as the transport allows.
func postOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			next.ServeHTTP(w, r)
		case http.MethodOptions:
			w.Header().Set("Allow", mcpMethods)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", mcpMethods)
			http.Error(w, "Method Not Allowed: /mcp takes POST (there is no GET stream: the server sends nothing unasked)",
				http.StatusMethodNotAllowed)
		}
	})
}

// CORS answers for pages from allowed origins.
const (
	corsAllowMethods = "POST, OPTIONS"
	corsAllowHeaders = "Content-Type, Authorization, " + mcp.HeaderProtocolVersion + ", " + mcp.HeaderSessionID + ", " +
		mcp.HeaderLastEventID + ", " + mcp.HeaderMethod + ", " + mcp.HeaderName
	corsExposeHeaders = mcp.HeaderSessionID + ", " + mcp.HeaderProtocolVersion + ", WWW-Authenticate"
	corsMaxAge        = "600"
)

// guard enforces what mcp-go leaves to the application: the Origin check the MCP
// specification requires against DNS rebinding, with CORS for the origins allowed, bearer
// authentication, and a body limit.
type guard struct {
	next http.Handler
	// tokenSum is the SHA-256 of the token; comparing sums keeps the comparison constant-time
	// even in the token's length.
	tokenSum  *[sha256.Size]byte
	anyOrigin bool
	origins   map[string]bool
	log       zerolog.Logger
}

func newGuard(next http.Handler, token string, allowedOrigins []string, log zerolog.Logger) *guard {
	g := &guard{next: next, origins: map[string]bool{}, log: log.With().Str("component", "http").Logger()}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		g.tokenSum = &sum
	}
	for _, o := range allowedOrigins {
		if o == "*" {
			g.anyOrigin = true
		}
		g.origins[normalizeOrigin(o)] = true
	}
	return g
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" {
		if !g.originAllowed(o) {
			g.log.Warn().Str("origin", o).Str("remote", r.RemoteAddr).Msg("refused: origin not allowed")
			http.Error(w, "Forbidden: origin not allowed (see --allowed-origins)", http.StatusForbidden)
			return
		}
		// A page from an allowed origin may read the answers, refusals included.
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", o)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			// A CORS preflight carries no credentials, by the Fetch standard, and runs nothing.
			h.Set("Access-Control-Allow-Methods", corsAllowMethods)
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	if g.tokenSum != nil {
		if ok, present := g.authorized(r); !ok {
			challenge := `Bearer realm="tuya-mcp"`
			if present {
				challenge += `, error="invalid_token"`
			}
			w.Header().Set("WWW-Authenticate", challenge)
			g.log.Warn().Str("remote", r.RemoteAddr).Bool("token_present", present).Msg("refused: unauthorized")
			http.Error(w, "Unauthorized: send Authorization: Bearer <token>", http.StatusUnauthorized)
			return
		}
	}
	if r.ContentLength > maxRequestBody {
		http.Error(w, "Request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	// A chunked body over the limit fails when it is read, and the reader answers 413 then.
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	g.next.ServeHTTP(w, r)
}

// authorized reports whether r carries the bearer token, and whether it carries any credential.
func (g *guard) authorized(r *http.Request) (ok, present bool) {
	tok, present := bearerToken(r)
	if tok == "" {
		return false, present
	}
	sum := sha256.Sum256([]byte(tok))
	return subtle.ConstantTimeCompare(sum[:], g.tokenSum[:]) == 1, true
}

// bearerToken returns the token of r's Authorization header when it is a Bearer one (the
// scheme is case-insensitive, RFC 9110), else "", and whether r has the header at all.
func bearerToken(r *http.Request) (tok string, present bool) {
	h := r.Header.Get("Authorization")
	scheme, t, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", h != ""
	}
	return strings.TrimSpace(t), true
}

// originAllowed accepts pages served from this machine (localhost and loopback addresses, any
// port) and the configured origins. "null" and anything unparsable are refused.
func (g *guard) originAllowed(origin string) bool {
	if g.anyOrigin || g.origins[normalizeOrigin(origin)] {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func normalizeOrigin(o string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
}
