package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// noDevices starts a sandbox whose demo app has no device.
func noDevices(t *testing.T) *sandbox.Server {
	t.Helper()
	sb := startSandbox(t, sandbox.Options{})
	var buf bytes.Buffer
	if err := sb.Save(&buf); err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(buf.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"devices", "device_users", "logs"} {
		st[k] = map[string]any{}
	}
	b, _ := json.Marshal(st)
	if err := sb.Load(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	return sb
}

// TestCheckReportsWhatItCouldNotTry: check's lines for reads it did not make, answers it could
// not use and settings it could repair, through the command line against sandboxes.
func TestCheckReportsWhatItCouldNotTry(t *testing.T) {
	empty := noDevices(t)
	slow := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{Latency: 3 * time.Second}})
	noToken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"success":true,"result":{"uid":"x"},"t":1}`))
	}))
	t.Cleanup(noToken.Close)
	sb := startSandbox(t, sandbox.Options{})
	tests := []struct {
		name     string
		url      string
		args     []string
		wantCode int
		want     []string
		absent   string
	}{
		{"no device to read", empty.URL, nil, 1, []string{"devices (device_list) OK app demoapp: 0 device(s)",
			"device_users (device_user_list) SKIP app demoapp has no device yet", "run check again",
			"device_control (device_status_get) SKIP"}, " OK app demoapp has no device"},
		{"no device, device reads not offered", empty.URL, []string{"--toolsets", "users,devices"}, 0,
			[]string{"devices (device_list) OK"}, "SKIP"},
		{"endpoint with a path", sb.URL + "/extra", nil, 1, []string{"access token FAIL Tuya error 1108",
			"base URL without a path"}, ""},
		{"slow endpoint", slow.URL, []string{"--call-timeout", "1s"}, 1,
			[]string{"access token FAIL " + slow.URL + " timed out after 1s", "--call-timeout"}, "cannot reach"},
		{"token answer without a token", noToken.URL, nil, 1,
			[]string{"answered, but not like the Tuya cloud's token service", "TUYA_ENDPOINT (--endpoint)"}, "cannot reach"},
		{"access id with a trailing space", sb.URL, []string{"--access-id", sandbox.DemoAccessID + " "}, 0,
			[]string{"access token OK"}, "1004"},
		{"access id with a trailing CR", sb.URL, []string{"--access-id", sandbox.DemoAccessID + "\r"}, 0,
			[]string{"access token OK"}, "network"},
		{"secret with surrounding space", sb.URL, []string{"--access-secret", " " + sandbox.DemoAccessSecret + "\t"}, 0,
			[]string{"access token OK"}, "1004"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, flat := checkCommand(t, tt.url, tt.args, tt.wantCode, tt.want)
			if tt.absent != "" && strings.Contains(flat, tt.absent) {
				t.Errorf("stdout has %q:\n%s", tt.absent, stdout)
			}
			if strings.Contains(stdout+stderr, "client:") || strings.Contains(stdout+stderr, "context deadline") {
				t.Errorf("internal wording reaches the user:\n%s%s", stdout, stderr)
			}
		})
	}
}

// TestHiddenToolOverMCP: a tool the options hide is answered, over MCP, with the option that
// hides it, as an error result; it stays out of tools/list.
func TestHiddenToolOverMCP(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		tool string
		want string
	}{
		{"read-only", Config{ReadOnly: true}, "device_delete", "device_delete is hidden by --read-only (TUYA_MCP_READ_ONLY)"},
		{"read-only, by alias", Config{ReadOnly: true}, "deviceUser.delete", "device_user_delete is hidden by --read-only"},
		{"toolsets", Config{Toolsets: []string{"users"}}, "device_get", "which --toolsets (TUYA_MCP_TOOLSETS) users leaves out"},
		{"tools", Config{Tools: []string{"device_get"}}, "device_list", "--tools (TUYA_MCP_TOOLS) offers: device_get"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Sandbox = true
			s, stop, err := newBackend(cfg, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			c, err := connect(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var req mcp.CallToolRequest
			req.Params.Name = tt.tool
			req.Params.Arguments = map[string]any{"device_id": sandbox.DemoStripID, "user_id": "u"}
			res, err := c.CallTool(context.Background(), req)
			if err != nil {
				t.Fatalf("protocol error %v, want an error result", err)
			}
			if got := tools.ResultText(res); !res.IsError || !strings.Contains(got, tt.want) {
				t.Errorf("isError %v, %q; want %q", res.IsError, got, tt.want)
			}
			list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			info, _ := findTool(tt.tool)
			for _, lt := range list.Tools {
				if lt.Name == info.Name {
					t.Errorf("%s is listed", info.Name)
				}
			}
			if len(list.Tools) == 0 {
				t.Error("nothing listed")
			}
		})
	}
}

// TestSandboxBanner: the sandbox always prints a command line that connects tuya-mcp to it,
// with a placeholder for a secret it was given, and never the secret.
func TestSandboxBanner(t *testing.T) {
	const secret = "TopSecretValue987654"
	p := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--access-secret", secret)
	url := p.url(t)
	p.waitLine(t, regexp.MustCompile(`TUYA_ACCESS_SECRET='<the secret you gave>'`))
	p.stop(t, syscall.SIGTERM)
	if out := p.stderr(); strings.Contains(out, secret) || !strings.Contains(out, "TUYA_ENDPOINT="+url) {
		t.Errorf("banner:\n%s", out)
	}
}

// TestSandboxTrimsTheAccessID: the sandbox takes the Access ID as the client sends it, so the
// line it prints works when pasted.
func TestSandboxTrimsTheAccessID(t *testing.T) {
	p := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--access-id", " myid\t")
	url := p.url(t)
	p.waitLine(t, regexp.MustCompile(`TUYA_ACCESS_ID=myid `))
	o := runBin(t, nil, "call", "--endpoint", url, "--access-id", "myid ", "--access-secret", sandbox.DemoAccessSecret,
		"--schema", sandbox.DemoSchema, "device_list", "page_size=1")
	p.stop(t, syscall.SIGTERM)
	if o.code != 0 || !strings.Contains(o.stdout, `"devices"`) {
		t.Errorf("call with the printed Access ID: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
}

func TestRunCommand(t *testing.T) {
	tests := []struct{ program, gocache, want string }{
		{"/root/.cache/go-build/c7/c7a8-d/tuya-mcp", "", "go run ./cmd/tuya-mcp"},
		{"/tmp/go-build1234/b001/exe/tuya-mcp", "", "go run ./cmd/tuya-mcp"},
		{"/srv/cache/ab/cd-d/tuya-mcp", "/srv/cache", "go run ./cmd/tuya-mcp"},
		{"./tuya-mcp", "/srv/cache", "./tuya-mcp"},
		{"/usr/local/bin/tuya-mcp", "", "/usr/local/bin/tuya-mcp"},
		{"/srv/cachette/tuya-mcp", "/srv/cache", "/srv/cachette/tuya-mcp"},
	}
	for _, tt := range tests {
		if got := runCommand(tt.program, tt.gocache); got != tt.want {
			t.Errorf("runCommand(%q, %q) = %q, want %q", tt.program, tt.gocache, got, tt.want)
		}
	}
}
