package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// guarded serves a guard in front of a handler that echoes how much body it could read.
func guarded(t *testing.T, token string, origins []string) string {
	t.Helper()
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		io.WriteString(w, "reached "+strings.Repeat("x", int(min(n, 1))))
	})
	srv := httptest.NewServer(newGuard(next, token, origins, zerolog.Nop()))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestGuard(t *testing.T) {
	const token = "s3cret-token"
	tests := []struct {
		name       string
		token      string
		origins    []string
		method     string // default POST
		header     map[string]string
		body       io.Reader
		wantStatus int
		wantAuth   string // expected WWW-Authenticate
	}{
		{name: "no token configured, no origin", wantStatus: 200},
		{name: "token required, none sent", token: token, wantStatus: 401, wantAuth: `Bearer realm="tuya-mcp"`},
		{name: "wrong token", token: token, header: map[string]string{"Authorization": "Bearer nope"},
			wantStatus: 401, wantAuth: `Bearer realm="tuya-mcp", error="invalid_token"`},
		{name: "token as a prefix", token: token, header: map[string]string{"Authorization": "Bearer " + token + "x"},
			wantStatus: 401, wantAuth: `Bearer realm="tuya-mcp", error="invalid_token"`},
		{name: "basic instead of bearer", token: token, header: map[string]string{"Authorization": "Basic " + token},
			wantStatus: 401, wantAuth: `Bearer realm="tuya-mcp", error="invalid_token"`},
		{name: "right token", token: token, header: map[string]string{"Authorization": "Bearer " + token}, wantStatus: 200},
		{name: "scheme is case-insensitive", token: token, header: map[string]string{"Authorization": "bearer " + token},
			wantStatus: 200},
		{name: "foreign origin", header: map[string]string{"Origin": "https://evil.example"}, wantStatus: 403},
		{name: "foreign origin is refused before auth", token: token,
			header: map[string]string{"Origin": "https://evil.example", "Authorization": "Bearer " + token}, wantStatus: 403},
		{name: "localhost lookalike", header: map[string]string{"Origin": "http://localhost.evil.example"}, wantStatus: 403},
		{name: "null origin", header: map[string]string{"Origin": "null"}, wantStatus: 403},
		{name: "localhost origin", header: map[string]string{"Origin": "http://localhost:5173"}, wantStatus: 200},
		{name: "loopback origin", header: map[string]string{"Origin": "http://127.0.0.1:3000"}, wantStatus: 200},
		{name: "IPv6 loopback origin", header: map[string]string{"Origin": "https://[::1]:8443"}, wantStatus: 200},
		{name: "configured origin", origins: []string{"https://app.example/"},
			header: map[string]string{"Origin": "https://APP.example"}, wantStatus: 200},
		{name: "configured origin is exact", origins: []string{"https://app.example"},
			header: map[string]string{"Origin": "https://app.example:444"}, wantStatus: 403},
		{name: "any origin", origins: []string{"*"}, header: map[string]string{"Origin": "https://evil.example"},
			wantStatus: 200},
		{name: "preflight of a configured origin needs no token", token: token, origins: []string{"https://app.example"},
			method: http.MethodOptions, header: map[string]string{"Origin": "https://app.example",
				"Access-Control-Request-Method": "POST"}, wantStatus: 204},
		{name: "preflight of a loopback origin needs no token", token: token, method: http.MethodOptions,
			header:     map[string]string{"Origin": "http://localhost:6274", "Access-Control-Request-Method": "POST"},
			wantStatus: 204},
		{name: "plain OPTIONS needs the token", token: token, origins: []string{"https://app.example"},
			method: http.MethodOptions, wantStatus: 401, wantAuth: `Bearer realm="tuya-mcp"`},
		{name: "body at the limit", body: strings.NewReader(strings.Repeat("a", maxRequestBody)), wantStatus: 200},
		{name: "declared body over the limit", body: strings.NewReader(strings.Repeat("a", maxRequestBody+1)),
			wantStatus: 413},
		{name: "streamed body over the limit", body: io.MultiReader(strings.NewReader(strings.Repeat("a", maxRequestBody)),
			strings.NewReader("b")), wantStatus: 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := guarded(t, tt.token, tt.origins)
			body := tt.body
			if body == nil {
				body = strings.NewReader("{}")
			}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, url, body)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := body.(*strings.Reader); !ok {
				req.ContentLength = -1 // chunked: the limit must hold without a Content-Length
			}
			res, b, err := send(req, tt.header)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d (%s), want %d", res.StatusCode, b, tt.wantStatus)
			}
			if got := res.Header.Get("WWW-Authenticate"); got != tt.wantAuth {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.wantAuth)
			}
			if tt.wantStatus != 200 && strings.Contains(string(b), "reached") {
				t.Errorf("refused request reached the MCP handler")
			}
			if strings.Contains(string(b), token) {
				t.Errorf("response reveals the token: %s", b)
			}
		})
	}
}

// FuzzGuardHeaders checks that no Origin or Authorization header crashes the guard or
// authenticates without the token.
func FuzzGuardHeaders(f *testing.F) {
	const token = "tok"
	f.Add("http://localhost:1", "Bearer tok")
	f.Add("null", "Bearer")
	f.Add("http://[::1", "bearer  tok ")
	f.Add("", "Basic dG9r")
	g := newGuard(http.NotFoundHandler(), token, []string{"https://ok.example"}, zerolog.Nop())
	f.Fuzz(func(t *testing.T, origin, auth string) {
		g.originAllowed(origin)
		r := httptest.NewRequest(http.MethodPost, "/mcp", nil)
		r.Header.Set("Authorization", auth)
		if ok, _ := g.authorized(r); ok && !strings.Contains(auth, token) {
			t.Fatalf("authorized by %q", auth)
		}
	})
}
