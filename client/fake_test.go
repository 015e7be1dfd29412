package client

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

const (
	fakeID     = "fakeaccessid000001"
	fakeSecret = "fakesecretvalue-never-in-logs-0001"
)

// fakeCloud is an httptest double of the cloud: it verifies every request with its own
// implementation of the protocol page's signature, serves the token endpoints and hands business
// calls to handle.
type fakeCloud struct {
	t   *testing.T
	srv *httptest.Server

	mu            sync.Mutex
	access        map[string]bool
	refresh       map[string]bool
	issued        []string // every access and refresh token handed out, for leak checks
	seq           int
	ttl           any // expire_time as sent: a number, or anything a test sets
	refuseRefresh bool
	dropRefresh   bool
	// tokenGate, when set, is received from before a token answer is written.
	tokenGate chan struct{}
	// handle answers a verified business call.
	handle func(w http.ResponseWriter, r *http.Request, body []byte)

	grants, refreshes, business, rejected atomic.Int64
	// tokenRequests counts verified token requests as they arrive, before the gate.
	tokenRequests atomic.Int64
}

func newFakeCloud(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeCloud {
	t.Helper()
	f := &fakeCloud{
		t: t, access: map[string]bool{}, refresh: map[string]bool{},
		ttl: 7200, handle: handle,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a Client for f with quick retries.
func (f *fakeCloud) client(t *testing.T, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		AccessID: fakeID, AccessSecret: fakeSecret, Endpoint: f.srv.URL,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond, RateLimitWindow: time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func (f *fakeCloud) setTTL(s any) {
	f.mu.Lock()
	f.ttl = s
	f.mu.Unlock()
}

// revoke invalidates every access token, as another process's grant would.
func (f *fakeCloud) revoke() {
	f.mu.Lock()
	clear(f.access)
	f.mu.Unlock()
}

func (f *fakeCloud) secrets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{fakeSecret}, f.issued...)
}

func writeEnvelope(w http.ResponseWriter, v map[string]any) {
	v["t"] = time.Now().UnixMilli()
	if _, ok := v["tid"]; !ok {
		v["tid"] = "0123456789abcdef0123456789abcdef"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func ok(w http.ResponseWriter, result any) {
	writeEnvelope(w, map[string]any{"success": true, "result": result})
}

func fail(w http.ResponseWriter, code int, msg string) {
	writeEnvelope(w, map[string]any{"success": false, "code": code, "msg": msg})
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// verify checks a request against the protocol page, independently of sign.go: the raw body
// bytes, the escaped path as received and the decoded query pairs sorted by key.
func (f *fakeCloud) verify(r *http.Request, body []byte, tokenCall bool) (int, string) {
	h := func(name string) string {
		// The client must send the documented lower-case names.
		if v, ok := r.Header[name]; ok && len(v) == 1 {
			return v[0]
		}
		return r.Header.Get(name)
	}
	if h("client_id") != fakeID {
		return 1005, "clientId is invalid"
	}
	if h("sign_method") != "HMAC-SHA256" {
		return 1004, "sign invalid"
	}
	ts := h("t")
	if len(ts) != 13 || strings.Trim(ts, "0123456789") != "" {
		return 1013, "request time is invalid"
	}
	nonce := h("nonce")
	if nonce == "" {
		return 1004, "nonce missing"
	}
	if len(body) > 0 && r.Header.Get("Content-Type") != "application/json" {
		return 1109, "content type"
	}
	tok := h("access_token")
	if tokenCall && tok != "" {
		return 1004, "access_token sent on a token call"
	}
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		for _, v := range q[k] {
			pairs = append(pairs, k+"="+v)
		}
	}
	u := r.URL.EscapedPath()
	if len(pairs) > 0 {
		u += "?" + strings.Join(pairs, "&")
	}
	sum := sha256.Sum256(body)
	msg := fakeID + tok + ts + nonce + r.Method + "\n" + hex.EncodeToString(sum[:]) + "\n\n" + u
	mac := hmac.New(sha256.New, []byte(fakeSecret))
	io.WriteString(mac, msg)
	if want := strings.ToUpper(hex.EncodeToString(mac.Sum(nil))); h("sign") != want {
		return 1004, "sign invalid"
	}
	if tokenCall {
		return 0, ""
	}
	f.mu.Lock()
	valid := f.access[tok]
	f.mu.Unlock()
	if !valid {
		return 1010, "token invalid"
	}
	return 0, ""
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	tokenCall := strings.HasPrefix(r.URL.Path, "/v1.0/token")
	if code, msg := f.verify(r, body, tokenCall); code != 0 {
		f.rejected.Add(1)
		fail(w, code, msg)
		return
	}
	if !tokenCall {
		f.business.Add(1)
		f.handle(w, r, body)
		return
	}
	f.tokenRequests.Add(1)
	f.mu.Lock()
	gate := f.tokenGate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/v1.0/token" {
		if r.URL.Query().Get("grant_type") != "1" {
			fail(w, 1003, "invalid grant type")
			return
		}
		f.grants.Add(1)
	} else {
		rt := strings.TrimPrefix(r.URL.Path, "/v1.0/token/")
		if f.dropRefresh {
			drop(w)
			return
		}
		if f.refuseRefresh || !f.refresh[rt] {
			fail(w, 1010, "token invalid")
			return
		}
		delete(f.refresh, rt)
		f.refreshes.Add(1)
	}
	f.seq++
	at, rt := fmt.Sprintf("access%026d", f.seq), fmt.Sprintf("refresh%025d", f.seq)
	clear(f.access) // a new token supersedes the old one, as a refresh does on the cloud
	f.access[at], f.refresh[rt] = true, true
	f.issued = append(f.issued, at, rt)
	ok(w, map[string]any{"access_token": at, "refresh_token": rt, "expire_time": f.ttl, "uid": "bay1"})
}

// logBuffer is a concurrency-safe sink for a debug-level logger.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() zerolog.Logger {
	return zerolog.New(l).Level(zerolog.DebugLevel)
}

// concurrently runs call on n goroutines at once and returns their errors.
func concurrently(n int, call func() error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = call() })
	}
	wg.Wait()
	return errs
}

// bg is a context bounded so that a hung test fails instead of stalling the suite.
func bg(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
