package client

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestAnswerFacts checks that what a failure answer said reaches the caller as facts: the code
// or its absence, the message, the tid, the HTTP status, a result false, a rate limit.
func TestAnswerFacts(t *testing.T) {
	tests := []struct {
		name   string
		script []step
		check  func(err error) bool
	}{
		{name: "no code", script: []step{answer(200, `{"success":false,"msg":"nope"}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.NoCode && ae.Msg == "nope" && !errors.Is(err, ErrOutcomeUnknown) &&
					strings.Contains(err.Error(), "without an error code (nope)")
			}},
		{name: "errorCode and errorMsg", script: []step{answer(200, `{"success":false,"errorCode":"2010","errorMsg":"device not exist"}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && !ae.NoCode && ae.Code == 2010 && ae.Msg == "device not exist"
			}},
		{name: "control characters made visible", script: []step{answer(200, `{"success":false,"code":2010,"msg":"dev\u0000ice\n not\u001b[31m exist\u202e!","tid":"t\u0007"}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.Msg == `dev\u0000ice  not\u001b[31m exist\u202e!` && ae.Tid == `t\u0007` &&
					!strings.ContainsFunc(err.Error(), func(r rune) bool { return r < 0x20 || r == 0x202e })
			}},
		{name: "a lone surrogate in the message noted", script: []step{answer(200, `{"success":false,"code":2010,"msg":"device \ud800 not exist"}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.Msg == "device \ufffd not exist (a character of the message that is not valid Unicode was replaced by U+FFFD)"
			}},
		{name: "code not a number kept with the message", script: []step{answer(200, `{"success":false,"code":"E42","msg":"odd"}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.NoCode && ae.Msg == "odd (code E42)"
			}},
		{name: "result false", script: []step{answer(200, `{"success":true,"result":"false"}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.ResultFalse && !errors.Is(err, ErrOutcomeUnknown) &&
					strings.Contains(err.Error(), "the operation was not done")
			}},
		{name: "500 on HTTP 502 keeps both", script: []step{answer(502, `{"success":false,"code":500,"msg":"system error, please contact the admin","tid":{"x":1}}`)},
			check: func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.Code == 500 && ae.HTTPStatus == 502 && ae.Tid == `{"x":1}` &&
					ae.Msg == "system error, please contact the admin" && errors.Is(err, ErrOutcomeUnknown)
			}},
		{name: "429 asking for longer than the call has", script: []step{answer(429, `too many`, "Retry-After", "3600")},
			check: func(err error) bool {
				var he *HTTPError
				return errors.As(err, &he) && he.RateLimited() && he.RetryAfter == time.Hour
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, scripted(tt.script...))
			err := f.client(t, nil).SendCommands(bg(t), "d1", []Command{{Code: "switch", Value: json.RawMessage("true")}})
			if !tt.check(err) {
				t.Fatalf("err = %v (%#v)", err, err)
			}
			if got := f.business.Load(); got != 1 {
				t.Fatalf("%d requests, want 1", got)
			}
		})
	}
}

// TestRetryAfter checks that a 429's or 503's Retry-After is waited before the retry.
func TestRetryAfter(t *testing.T) {
	for _, status := range []int{429, 503} {
		f := newFakeCloud(t, scripted(answer(status, ``, "Retry-After", "1")))
		start := time.Now()
		if _, err := f.client(t, nil).GetDevice(bg(t), "d1"); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < time.Second || f.business.Load() != 2 {
			t.Fatalf("HTTP %d: retried after %s with %d requests; want after the 1s asked, 2 requests", status, waited, f.business.Load())
		}
	}
}

// TestRetryAfterPastTheDeadline checks that a 503 asking for a wait longer than the call has,
// in seconds or as a date, ends the call at once with the wait it asked for.
func TestRetryAfterPastTheDeadline(t *testing.T) {
	for _, ra := range []string{"600", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)} {
		f := newFakeCloud(t, scripted(answer(503, ``, "Retry-After", ra)))
		start := time.Now()
		_, err := f.client(t, nil).GetDevice(bg(t), "d1")
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != 503 || he.RetryAfter < 9*time.Minute || f.business.Load() != 1 || time.Since(start) > 5*time.Second {
			t.Fatalf("Retry-After %s: err %v after %d requests in %s; want HTTP 503 at once with its wait", ra, err, f.business.Load(), time.Since(start))
		}
	}
}

// TestTokenLifetimeAssumed checks that a token answer without a usable expire_time still gives a token,
// for the documented two hours.
func TestTokenLifetimeAssumed(t *testing.T) {
	for _, ttl := range []any{nil, 0, -5, map[string]any{}, json.RawMessage("1e400"), "soon", true, int64(1) << 40} {
		f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { ok(w, map[string]any{"id": "d1"}) })
		f.setTTL(ttl)
		var log logBuffer
		c := f.client(t, func(cfg *Config) { cfg.Logger = log.logger() })
		if _, err := c.GetDevice(bg(t), "d1"); err != nil {
			t.Fatalf("expire_time %v: %v", ttl, err)
		}
		tok, err := c.tokens.get(bg(t))
		if err != nil || tok == "" || f.grants.Load() != 1 {
			t.Fatalf("expire_time %v: second call got %q, %v after %d grants; want the same token", ttl, tok, err, f.grants.Load())
		}
		if !strings.Contains(log.String(), "assuming the documented lifetime") {
			t.Fatalf("expire_time %v: no log line in %s", ttl, log.String())
		}
	}
}

// TestNoAnswerWords checks that a request that got no answer says why in words, and how many
// attempts it made over how long.
func TestNoAnswerWords(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { drop(w) })
	// garbage answers every connection with bytes that are neither TLS nor HTTP.
	gl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gl.Close() })
	garbage := gl.Addr().String()
	go func() {
		for {
			conn, err := gl.Accept()
			if err != nil {
				return
			}
			conn.Write([]byte("garbage garbage garbage\n"))
			conn.Close()
		}
	}()
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	// The refused handshakes are the test, not news.
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	for _, tt := range []struct {
		name     string
		endpoint string
		trusted  bool
		want     []string
	}{
		{name: "refused", endpoint: "http://" + closed, want: []string{"connection refused by " + closed, "attempts over"}},
		{name: "closed", endpoint: f.srv.URL, want: []string{"the connection was closed without an answer", "4 attempts over"}},
		{name: "https to an http server", endpoint: strings.Replace(f.srv.URL, "http:", "https:", 1),
			want: []string{"the endpoint does not speak TLS: use http:// or check the port"}},
		{name: "https to a server that is not TLS", endpoint: "https://" + garbage,
			want: []string{"the endpoint does not speak TLS: use http:// or check the port"}},
		{name: "certificate not trusted", endpoint: tlsSrv.URL, want: []string{"certificate is not trusted"}},
		{name: "certificate for another host", endpoint: strings.Replace(tlsSrv.URL, "127.0.0.1", "localhost", 1), trusted: true,
			want: []string{"certificate is for another host name than localhost"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var hc *http.Client
			if tt.trusted {
				hc = tlsSrv.Client()
			}
			c, err := New(Config{AccessID: fakeID, AccessSecret: fakeSecret, Endpoint: tt.endpoint, HTTPClient: hc,
				RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetDevice(bg(t), "d1")
			var na *NoAnswerError
			if !errors.As(err, &na) {
				t.Fatalf("err = %v, want a NoAnswerError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "dial tcp") || strings.Contains(err.Error(), "tls:") ||
				strings.Contains(err.Error(), "x509") {
				t.Errorf("%q is in Go's words", err)
			}
		})
	}
}

// TestCredentialsChecked checks that credentials are trimmed, and refused with a control
// character inside, so that they never reach a header malformed.
func TestCredentialsChecked(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { ok(w, map[string]any{"id": "d1"}) })
	c, err := New(Config{AccessID: " " + fakeID + "\r\n", AccessSecret: fakeSecret + " ", Endpoint: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDevice(bg(t), "d1"); err != nil {
		t.Fatalf("trimmed credentials: %v", err)
	}
	for _, id := range []string{"abc\rdef", "ab\x00c", "a\tb"} {
		_, err := New(Config{AccessID: id, AccessSecret: fakeSecret, Endpoint: f.srv.URL})
		if err == nil || !strings.Contains(err.Error(), "TUYA_ACCESS_ID") {
			t.Errorf("AccessID %q: err = %v, want a refusal naming TUYA_ACCESS_ID", id, err)
		}
	}
}
