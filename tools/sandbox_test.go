package tools_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// startSandbox starts a fresh sandbox and a server of all tools on it, as tooltest.Run expects.
func startSandbox(t *testing.T) (*sandbox.Server, *server.MCPServer) {
	t.Helper()
	st := startStack(t, sandbox.Options{}, client.Config{}, tools.Options{Version: "test"})
	return st.sb, st.mcp
}

func initialize(t *testing.T, c *mcpclient.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "tools-conformance", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatal(err)
	}
}

func TestConformanceInProcess(t *testing.T) {
	srv, s := startSandbox(t)
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	initialize(t, c)
	tooltest.Run(t, c, srv)
}

func TestConformanceStreamableHTTP(t *testing.T) {
	srv, s := startSandbox(t)
	hs := httptest.NewServer(server.NewStreamableHTTPServer(s, server.WithStateLess(true)))
	t.Cleanup(hs.Close)
	c, err := mcpclient.NewStreamableHttpClient(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	initialize(t, c)
	tooltest.Run(t, c, srv)
}

// TestConformanceWithoutInspection runs the cases as a test that cannot reach the sandbox's Go
// API does (one embedded in another process).
func TestConformanceWithoutInspection(t *testing.T) {
	_, s := startSandbox(t)
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	initialize(t, c)
	tooltest.Run(t, c, nil)
}
