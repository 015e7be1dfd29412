// Package sandbox is a local Tuya Cloud: an http.Handler that answers the OpenAPI operations of
// user, device and device-user management and device control with the cloud's envelopes, signature and token
// checks, documented errors and a stateful store seeded with deterministic demo data, plus
// fault injection (latency, failures, rate limits, dropped connections, token revocation) so that
// clients can be tested offline against the failures the real cloud produces.
package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// The demo project's credentials and app schema, used when Options leave them empty.
const (
	DemoAccessID     = "sandboxdemoaccessid0"
	DemoAccessSecret = "sandboxdemosecret000000000000000"
	DemoSchema       = "demoapp"
	// OtherSchema is a second app with a few users and devices of its own.
	OtherSchema = "otherapp"
)

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// Options configure a Sandbox.
type Options struct {
	// AccessID and AccessSecret are the project's credentials; empty means the Demo ones.
	AccessID, AccessSecret string
	// Now is the sandbox clock; nil means time.Now. The demo data is dated relative to Now()
	// at New.
	Now    func() time.Time
	Faults Faults
	// Unsubscribed lists path prefixes, such as /v1.0/devices, of the APIs the project is not
	// subscribed to: calls to them are answered 28841106. Token grants are never refused so.
	Unsubscribed []string
	// IPAllowlist, when not empty, is the project's IP allowlist: requests from other
	// addresses, token grants included, are answered 1114.
	IPAllowlist []netip.Prefix
	// Logger gets one debug line per request; the zero value logs nothing.
	Logger zerolog.Logger
}

// Sandbox is a local Tuya Cloud. It is an http.Handler, safe for concurrent use.
type Sandbox struct {
	accessID, accessSecret string
	projectUID             string
	now                    func() time.Time
	log                    zerolog.Logger
	routes                 router
	access                 access

	mu sync.Mutex
	st *store

	tokMu  sync.Mutex
	tokens tokens

	fmu sync.Mutex
	fs  faultState

	statMu sync.Mutex
	stats  Stats
}

// New returns a sandbox holding the demo data.
func New(opts Options) *Sandbox {
	s := &Sandbox{
		accessID:     opts.AccessID,
		accessSecret: opts.AccessSecret,
		now:          opts.Now,
		log:          opts.Logger,
		routes:       newRouter(),
		access:       access{unsubscribed: opts.Unsubscribed, allow: opts.IPAllowlist},
		tokens:       newTokens(),
		stats:        Stats{ByRoute: map[string]int64{}, Rejected: map[int]int64{}},
	}
	if s.accessID == "" {
		s.accessID = DemoAccessID
	}
	if s.accessSecret == "" {
		s.accessSecret = DemoAccessSecret
	}
	if s.now == nil {
		s.now = time.Now
	}
	sum := sha256.Sum256([]byte(s.accessID))
	s.projectUID = "bay" + hex.EncodeToString(sum[:])[:17]
	now := s.now()
	s.fs = newFaultState(opts.Faults, now)
	// The demo data takes a few milliseconds to build, most of them page faults on fresh
	// memory; building it on another goroutine lets a cold `tuya-mcp --sandbox` answer the
	// MCP handshake meanwhile. mu is held until the store is in place, so every reader waits.
	s.mu.Lock()
	go func() {
		defer s.mu.Unlock()
		s.st = demoStore(now)
	}()
	return s
}

// call is one verified request as a handler sees it.
type call struct {
	params map[string]string
	query  url.Values
	body   []byte
	now    time.Time
}

// ServeHTTP answers one request: latency, routing (1108), verification, then for business
// calls the QPS limit (1110) and the injected failure or drop, which strikes either before the
// operation runs or after it ran.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveOwn(w, r) {
		return
	}
	x := &exchange{s: s, w: w, r: r, start: time.Now()}
	s.bump(func(st *Stats) { st.Requests++ })
	// The body is read before the latency: net/http watches the connection for a hang-up
	// only once the body is read, so a caller that left during the latency would go unnoticed
	// and its write would run after all.
	body, query, err := readRequest(r)
	if !s.delay(r.Context()) {
		// The caller left or the server is closing: no answer, as from a cloud that timed out.
		abort(w)
		return
	}
	x.now = s.now()
	rt, params := s.routes.match(r.Method, r.URL.EscapedPath())
	if rt == nil {
		x.reply(nil, errPath)
		return
	}
	x.route = rt.key()
	s.bump(func(st *Stats) { st.ByRoute[x.route]++ })
	if err == nil {
		err = s.access.allowed(r)
	}
	if err == nil {
		err = s.verify(r, body, query, rt, x.now)
	}
	if err == nil {
		err = s.access.subscribed(r, rt)
	}
	if err != nil {
		x.reply(nil, err)
		return
	}
	c := &call{params: params, query: query, body: body, now: x.now}
	if rt.token {
		x.reply(rt.h(s, c))
		return
	}
	if !s.admit(x.now) {
		s.bump(func(st *Stats) { st.RateLimited++ })
		x.reply(nil, errRateLimit)
		return
	}
	p := s.decide()
	if p.fault != faultNone && !p.after {
		x.inject(p.fault)
		return
	}
	s.mu.Lock()
	res, err := rt.h(s, c)
	s.mu.Unlock()
	if p.fault != faultNone {
		x.inject(p.fault)
		return
	}
	x.reply(res, err)
}

// exchange is one request being answered.
type exchange struct {
	s *Sandbox
	w http.ResponseWriter
	r *http.Request
	// route is the Stats.ByRoute key, empty until a route matched.
	route string
	// start times the request for the log; now is the sandbox clock's time of the request.
	start, now time.Time
}

func readRequest(r *http.Request) ([]byte, url.Values, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, nil, errIllegal("unreadable body")
	}
	if len(body) > maxBody {
		return nil, nil, errIllegal("body larger than %d bytes", maxBody)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, nil, errIllegal("malformed query string")
	}
	return body, query, nil
}

// inject answers with an injected failure, or drops the connection without a word.
func (x *exchange) inject(f fault) {
	if f == faultFail {
		x.s.bump(func(st *Stats) { st.InjectedFailures++ })
		x.reply(nil, errSystem)
		return
	}
	x.s.bump(func(st *Stats) { st.Dropped++ })
	x.s.log.Debug().Str("method", x.r.Method).Str("route", x.route).Msg("connection dropped")
	abort(x.w)
}

// abort closes the connection without writing anything.
func abort(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// Servers that cannot hijack (HTTP/2) close the stream on this panic without answering.
	panic(http.ErrAbortHandler)
}

type success struct {
	Success bool   `json:"success"`
	Result  any    `json:"result"`
	T       int64  `json:"t"`
	Tid     string `json:"tid"`
}

// successNoResult is a success whose result is left out (Quirks.NoResult).
type successNoResult struct {
	Success bool   `json:"success"`
	T       int64  `json:"t"`
	Tid     string `json:"tid"`
}

type failure struct {
	Success bool   `json:"success"`
	Code    int    `json:"code"`
	Msg     string `json:"msg"`
	T       int64  `json:"t"`
	Tid     string `json:"tid"`
}

// reply writes the envelope of a result or an error. Errors that are not *apiError are bugs
// in a handler and answer 500.
func (x *exchange) reply(res any, err error) {
	tid := fmt.Sprintf("%016x%016x", rand.Uint64(), rand.Uint64())
	t := x.now.UnixMilli()
	var env any = success{Success: true, Result: res, T: t, Tid: tid}
	if q := x.s.currentFaults().Quirks; err == nil && q.any() {
		var omit bool
		if res, omit, err = q.apply(res); omit {
			env = successNoResult{Success: true, T: t, Tid: tid}
		} else {
			env = success{Success: true, Result: res, T: t, Tid: tid}
		}
	}
	code := 0
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			x.s.log.Error().Err(err).Str("route", x.route).Msg("handler failed")
			ae = errSystem
		}
		code = ae.Code
		x.s.bump(func(st *Stats) { st.Rejected[code]++ })
		env = failure{Code: ae.Code, Msg: ae.Msg, T: t, Tid: tid}
	}
	b, merr := json.Marshal(env)
	if merr != nil {
		x.s.log.Error().Err(merr).Str("route", x.route).Msg("encode response")
		b = fmt.Appendf(nil, `{"success":false,"code":500,"msg":"system error","t":%d,"tid":%q}`, t, tid)
	}
	x.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	x.w.Write(b)
	x.s.log.Debug().Str("method", x.r.Method).Str("route", x.route).Int("code", code).Str("tid", tid).
		Dur("duration_ms", time.Since(x.start)).Msg("request")
}
