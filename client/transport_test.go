package client

import (
	"cmp"
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

// step answers one business request of a scripted fake.
type step func(w http.ResponseWriter, r *http.Request)

// code fails with c and its documented message, which for 1110 and 1199 says "rate limit".
func code(c int) step {
	msg := map[int]string{CodeConcurrentLimit: "concurrent request over limit", CodeTooFrequent: "your requests are too frequent"}[c]
	return codeMsg(c, cmp.Or(msg, "scripted"))
}

func codeMsg(c int, msg string) step {
	return func(w http.ResponseWriter, r *http.Request) { fail(w, c, msg) }
}

func status(s int) step {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(s)
		w.Write([]byte("<html>bad gateway</html>"))
	}
}

// answer writes body with HTTP status s and the given headers (name, value pairs).
func answer(s int, body string, headers ...string) step {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s)
		w.Write([]byte(body))
	}
}

func dropStep(w http.ResponseWriter, r *http.Request) { drop(w) }

func notJSON(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>hello</html>")) }

// stall holds the answer until the client gives up.
func stall(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

// scripted answers the n-th business request with script[n], and succeeds after the script.
func scripted(script ...step) func(w http.ResponseWriter, r *http.Request, body []byte) {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		i := int(n.Add(1)) - 1
		if i < len(script) {
			script[i](w, r)
			return
		}
		if r.Method == "POST" {
			ok(w, "5121231")
			return
		}
		ok(w, map[string]any{"id": "d1"})
	}
}

func TestRetryPolicy(t *testing.T) {
	tests := []struct {
		name     string
		add      bool // AddDeviceUser (non-idempotent) instead of GetDevice
		script   []step
		requests int64
		wantCode int  // APIError code expected, 0 for none
		wantHTTP int  // HTTPError status expected, 0 for none
		unknown  bool // errors.Is(err, ErrOutcomeUnknown)
		fails    bool
		// replay is set when net/http may itself replay a GET whose kept-alive connection
		// dropped, which the server sees but the client does not count as an attempt.
		replay bool
	}{
		{name: "get retries 500", script: []step{code(500), code(500)}, requests: 3},
		{name: "get retries 1111", script: []step{code(1111)}, requests: 2},
		{name: "get retries rate limits", script: []step{code(1110), code(1199)}, requests: 3},
		{name: "get retries HTTP 503", script: []step{status(503)}, requests: 2},
		{name: "get retries HTTP 408", script: []step{status(408)}, requests: 2},
		{name: "get retries HTTP 408 with an empty body", script: []step{answer(408, ``)}, requests: 2},
		{name: "add never retries HTTP 408", add: true, script: []step{status(408)}, requests: 1, wantHTTP: 408, unknown: true, fails: true},
		{name: "get retries a dropped connection", script: []step{dropStep}, requests: 2, replay: true},
		{name: "get retries an attempt timeout", script: []step{stall}, requests: 2},
		{name: "get gives up after MaxAttempts", script: []step{code(500), code(500), code(500), code(500), code(500)}, requests: 4, wantCode: 500, fails: true},
		{name: "get does not retry 2010", script: []step{code(2010)}, requests: 1, wantCode: 2010, fails: true},
		{name: "get does not retry 1106", script: []step{code(1106)}, requests: 1, wantCode: 1106, fails: true},
		{name: "get does not retry HTTP 404", script: []step{status(404)}, requests: 1, wantHTTP: 404, fails: true},
		{name: "get does not retry a non-JSON 200", script: []step{notJSON}, requests: 1, wantHTTP: 200, fails: true},
		{name: "add retries HTTP 429", add: true, script: []step{status(429)}, requests: 2},
		{name: "add retries rate limits", add: true, script: []step{code(1110), code(1199)}, requests: 3},
		{name: "add never retries 500", add: true, script: []step{code(500)}, requests: 1, wantCode: 500, unknown: true, fails: true},
		{name: "add never retries 1111", add: true, script: []step{code(1111)}, requests: 1, wantCode: 1111, unknown: true, fails: true},
		{name: "add never retries HTTP 503", add: true, script: []step{status(503)}, requests: 1, wantHTTP: 503, unknown: true, fails: true},
		{name: "add never retries a dropped connection", add: true, script: []step{dropStep}, requests: 1, unknown: true, fails: true},
		{name: "add never retries an attempt timeout", add: true, script: []step{stall}, requests: 1, unknown: true, fails: true},
		{name: "add definite refusal is not unknown", add: true, script: []step{code(2010)}, requests: 1, wantCode: 2010, fails: true},
		{name: "add gives up on rate limits after MaxRateLimited", add: true, script: []step{code(1110), code(1199), code(1110), code(1110), code(1110), code(1110), code(1110), code(1110), code(1110)}, requests: 8, wantCode: 1110, fails: true},
		{name: "rate limits do not use up MaxAttempts", script: []step{code(500), code(1110), code(500), code(1199), status(429), code(500)}, requests: 7},
		{name: "1110 about a parameter is not retried", script: []step{codeMsg(1110, "illegal param")}, requests: 1, wantCode: 1110, fails: true},
		{name: "1199 about something else is not retried", add: true, script: []step{codeMsg(1199, "sign invalid")}, requests: 1, wantCode: 1199, fails: true},
		{name: "1110 without a message is a rate limit", script: []step{codeMsg(1110, "")}, requests: 2},
		{name: "get retries an HTTP 503 carrying 1111", script: []step{answer(503, `{"success":false,"code":1111,"msg":"system is busy, please retry later"}`)}, requests: 2},
		{name: "add reads an HTTP 502 carrying 500", add: true, script: []step{answer(502, `{"success":false,"code":500,"msg":"system error, please contact the admin"}`)},
			requests: 1, wantCode: 500, unknown: true, fails: true},
		{name: "add definite refusal sent as strings", add: true, script: []step{answer(200, `{"success":"false","code":"2010","msg":"device not exist"}`)},
			requests: 1, wantCode: 2010, fails: true},
		{name: "add definite refusal on HTTP 400", add: true, script: []step{answer(400, `{"success":0,"code":2010.0,"msg":"device not exist","tid":7}`)},
			requests: 1, wantCode: 2010, fails: true},
		{name: "add success with odd metadata", add: true, script: []step{answer(200, `{"success":"true","result":"5121231","t":1,"tid":12345,"msg":{"a":1},"code":"x"}`)}, requests: 1},
		{name: "add retries HTTP 429 carrying an envelope", add: true, script: []step{answer(429, `{"success":false,"code":500,"msg":"slow down"}`)}, requests: 2},
		{name: "add refused by HTTP 429 to the end did not run", add: true, script: slices.Repeat([]step{answer(429, `busy`)}, 8),
			requests: 8, wantHTTP: 429, fails: true},
		{name: "get gives up after MaxAttempts between rate limits", script: []step{code(500), code(1110), code(500), code(500), code(1199), code(500), code(500)}, requests: 6, wantCode: 500, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, scripted(tt.script...))
			c := f.client(t, func(cfg *Config) { cfg.RequestTimeout = 500 * time.Millisecond })
			ctx, ci := WithCallInfo(bg(t))
			var err error
			if tt.add {
				_, err = c.AddDeviceUser(ctx, "sc", DeviceUserInput{NickName: "Bo", Sex: 1})
			} else {
				_, err = c.GetDevice(ctx, "d1")
			}
			if (err != nil) != tt.fails {
				t.Fatalf("err = %v, want failure %v", err, tt.fails)
			}
			if got := f.business.Load(); got != tt.requests {
				t.Fatalf("%d business requests, want %d (err %v)", got, tt.requests, err)
			}
			if got := ci.Attempts(); got != int(tt.requests) && !(tt.replay && got >= 1 && got <= int(tt.requests)) {
				t.Fatalf("CallInfo.Attempts = %d, want %d", got, tt.requests)
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.unknown {
				t.Fatalf("outcome unknown = %v, want %v (err %v)", got, tt.unknown, err)
			}
			var ae *APIError
			if tt.wantCode != 0 && (!errors.As(err, &ae) || ae.Code != tt.wantCode || ci.Code() != tt.wantCode) {
				t.Fatalf("err = %v, CallInfo code %d; want APIError %d", err, ci.Code(), tt.wantCode)
			}
			var he *HTTPError
			if tt.wantHTTP != 0 && (!errors.As(err, &he) || he.StatusCode != tt.wantHTTP) {
				t.Fatalf("err = %v, want HTTPError %d", err, tt.wantHTTP)
			}
			if !tt.fails && ci.Code() != 0 {
				t.Fatalf("CallInfo.Code = %d after success", ci.Code())
			}
		})
	}
}

// TestAddRetriedWhenNothingWasSent checks that a non-idempotent call is retried when the
// connection could not even be made, and only then.
func TestAddRetriedWhenNothingWasSent(t *testing.T) {
	f := newFakeCloud(t, scripted())
	var dials atomic.Int64
	d := &net.Dialer{}
	hc := &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			// The first dial carries the token grant; the rest fail before any byte is sent.
			if dials.Add(1) == 1 {
				return d.DialContext(ctx, network, addr)
			}
			return nil, errors.New("scripted dial failure")
		},
	}}
	c := f.client(t, func(cfg *Config) { cfg.HTTPClient = hc })
	ctx, ci := WithCallInfo(bg(t))
	_, err := c.AddDeviceUser(ctx, "sc", DeviceUserInput{NickName: "Bo", Sex: 1})
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "scripted dial failure") {
		t.Fatalf("err = %v, want the dial failure, not an unknown outcome", err)
	}
	if got := dials.Load(); got != 1+DefaultMaxAttempts {
		t.Fatalf("%d dials, want %d", got, 1+DefaultMaxAttempts)
	}
	if ci.Attempts() != DefaultMaxAttempts || f.business.Load() != 0 {
		t.Fatalf("attempts %d, business requests %d", ci.Attempts(), f.business.Load())
	}
}

func TestTokenRenewedOnceOn1010(t *testing.T) {
	tests := []struct {
		name      string
		add       bool
		always    bool // the cloud refuses every token
		requests  int64
		wantGrant int64
	}{
		{name: "get recovers", requests: 2, wantGrant: 2},
		{name: "add recovers", add: true, requests: 2, wantGrant: 2},
		{name: "get retries only once", always: true, requests: 2, wantGrant: 2},
		{name: "add retries only once", add: true, always: true, requests: 2, wantGrant: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if tt.always {
					fail(w, 1010, "token invalid")
					return
				}
				scripted()(w, r, body)
			})
			c := f.client(t, nil)
			ctx := bg(t)
			if _, err := c.tokens.get(ctx); err != nil {
				t.Fatal(err)
			}
			f.revoke()
			var err error
			if tt.add {
				_, err = c.AddDeviceUser(ctx, "sc", DeviceUserInput{NickName: "Bo", Sex: 1})
			} else {
				_, err = c.GetDevice(ctx, "d1")
			}
			if tt.always != (err != nil) {
				t.Fatalf("err = %v", err)
			}
			if tt.always && (!IsCode(err, CodeTokenInvalid) || errors.Is(err, ErrOutcomeUnknown)) {
				t.Fatalf("err = %v, want a plain 1010", err)
			}
			if f.business.Load()+f.rejected.Load() != tt.requests || f.grants.Load() != tt.wantGrant {
				t.Fatalf("business %d + rejected %d, grants %d; want %d requests and %d grants",
					f.business.Load(), f.rejected.Load(), f.grants.Load(), tt.requests, tt.wantGrant)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{cfg: Config{RetryBaseDelay: 100 * time.Millisecond, RetryMaxDelay: 2 * time.Second}}
	for n := 1; n <= 70; n++ {
		ceil := min(2*time.Second, 100*time.Millisecond<<min(n-1, 20))
		var maxSeen time.Duration
		for range 200 {
			d := c.backoff(n)
			if d < 0 || d > ceil {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", n, d, ceil)
			}
			maxSeen = max(maxSeen, d)
		}
		// Full jitter spreads over the whole range, not only its bottom.
		if maxSeen < ceil/2 {
			t.Fatalf("backoff(%d) never above %v in 200 draws (ceil %v)", n, maxSeen, ceil)
		}
	}
}

func TestContextEndsPromptly(t *testing.T) {
	tests := []struct {
		name    string
		add     bool
		handle  step
		unknown bool
	}{
		{name: "while waiting to retry", handle: code(500)},
		{name: "while waiting for an answer", handle: stall},
		{name: "add while waiting for an answer", add: true, handle: stall, unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { tt.handle(w, r) })
			c := f.client(t, func(cfg *Config) {
				cfg.RetryBaseDelay, cfg.RetryMaxDelay, cfg.MaxAttempts = 10*time.Second, 10*time.Second, 100
			})
			if _, err := c.tokens.get(bg(t)); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(bg(t), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			var err error
			if tt.add {
				_, err = c.AddDeviceUser(ctx, "sc", DeviceUserInput{NickName: "Bo", Sex: 1})
			} else {
				_, err = c.GetDevice(ctx, "d1")
			}
			if el := time.Since(start); el > time.Second {
				t.Fatalf("returned after %v", el)
			}
			if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrOutcomeUnknown) != tt.unknown {
				t.Fatalf("err = %v, want deadline exceeded, unknown outcome %v", err, tt.unknown)
			}
		})
	}
}

func TestAnswerChecks(t *testing.T) {
	tests := []struct {
		name   string
		handle step
		want   int
	}{
		{name: "oversized answer", handle: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"success":true,"result":"`))
			w.Write([]byte(strings.Repeat("x", maxBody)))
			w.Write([]byte(`"}`))
		}, want: 200},
		{name: "redirect not followed", handle: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusFound)
		}, want: 302},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { tt.handle(w, r) })
			// Reading 16 MiB under -race has taken over 10 s (the default attempt timeout) on a
			// loaded 2-core machine, against about a second on a quiet one: these bounds only
			// guard against a hang.
			c := f.client(t, func(cfg *Config) { cfg.RequestTimeout = 2 * time.Minute })
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			_, err := c.GetDevice(ctx, "d1")
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != tt.want || he.Path != "/v1.0/devices/{device_id}" {
				t.Fatalf("err = %v, want HTTPError %d naming the route", err, tt.want)
			}
		})
	}
}

func TestCallInfo(t *testing.T) {
	var n atomic.Int64
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch n.Add(1) {
		case 1:
			writeEnvelope(w, map[string]any{"success": false, "code": 1110, "msg": "limit", "tid": "tid-limit"})
		case 2:
			writeEnvelope(w, map[string]any{"success": true, "result": map[string]any{"id": "d1"}, "tid": "tid-ok"})
		default:
			writeEnvelope(w, map[string]any{"success": false, "code": 2010, "msg": "device not exist", "tid": "tid-2010"})
		}
	})
	c := f.client(t, nil)
	ctx, ci := WithCallInfo(bg(t))
	if _, err := c.GetDevice(ctx, "d1"); err != nil {
		t.Fatal(err)
	}
	if ci.Attempts() != 2 || ci.Code() != 0 || ci.Tid() != "tid-ok" {
		t.Fatalf("attempts %d code %d tid %q", ci.Attempts(), ci.Code(), ci.Tid())
	}
	ctx, ci = WithCallInfo(bg(t))
	_, err := c.GetDevice(ctx, "d1")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Tid != "tid-2010" || ci.Attempts() != 1 || ci.Code() != 2010 || ci.Tid() != "tid-2010" {
		t.Fatalf("err %v; attempts %d code %d tid %q", err, ci.Attempts(), ci.Code(), ci.Tid())
	}
}

// TestAfterUncertainAttempt checks that a failure envelope says when an earlier attempt of the
// same call may have carried the operation out, and only then.
func TestAfterUncertainAttempt(t *testing.T) {
	tests := []struct {
		name   string
		script []step
		want   bool
	}{
		{name: "first attempt", script: []step{code(2006)}},
		{name: "after a 500", script: []step{code(500), code(2006)}, want: true},
		{name: "after a 1111", script: []step{code(1111), code(2006)}, want: true},
		{name: "after HTTP 503", script: []step{status(503), code(2006)}, want: true},
		{name: "after a dropped connection", script: []step{dropStep, code(2006)}, want: true},
		{name: "after an attempt timeout", script: []step{stall, code(2006)}, want: true},
		{name: "after a 500 and a rate limit", script: []step{code(500), code(1110), code(2006)}, want: true},
		{name: "after a rate limit", script: []step{code(1110), code(1199), code(2006)}},
		{name: "after a refused token", script: []step{code(1010), code(2006)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, scripted(tt.script...))
			c := f.client(t, func(cfg *Config) { cfg.RequestTimeout = 500 * time.Millisecond })
			err := c.DeleteDeviceUser(bg(t), "sc", "51")
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != 2006 {
				t.Fatalf("err = %v, want APIError 2006", err)
			}
			if got := f.business.Load() + f.rejected.Load(); got != int64(len(tt.script)) {
				t.Fatalf("%d requests, want %d", got, len(tt.script))
			}
			if ae.AfterUncertainAttempt != tt.want {
				t.Errorf("AfterUncertainAttempt = %v, want %v", ae.AfterUncertainAttempt, tt.want)
			}
		})
	}
}

// TestNoSecretsInLogsOrErrors drives grants, refreshes, 1010s, retries and failures with a debug
// logger, then looks for the secret, every token issued and every sign sent.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	var signs []string
	var n atomic.Int64
	var f *fakeCloud
	f = newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		f.mu.Lock()
		signs = append(signs, r.Header.Get("sign"))
		f.mu.Unlock()
		switch n.Add(1) % 3 {
		case 1:
			fail(w, 500, "system error")
		case 2:
			drop(w)
		default:
			ok(w, map[string]any{"id": "d1"})
		}
	})
	var logs logBuffer
	clock := testutil.NewClock(time.Now())
	c := f.client(t, func(cfg *Config) { cfg.Logger = logs.logger(); cfg.Now = clock.Now })
	var errs []string
	for i := range 12 {
		if i%4 == 3 {
			f.revoke()
		}
		if i%4 == 1 {
			clock.Advance(2 * time.Hour) // past expiry: a refresh, or a grant when it fails
			// Refreshes are refused or dropped in turn; the log line of a dropped refresh must not
			// carry its URL, which holds the refresh token.
			f.mu.Lock()
			f.refuseRefresh, f.dropRefresh = i == 5, i == 9
			f.mu.Unlock()
		}
		if _, err := c.GetDevice(bg(t), "d1"); err != nil {
			errs = append(errs, err.Error())
		}
		if _, err := c.AddDeviceUser(bg(t), "sc", DeviceUserInput{NickName: "Bo", Sex: 1}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) == 0 || f.refreshes.Load() == 0 || f.grants.Load() < 3 {
		t.Fatalf("scenario too tame: %d errors, %d refreshes, %d grants", len(errs), f.refreshes.Load(), f.grants.Load())
	}
	text := logs.String() + strings.Join(errs, "\n")
	secrets := f.secrets()
	f.mu.Lock()
	secrets = append(secrets, signs...)
	f.mu.Unlock()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("secret %q leaked into logs or errors", s)
		}
	}
	for _, want := range []string{`"route":"/v1.0/devices/{device_id}"`, `"attempt":2`, `"tid":"0123456789abcdef0123456789abcdef"`, "retrying", "token refresh failed"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("logs lack %s:\n%s", want, logs.String())
		}
	}
}
