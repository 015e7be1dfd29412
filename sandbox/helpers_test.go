package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

// testEpoch is the fake clock's start; the demo data is dated relative to it.
var testEpoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// newClock returns a fake clock at testEpoch, for Options.Now.
func newClock() *testutil.Clock { return testutil.NewClock(testEpoch) }

// start serves a sandbox on loopback until the test ends. A nil Now gets a fresh fake clock.
func start(t testing.TB, opts Options) (*Server, *testutil.Clock) {
	t.Helper()
	var clk *testutil.Clock
	if opts.Now == nil {
		clk = newClock()
		opts.Now = clk.Now
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return srv, clk
}

// testSigner signs requests from the protocol page, written apart from verify.go: it builds
// the canonical URL from url.Values with sort.Strings, the way the Python SDK does.
type testSigner struct {
	id, secret string
}

// signed is what a test request carries besides method, URL and body.
type signed struct {
	token string
	t     time.Time
	nonce string
	// noNonce leaves the nonce header out.
	noNonce bool
	// sigHeaders are extra headers to sign, listed in Signature-Headers; emptySigHeaders sends
	// the header with no value.
	sigHeaders      [][2]string
	emptySigHeaders bool
}

func (ts testSigner) sign(method, rawURL string, body []byte, o signed) http.Header {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	return ts.signURL(method, u, body, o)
}

func (ts testSigner) signURL(method string, u *url.URL, body []byte, o signed) http.Header {
	canon := u.EscapedPath()
	if q := u.Query(); len(q) > 0 {
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			for _, v := range q[k] {
				parts = append(parts, fmt.Sprintf("%s=%s", k, v))
			}
		}
		canon += "?" + strings.Join(parts, "&")
	}
	h := http.Header{}
	var block, names string
	for i, kv := range o.sigHeaders {
		h.Set(kv[0], kv[1])
		block += kv[0] + ":" + kv[1] + "\n"
		if i > 0 {
			names += ":"
		}
		names += kv[0]
	}
	if names != "" || o.emptySigHeaders {
		h.Set("Signature-Headers", names)
	}
	bodyHash := sha256.Sum256(body)
	toSign := strings.Join([]string{method, hex.EncodeToString(bodyHash[:]), block, canon}, "\n")
	ms := strconv.FormatInt(o.t.UnixMilli(), 10)
	nonce := o.nonce
	if o.noNonce {
		nonce = ""
	}
	mac := hmac.New(sha256.New, []byte(ts.secret))
	io.WriteString(mac, ts.id+o.token+ms+nonce+toSign)
	h.Set("client_id", ts.id)
	h.Set("t", ms)
	h.Set("sign_method", "HMAC-SHA256")
	h.Set("sign", strings.ToUpper(hex.EncodeToString(mac.Sum(nil))))
	if !o.noNonce {
		h.Set("nonce", nonce)
	}
	if o.token != "" {
		h.Set("access_token", o.token)
	}
	if len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	return h
}

// envelope is any sandbox answer.
type envelope struct {
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Code    int             `json:"code"`
	Msg     string          `json:"msg"`
	T       int64           `json:"t"`
	Tid     string          `json:"tid"`
}

// tc is a test client of one sandbox.
type tc struct {
	t     testing.TB
	srv   *Server
	clk   *testutil.Clock
	ts    testSigner
	token string
	hc    *http.Client
}

func newTC(t testing.TB, srv *Server, clk *testutil.Clock) *tc {
	return &tc{t: t, srv: srv, clk: clk, ts: testSigner{DemoAccessID, DemoAccessSecret}, hc: &http.Client{Timeout: 10 * time.Second}}
}

// client starts a sandbox with opts and returns a client holding a token.
func client(t testing.TB, opts Options) *tc {
	srv, clk := start(t, opts)
	c := newTC(t, srv, clk)
	c.grant()
	return c
}

func (c *tc) now() time.Time {
	if c.clk != nil {
		return c.clk.Now()
	}
	return time.Now()
}

// send signs and sends one request; path includes the query, percent-encoded.
func (c *tc) send(method, path string, body []byte, o signed) (*http.Response, error) {
	if o.t.IsZero() {
		o.t = c.now()
	}
	if o.nonce == "" && !o.noNonce {
		o.nonce = "5138cc3a9033d69856923fd07b491173"
	}
	req, err := http.NewRequest(method, c.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = c.ts.sign(method, c.srv.URL+path, body, o)
	return c.hc.Do(req)
}

func (c *tc) decode(resp *http.Response) envelope {
	c.t.Helper()
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		c.t.Fatalf("decode envelope: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("HTTP status %d", resp.StatusCode)
	}
	return env
}

// raw sends a request with the client's token (business paths) and returns the envelope.
func (c *tc) raw(method, path string, body any) envelope {
	c.t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			c.t.Fatal(err)
		}
	}
	o := signed{}
	if !strings.HasPrefix(path, "/v1.0/token") {
		o.token = c.token
	}
	resp, err := c.send(method, path, b, o)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return c.decode(resp)
}

// ok sends a request that must succeed and decodes its result into out (when not nil).
func (c *tc) ok(method, path string, body, out any) {
	c.t.Helper()
	env := c.raw(method, path, body)
	if !env.Success {
		c.t.Fatalf("%s %s: code %d %q", method, path, env.Code, env.Msg)
	}
	if out != nil {
		if err := json.Unmarshal(env.Result, out); err != nil {
			c.t.Fatalf("%s %s: result %s: %v", method, path, env.Result, err)
		}
	}
}

// fail sends a request that must fail with code.
func (c *tc) fail(code int, method, path string, body any) envelope {
	c.t.Helper()
	env := c.raw(method, path, body)
	if env.Success || env.Code != code {
		c.t.Fatalf("%s %s: got success=%v code %d %q, want code %d", method, path, env.Success, env.Code, env.Msg, code)
	}
	return env
}

type tokenRes struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpireTime   int64  `json:"expire_time"`
	UID          string `json:"uid"`
}

func (c *tc) grant() tokenRes {
	c.t.Helper()
	var tr tokenRes
	c.ok("GET", "/v1.0/token?grant_type=1", nil, &tr)
	c.token = tr.AccessToken
	return tr
}

// q builds a query string.
func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}

func secs(t time.Time) string   { return strconv.FormatInt(t.Unix(), 10) }
func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
