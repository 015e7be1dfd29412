package main

import (
	"context"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

func TestHTTPEndpoints(t *testing.T) {
	t.Parallel()
	const token = "t0ken"
	p := startBin(t, "http", "--sandbox", "--listen", "127.0.0.1:0", "--http-token", token,
		"--allowed-origins", "https://app.example")
	mcpURL := p.url(t)
	base := strings.TrimSuffix(mcpURL, "/mcp")
	const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",` +
		`"capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

	tests := []struct {
		name       string
		method     string
		path       string
		header     map[string]string
		body       string
		wantStatus int
		wantBody   string
		wantCORS   string // Access-Control-Allow-Origin
	}{
		{name: "healthz needs no token", method: "GET", path: "/healthz", wantStatus: 200, wantBody: `{"status":"ok"}`},
		{name: "no token", method: "POST", path: "/mcp", body: initBody, wantStatus: 401},
		{name: "wrong token", method: "POST", path: "/mcp", body: initBody,
			header: map[string]string{"Authorization": "Bearer wrong"}, wantStatus: 401},
		{name: "initialize", method: "POST", path: "/mcp", body: initBody,
			header: map[string]string{"Authorization": "Bearer " + token}, wantStatus: 200, wantBody: `"serverInfo"`},
		{name: "foreign origin", method: "POST", path: "/mcp", body: initBody,
			header: map[string]string{"Authorization": "Bearer " + token, "Origin": "https://evil.example"}, wantStatus: 403},
		{name: "local origin", method: "POST", path: "/mcp", body: initBody,
			header: map[string]string{"Authorization": "Bearer " + token, "Origin": "http://localhost:6274"}, wantStatus: 200,
			wantCORS: "http://localhost:6274"},
		{name: "allowed origin", method: "POST", path: "/mcp", body: initBody,
			header: map[string]string{"Authorization": "Bearer " + token, "Origin": "https://app.example"}, wantStatus: 200,
			wantCORS: "https://app.example"},
		{name: "rebound host name", method: "POST", path: "/mcp", body: initBody,
			header: map[string]string{"Authorization": "Bearer " + token, "Host": "evil.example"}, wantStatus: 403},
		{name: "body too large", method: "POST", path: "/mcp", body: strings.Repeat(" ", 2<<20),
			header: map[string]string{"Authorization": "Bearer " + token}, wantStatus: 413},
		{name: "CORS preflight of an allowed origin needs no token", method: "OPTIONS", path: "/mcp",
			header: map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "authorization, content-type, mcp-protocol-version"},
			wantStatus: 204, wantCORS: "https://app.example"},
		{name: "CORS preflight of a foreign origin", method: "OPTIONS", path: "/mcp",
			header:     map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
			wantStatus: 403},
		{name: "an OPTIONS that is no preflight needs the token", method: "OPTIONS", path: "/mcp", wantStatus: 401},
		{name: "no standing GET stream", method: "GET", path: "/mcp",
			header: map[string]string{"Authorization": "Bearer " + token}, wantStatus: 405},
		{name: "unknown path", method: "GET", path: "/", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			res, b, err := send(req, tt.header)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(b), tt.wantBody) {
				t.Errorf("%d %s, want %d with %s", res.StatusCode, b, tt.wantStatus, tt.wantBody)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != tt.wantCORS {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.wantCORS)
			}
			if tt.method == "OPTIONS" && tt.wantCORS != "" &&
				!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Mcp-Protocol-Version") {
				t.Errorf("preflight does not allow Mcp-Protocol-Version: %q", res.Header.Get("Access-Control-Allow-Headers"))
			}
			if res.StatusCode == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer ") {
				t.Errorf("401 without a Bearer challenge: %q", res.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

// TestHTTPPublicBindWithToken: with a token, listening on every interface is allowed.
func TestHTTPPublicBindWithToken(t *testing.T) {
	t.Parallel()
	p := startBin(t, "http", "--sandbox", "--listen", "0.0.0.0:0", "--http-token", "tok")
	u := p.url(t)
	port := u[strings.LastIndex(u, ":")+1 : len(u)-len("/mcp")]
	res, err := http.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("healthz: %d", res.StatusCode)
	}
}

// TestGracefulShutdown stops the HTTP server while a slow call is in flight: the call
// completes and the process exits 0. The cloud is a sandbox process with added latency,
// reached with --endpoint.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	cloud := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--latency", "700ms")
	p := startBin(t, append([]string{"http", "--listen", "127.0.0.1:0"}, demoCloud(cloud.url(t))...)...)
	c, err := mcpclient.NewStreamableHttpClient(p.url(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	tooltest.Initialize(t, c, "")

	type answer struct {
		res *mcp.CallToolResult
		err error
	}
	done := make(chan answer, 1)
	go func() {
		var req mcp.CallToolRequest
		req.Params.Name = "device_get"
		req.Params.Arguments = map[string]any{"device_id": sandbox.DemoStripID}
		res, err := c.CallTool(context.Background(), req)
		done <- answer{res, err}
	}()
	time.Sleep(300 * time.Millisecond) // the call now waits on the sandbox's latency
	start := time.Now()
	if code := p.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("exit %d", code)
	}
	a := <-done
	if a.err != nil || a.res.IsError {
		t.Fatalf("call in flight during shutdown: %v %+v", a.err, a.res)
	}
	if d := time.Since(start); d < 500*time.Millisecond {
		t.Errorf("exited after %v: did not wait for the call", d)
	}
}

func TestSandboxCommand(t *testing.T) {
	t.Parallel()
	state := t.TempDir() + "/state.json"
	p := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--state", state)
	url := p.url(t)
	// The banner's command line is how a newcomer connects: paste it, as printed, into a shell.
	m := p.waitLine(t, regexp.MustCompile(
		`(TUYA_ENDPOINT=\S+) (TUYA_ACCESS_ID=\S+) (TUYA_ACCESS_SECRET=\S+) (TUYA_APP_SCHEMA=\S+) (\S+)$`))
	banner := p.stderr()
	mentions(t, "banner", banner, sandbox.DemoAccessID, sandbox.DemoAccessSecret, sandbox.DemoSchema)
	if m[1] != "TUYA_ENDPOINT="+url {
		t.Fatalf("banner names another endpoint: %s", m[1])
	}
	if m[5] != binPath {
		t.Errorf("banner names the program %s, not the path it was started by, %s", m[5], binPath)
	}
	rename := exec.Command("sh", "-c", m[0]+" call device_rename device_id="+sandbox.DemoStripID+" 'name=Desk strip'")
	rename.Env = procEnv()
	if out, err := rename.CombinedOutput(); err != nil {
		t.Fatalf("rename: %v %s", err, out)
	}
	if code := p.stop(t, syscall.SIGTERM); code != 0 {
		t.Fatalf("exit %d", code)
	}

	// A restart loads the saved state.
	p2 := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--state", state)
	get := runBin(t, nil, append(append([]string{"call"}, demoCloud(p2.url(t))...),
		"device_get", "device_id="+sandbox.DemoStripID)...)
	if get.code != 0 || !strings.Contains(get.stdout, `"Desk strip"`) {
		t.Errorf("after restart: %d %s %s", get.code, get.stdout, get.stderr)
	}
}

func TestSandboxCommandMasksAGivenSecret(t *testing.T) {
	t.Parallel()
	const secret = "my-own-sandbox-secret-123"
	p := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--access-id", "myid", "--access-secret", secret)
	url := p.url(t)
	p.waitLine(t, regexp.MustCompile(`access secret:`))
	if s := p.stderr(); strings.Contains(s, secret) || !strings.Contains(s, "myid") {
		t.Errorf("banner:\n%s", s)
	}
	ok := runBin(t, nil, "call", "--endpoint", url, "--access-id", "myid", "--access-secret", secret,
		"device_get", "device_id="+sandbox.DemoStripID)
	bad := runBin(t, nil, "call", "--endpoint", url, "--access-id", "myid", "--access-secret", "wrong",
		"device_get", "device_id="+sandbox.DemoStripID)
	if ok.code != 0 || bad.code != 1 {
		t.Errorf("right secret: %d %s; wrong secret: %d %s", ok.code, ok.stderr, bad.code, bad.stderr)
	}
	if strings.Contains(bad.stderr, "wrong") {
		t.Errorf("the error reveals the secret: %s", bad.stderr)
	}
}
