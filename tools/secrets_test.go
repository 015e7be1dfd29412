package tools_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// Kinds of secret the scanner knows.
const (
	kindAccessSecret = "access secret"
	kindAccessToken  = "access token"
	kindRefreshToken = "refresh token"
	// kindPassword is a user_sync password and its MD5 hex digest. The digest is what user sync
	// sends and what the cloud checks, so it is as good as the password to whoever holds it
	// (and weak passwords are easily recovered from it): it goes to Tuya in the request body,
	// which nothing logs, and nowhere else.
	kindPassword = "password"
	kindLocalKey = "local key"
)

// minSecretLen is the shortest value the scanner looks for: shorter ones (a test's password
// "p") would match ordinary text by chance. Every secret the cloud or the sandbox issues is
// longer.
const minSecretLen = 8

// secretScanner finds known secret values in text.
type secretScanner struct {
	mu     sync.Mutex
	kinds  map[string]string // value -> kind
	tooFew map[string]int    // kind -> values too short to look for
}

func newSecretScanner() *secretScanner {
	return &secretScanner{kinds: map[string]string{}, tooFew: map[string]int{}}
}

// add registers values of a kind.
func (s *secretScanner) add(kind string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < minSecretLen {
			s.tooFew[kind]++
			continue
		}
		s.kinds[v] = kind
	}
}

// count returns how many values of a kind are registered.
func (s *secretScanner) count(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range s.kinds {
		if k == kind {
			n++
		}
	}
	return n
}

// any returns one registered value of a kind, or "" when there is none.
func (s *secretScanner) any(kind string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for v, k := range s.kinds {
		if k == kind {
			return v
		}
	}
	return ""
}

// find reports every registered secret in text, except those of the allowed kinds, as "kind
// abc123… in: <where>" (the value cut short, so that a failing test does not print it whole;
// where is the text around its first occurrence, every secret in it masked).
func (s *secretScanner) find(text string, allowed ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []string
	for v, kind := range s.kinds {
		if !slices.Contains(allowed, kind) && strings.Contains(text, v) {
			found = append(found, v)
		}
	}
	if len(found) == 0 {
		return nil
	}
	masked := s.masker().Replace(text)
	out := make([]string, len(found))
	for i, v := range found {
		tag := s.tag(v)
		at := strings.Index(masked, tag)
		where := masked[max(0, at-160):min(len(masked), at+len(tag)+160)]
		out[i] = fmt.Sprintf("%s %s… in: %q", s.kinds[v], v[:6], where)
	}
	slices.Sort(out)
	return out
}

// masker replaces every registered secret with its tag, longest first so that a secret
// holding a shorter one is masked whole. The caller holds s.mu.
func (s *secretScanner) masker() *strings.Replacer {
	vs := slices.SortedFunc(maps.Keys(s.kinds), func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	pairs := make([]string, 0, 2*len(vs))
	for _, v := range vs {
		pairs = append(pairs, v, s.tag(v))
	}
	return strings.NewReplacer(pairs...)
}

// tag names a secret without showing it: its kind and a hash of it.
func (s *secretScanner) tag(v string) string {
	sum := sha256.Sum256([]byte(v))
	return fmt.Sprintf("<%s %x>", s.kinds[v], sum[:4])
}

// tokenRecorder is an http.RoundTripper that learns every access token a client sends and every
// token pair the cloud grants, so that a test knows what must never be shown.
type tokenRecorder struct {
	next *http.Transport
	s    *secretScanner
}

func (r *tokenRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	// The client sends the protocol's lower-case header names as map keys, not canonical ones;
	// matching the name in any case learns the token however it is spelt.
	for name, vs := range req.Header {
		if strings.EqualFold(name, "access_token") {
			r.s.add(kindAccessToken, vs...)
		}
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/v1.0/token") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var env struct {
		Result struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		} `json:"result"`
	}
	if json.Unmarshal(body, &env) == nil {
		r.s.add(kindAccessToken, env.Result.AccessToken)
		r.s.add(kindRefreshToken, env.Result.RefreshToken)
	}
	return resp, nil
}

// recordingClient is an MCP client that keeps everything its calls return (results, isError
// texts, errors) and learns the passwords given to user_sync.
type recordingClient struct {
	mcpclient.MCPClient
	s    *secretScanner
	mu   sync.Mutex
	seen strings.Builder
}

func (r *recordingClient) CallTool(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if args, ok := req.Params.Arguments.(map[string]any); ok {
		if pw, ok := args["password"].(string); ok {
			sum := md5.Sum([]byte(pw))
			r.s.add(kindPassword, pw, hex.EncodeToString(sum[:]))
		}
	}
	res, err := r.MCPClient.CallTool(ctx, req)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		fmt.Fprintln(&r.seen, err)
	}
	if res != nil {
		b, merr := json.Marshal(res)
		if merr != nil {
			return nil, merr
		}
		r.seen.Write(b)
		r.seen.WriteByte('\n')
	}
	return res, err
}

func (r *recordingClient) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen.String()
}

// secretsWorkload drives the tools through c while the sandbox fails, drops and revokes: user
// syncs with fresh passwords (valid, and invalid in ways that must not echo them), device reads
// that carry local keys in the cloud's answers, and device-user writes. Halfway it pauses for
// longer than the token lifetime, so that the client refreshes its token.
func secretsWorkload(c *recordingClient, sb *sandbox.Server, rounds int, tokenTTL time.Duration) {
	for n := range rounds {
		switch {
		case n == rounds/2:
			time.Sleep(tokenTTL)
		case n%4 == 3:
			sb.RevokeTokens()
		}
		pw := fmt.Sprintf("Pw-%d-%s", n, strings.Repeat("s", 6))
		for _, args := range []map[string]any{
			{"country_code": "44", "username": fmt.Sprintf("secret-%d@example.com", n), "username_type": "email", "password": pw},
			{"country_code": "44", "username": "not-a-mobile", "username_type": "mobile", "password": pw + "-bad-mobile"},
			{"country_code": "44", "username": "zed", "password": pw + "-not-md5", "password_is_md5": true},
			{"country_code": "999", "username": "zed", "password": pw + "-bad-country"},
		} {
			callWithin(c, 30*time.Second, "user_sync", args)
		}
		for _, call := range []struct {
			tool string
			args map[string]any
		}{
			{"device_get", map[string]any{"device_id": sandbox.DemoGatewayID}},
			{"device_list", nil},
			{"device_list", map[string]any{"device_ids": []any{sandbox.DemoStripID, sandbox.DemoScaleID}}},
			{"user_device_list", map[string]any{"uid": sandbox.DemoUserUID}},
			{"device_sub_device_list", map[string]any{"device_id": sandbox.DemoGatewayID}},
			{"device_factory_info_list", map[string]any{"device_ids": []any{sandbox.DemoGatewayID}}},
			{"device_user_add", map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": fmt.Sprintf("s%d", n), "sex": "male"}},
			{"device_user_list", map[string]any{"device_id": sandbox.DemoScaleID}},
			{"device_get", map[string]any{"device_id": "nosuchdevice0000"}},
		} {
			callWithin(c, 30*time.Second, call.tool, call.args)
		}
	}
}

// TestNoSecretsLeak runs the conformance suite and a faulty workload with every log at debug
// level, learning every secret on the way (tokens from the wire, passwords from the calls, local
// keys from the sandbox), and fails if any shows up in a log, an error or a result. Local keys
// may appear only in the results of a server that exposes them.
func TestNoSecretsLeak(t *testing.T) {
	s := newSecretScanner()
	s.add(kindAccessSecret, sandbox.DemoAccessSecret)
	var logs testutil.SyncBuffer
	logger := zerolog.New(&logs).Level(zerolog.DebugLevel)

	rec := &tokenRecorder{next: &http.Transport{}, s: s}
	t.Cleanup(rec.next.CloseIdleConnections)
	// A short token lifetime makes the client refresh, so refresh tokens travel too.
	const ttl = time.Second
	st := tooltest.NewStack(t, tooltest.StackOptions{
		Sandbox: sandbox.Options{Logger: logger, Faults: sandbox.Faults{TokenTTL: ttl}},
		Client:  client.Config{HTTPClient: &http.Client{Transport: rec}, Logger: logger, RetryBaseDelay: 10 * time.Millisecond},
		Tools:   tools.Options{Logger: logger},
	})
	for _, d := range st.Sandbox.Devices() {
		s.add(kindLocalKey, d.LocalKey)
	}

	hidden := &recordingClient{MCPClient: st.Dial(t).Client, s: s}
	tooltest.Run(t, hidden, st.Sandbox)

	exposing, err := tools.NewServer(st.Tuya, tools.Options{DefaultSchema: sandbox.DemoSchema, ExposeLocalKeys: true, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ic, err := mcpclient.NewInProcessClient(exposing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ic.Close() })
	tooltest.Initialize(t, ic, "")
	exposed := &recordingClient{MCPClient: ic, s: s}

	st.Sandbox.SetFaults(sandbox.Faults{TokenTTL: ttl, FailRate: 0.15, DropRate: 0.03, Seed: 3})
	secretsWorkload(hidden, st.Sandbox, 8, ttl)
	secretsWorkload(exposed, st.Sandbox, 4, ttl)
	st.Close()

	t.Logf("secrets known: %d access tokens, %d refresh tokens (%d refreshes), %d passwords (%d too short to look for), %d local keys; %d bytes of logs, %d of results",
		s.count(kindAccessToken), s.count(kindRefreshToken), st.Sandbox.Stats().TokenRefreshes, s.count(kindPassword), s.tooFew[kindPassword],
		s.count(kindLocalKey), len(logs.String()), len(hidden.text())+len(exposed.text()))
	// Without these the scan below would pass for want of secrets to look for.
	if n := st.Sandbox.Stats().TokenRefreshes; n == 0 {
		t.Error("the client never refreshed its token, so no refresh token was used")
	}
	for kind, least := range map[string]int{kindAccessSecret: 1, kindAccessToken: 3, kindRefreshToken: 3, kindPassword: 20, kindLocalKey: 10} {
		if n := s.count(kind); n < least {
			t.Errorf("only %d %s values were learnt, want at least %d", n, kind, least)
		}
	}

	t.Run("debug_logs", func(t *testing.T) {
		// Lines of each logger at its most talkative level, or the scan misses what they say.
		for _, line := range []string{`"message":"tuya call"`, `"message":"tuya access token obtained"`,
			`"message":"tool call"`, `"message":"mcp.request"`, `"message":"request"`} {
			if !strings.Contains(logs.String(), line) {
				t.Errorf("the logs have no %s line", line)
			}
		}
		if found := s.find(logs.String()); len(found) > 0 {
			t.Errorf("the debug logs hold secrets: %v", found)
		}
	})
	t.Run("results_and_errors", func(t *testing.T) {
		if found := s.find(hidden.text()); len(found) > 0 {
			t.Errorf("results and errors of the default server hold secrets: %v", found)
		}
	})
	t.Run("exposed_local_keys_only", func(t *testing.T) {
		text := exposed.text()
		if found := s.find(text, kindLocalKey); len(found) > 0 {
			t.Errorf("results and errors of the server exposing local keys hold other secrets: %v", found)
		}
		// The other way round, the scanner must see the local keys this server shows.
		if found := s.find(text); len(found) == 0 {
			t.Error("the server exposing local keys showed none: the scan of local keys is untested")
		}
	})
	t.Run("scanner_catches_planted", func(t *testing.T) {
		for _, kind := range []string{kindAccessSecret, kindAccessToken, kindRefreshToken, kindPassword, kindLocalKey} {
			v := s.any(kind)
			var planted testutil.SyncBuffer
			pl := zerolog.New(&planted)
			pl.Debug().Str("detail", "x"+v+"y").Msg("planted")
			found := s.find(planted.String())
			if !allOf(found, kind) {
				t.Errorf("a %s planted in a log line: found %v", kind, found)
			}
			if !slices.ContainsFunc(found, func(f string) bool { return strings.Contains(f, `\"detail\":\"x<`+kind+" ") }) ||
				strings.Contains(fmt.Sprint(found), v) {
				t.Errorf("the report of a %s planted in a log line does not show where it is, masked: %v", kind, found)
			}
			res, _ := json.Marshal(mcp.NewToolResultText("id " + v))
			if found := s.find(string(res)); !allOf(found, kind) {
				t.Errorf("a %s planted in a result: found %v", kind, found)
			}
			if found := s.find(string(res), kind); len(found) != 0 {
				t.Errorf("a %s planted in a result where that kind is allowed: found %v", kind, found)
			}
		}
	})
}

// allOf reports whether found names at least one secret and only secrets of the kind (a
// password may hold a shorter one).
func allOf(found []string, kind string) bool {
	return len(found) > 0 && !slices.ContainsFunc(found, func(f string) bool { return !strings.HasPrefix(f, kind+" ") })
}
