package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// tokenSpy is a proxy in front of the cloud that records every access and refresh token on
// the wire, so that the test can look for them in the logs.
type tokenSpy struct {
	mu     sync.Mutex
	tokens []string
}

func (s *tokenSpy) add(tok string) {
	if tok != "" {
		s.mu.Lock()
		s.tokens = append(s.tokens, tok)
		s.mu.Unlock()
	}
}

func (s *tokenSpy) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

func (s *tokenSpy) proxy(t *testing.T, cloud string) string {
	target, err := url.Parse(cloud)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(res *http.Response) error {
		b, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		res.Body = io.NopCloser(bytes.NewReader(b))
		var env struct {
			Result struct {
				AccessToken  string `json:"access_token"`
				RefreshToken string `json:"refresh_token"`
			} `json:"result"`
		}
		if json.Unmarshal(b, &env) == nil {
			s.add(env.Result.AccessToken)
			s.add(env.Result.RefreshToken)
		}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r.Header.Get("access_token"))
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestNoSecretsInLogs runs calls that handle every kind of secret with debug logs on, with
// every kind of token store (and a Redis password the server refuses), and checks that none of
// them reaches stderr or the metrics.
func TestNoSecretsInLogs(t *testing.T) {
	t.Parallel()
	const (
		id        = "secretsaccessid01"
		secret    = "cloud-secret-8a1f0b9e77c4"
		password  = "user-password-5Tq9"
		httpToken = "http-bearer-token-93kd"
		redisPass = "redis-password-6Yw2"
	)
	rs := testutil.StartRedis(t, "--requirepass", redisPass)
	// The last store's password is refused: its error goes to stderr too.
	stores := []string{"memory", "file:" + t.TempDir(), rs.URLWithPassword(redisPass), rs.URLWithPassword(redisPass + "-wrong")}
	srv := startSandbox(t, sandbox.Options{AccessID: id, AccessSecret: secret})
	dev, ok := srv.Device(sandbox.DemoStripID)
	if !ok || dev.LocalKey == "" {
		t.Fatalf("demo strip: %+v", dev)
	}
	var spy tokenSpy
	cloud := []string{"--log-level", "debug", "--endpoint", spy.proxy(t, srv.URL), "--access-id", id,
		"--access-secret", secret, "--schema", sandbox.DemoSchema}

	var logs strings.Builder
	for _, store := range stores {
		for _, args := range [][]string{
			{"user_sync", "country_code=1", "username=spy", "password=" + password},
			{"device_get", "device_id=" + sandbox.DemoStripID},
			{"device_list"},
			{"device_get", "device_id=nosuchdevice00"},
		} {
			o := runBin(t, nil, append(append([]string{"call", "--token-store", store}, cloud...), args...)...)
			if strings.Contains(o.stdout, password) || strings.Contains(o.stdout, dev.LocalKey) {
				t.Errorf("%s: result shows a secret: %s", args[0], o.stdout)
			}
			logs.WriteString(o.stderr)
		}
	}
	// The refused password stops the command at start, saying so.
	if !strings.Contains(logs.String(), "wrong user name or password") {
		t.Fatal("the refused Redis password caused no store error: the check would prove less")
	}

	p := startBin(t, append([]string{"http", "--listen", "127.0.0.1:0", "--http-token", httpToken,
		"--token-store", stores[2], "--metrics-listen", "127.0.0.1:0"}, cloud...)...)
	u := p.url(t)
	metricsURL := p.waitLine(t, metricsLine)[1]
	for _, auth := range []string{"Bearer " + httpToken, "Bearer " + httpToken + "x", "Basic " + httpToken} {
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(&logs, res.Body)
	res.Body.Close()
	p.stop(t, syscall.SIGTERM)
	logs.WriteString(p.stderr())

	if !strings.Contains(logs.String(), `"level":"debug"`) {
		t.Fatalf("no debug lines: the check would prove nothing:\n%s", logs.String())
	}
	tokens := spy.seen()
	if len(tokens) == 0 {
		t.Fatal("no token seen on the wire")
	}
	for what, s := range map[string]string{"access secret": secret, "password": password, "local key": dev.LocalKey,
		"HTTP token": httpToken, "Redis password": redisPass, "refused Redis password": redisPass + "-wrong"} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the logs show the %s", what)
		}
	}
	for _, tok := range tokens {
		if strings.Contains(logs.String(), tok) {
			t.Errorf("the logs show a Tuya token")
		}
	}
}
