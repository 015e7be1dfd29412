package mcpb

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// mcpConfig is the server configuration the host derives from the manifest.
type mcpConfig struct {
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

// TestBundle validates the manifest with the official mcpb CLI, builds the bundle for this
// platform only (build.sh builds all five for a release; one keeps CI short), unpacks it,
// resolves the server configuration with the mcpb library as Claude Desktop does, starts the
// server it names against a sandbox and lists its tools. `npm ci` here installs the CLI;
// without it the test is skipped, except under CI=true.
func TestBundle(t *testing.T) {
	node, nodeErr := exec.LookPath("node")
	_, cliErr := os.Stat(filepath.Join("node_modules", ".bin", "mcpb"))
	if nodeErr != nil || cliErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but the bundle set-up is missing (node: %v; mcpb: %v): run npm ci in mcpb", nodeErr, cliErr)
		}
		t.Skipf("no node or no mcpb CLI (run npm ci in mcpb)")
	}
	if runtime.GOOS == "windows" {
		t.Skip("build.sh is a bash script")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(name string, env []string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(os.Environ(), env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
		}
		return strings.TrimSpace(string(out))
	}

	run(filepath.Join("node_modules", ".bin", "mcpb"), nil, "validate", "manifest.json")
	const version = "1.2.3-test"
	out := t.TempDir()
	bundle := run("bash", []string{"VERSION=v" + version, "OUT=" + out, "PLATFORMS=" + runtime.GOOS + "/" + runtime.GOARCH}, "build.sh")
	if bundle != filepath.Join(out, "tuya-mcp-"+version+".mcpb") {
		t.Fatalf("build.sh made %q", bundle)
	}
	dir := t.TempDir()
	run(filepath.Join("node_modules", ".bin", "mcpb"), nil, "unpack", bundle, dir)

	resolve := func(userConfig map[string]any) *mcpConfig {
		t.Helper()
		uc, _ := json.Marshal(userConfig)
		var c *mcpConfig
		if err := json.Unmarshal([]byte(run(node, nil, filepath.Join("testdata", "resolve.mjs"), dir, string(uc))), &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := resolve(map[string]any{"access_id": sandbox.DemoAccessID}); c != nil {
		t.Errorf("the host would start the server without an Access Secret: %+v", c)
	}

	sb, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	readOnlyTools := 0
	for _, t := range tools.Catalogue() {
		if t.ReadOnly {
			readOnlyTools++
		}
	}
	for _, tc := range []struct {
		name     string
		readOnly bool
		tools    int
	}{{"all tools", false, len(tools.Catalogue())}, {"read-only", true, readOnlyTools}} {
		t.Run(tc.name, func(t *testing.T) {
			c := resolve(map[string]any{
				"access_id": sandbox.DemoAccessID, "access_secret": sandbox.DemoAccessSecret,
				"region": "", "endpoint": sb.URL, "app_schema": sandbox.DemoSchema, "read_only": tc.readOnly,
			})
			if c == nil || !strings.HasPrefix(c.Command, dir) {
				t.Fatalf("server configuration %+v does not run the unpacked bundle", c)
			}
			env := []string{"PATH=" + os.Getenv("PATH")}
			for k, v := range c.Env {
				if strings.Contains(v, "${") {
					t.Errorf("%s=%s is not substituted", k, v)
				}
				env = append(env, k+"="+v)
			}
			cl, err := mcpclient.NewStdioMCPClient(c.Command, env, c.Args...)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			var init mcp.InitializeRequest
			init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
			init.Params.ClientInfo = mcp.Implementation{Name: "bundle-test", Version: "1"}
			res, err := cl.Initialize(ctx, init)
			if err != nil {
				t.Fatal(err)
			}
			if res.ServerInfo.Version != "v"+version {
				t.Errorf("server version %q, want the bundle's v%s", res.ServerInfo.Version, version)
			}
			list, err := cl.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Tools) != tc.tools {
				t.Errorf("%d tools, want %d", len(list.Tools), tc.tools)
			}
			for _, tool := range list.Tools {
				if tc.readOnly && (tool.Annotations.ReadOnlyHint == nil || !*tool.Annotations.ReadOnlyHint) {
					t.Errorf("read-only bundle lists %s", tool.Name)
				}
			}
			// The credentials and the endpoint reached the server: a call succeeds on the sandbox.
			var call mcp.CallToolRequest
			call.Params.Name = "device_list"
			call.Params.Arguments = map[string]any{"page_size": 1}
			cr, err := cl.CallTool(ctx, call)
			if err != nil || cr.IsError {
				t.Fatalf("device_list: %v %+v", err, cr)
			}
		})
	}
}
