package tools_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// The hardening tests (soak, cancellation, secrets) run the whole path a deployment runs: MCP
// clients over Streamable HTTP, the tools server behind httptest on loopback, the Tuya client and
// the sandbox over real HTTP. They close everything themselves, before counting goroutines and
// file descriptors, rather than only in t.Cleanup.

// stack is a sandbox, a tools server calling it and a Streamable HTTP endpoint serving it.
type stack struct {
	sb   *sandbox.Server
	tc   *client.Client
	mcp  *server.MCPServer
	hs   *httptest.Server
	once sync.Once
}

// startStack starts a sandbox with sbOpts, a client of it configured by cc (credentials and
// endpoint are filled in) and a tools server with opts (DefaultSchema defaults to the demo app).
func startStack(t *testing.T, sbOpts sandbox.Options, cc client.Config, opts tools.Options) *stack {
	t.Helper()
	sb, err := sandbox.Start(sbOpts)
	if err != nil {
		t.Fatal(err)
	}
	cc.AccessID, cc.AccessSecret, cc.Endpoint = sandbox.DemoAccessID, sandbox.DemoAccessSecret, sb.URL
	tc, err := client.New(cc)
	if err != nil {
		sb.Close()
		t.Fatal(err)
	}
	if opts.DefaultSchema == "" {
		opts.DefaultSchema = sandbox.DemoSchema
	}
	s, err := tools.NewServer(tc, opts)
	if err != nil {
		sb.Close()
		t.Fatal(err)
	}
	st := &stack{sb: sb, tc: tc, mcp: s}
	st.hs = httptest.NewServer(server.NewStreamableHTTPServer(s, server.WithStateLess(true)))
	t.Cleanup(st.close)
	return st
}

// close stops the MCP endpoint (waiting for its requests), the client's pool and the sandbox.
// It may be called more than once.
func (st *stack) close() {
	st.once.Do(func() {
		st.hs.Close()
		st.tc.CloseIdleConnections()
		st.sb.Close()
	})
}

// mcpConn is an initialized Streamable HTTP MCP client with its own connection pool, as a
// separate client process would have.
type mcpConn struct {
	*mcpclient.Client
	hc *http.Client
}

// dial connects a new MCP client to the stack's endpoint.
func (st *stack) dial(t *testing.T) *mcpConn {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	c, err := mcpclient.NewStreamableHttpClient(st.hs.URL, transport.WithHTTPBasicClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	mc := &mcpConn{Client: c, hc: hc}
	t.Cleanup(mc.close)
	initialize(t, c)
	return mc
}

// close ends the client and closes its idle connections.
func (mc *mcpConn) close() {
	mc.Client.Close()
	mc.hc.CloseIdleConnections()
}

// callReq is a tools/call request.
func callReq(name string, args map[string]any) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return req
}

// textOf joins a result's text contents.
func textOf(res *mcp.CallToolResult) string {
	var b bytes.Buffer
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// settleGoroutines waits up to within for the number of goroutines to come down to at most
// limit and returns the last count; on failure it logs every goroutine's stack.
func settleGoroutines(t *testing.T, limit int, within time.Duration) (int, bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		n := runtime.NumGoroutine()
		if n <= limit {
			return n, true
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Logf("%d goroutines, want at most %d:\n%s", n, limit, buf[:runtime.Stack(buf, true)])
			return n, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// openFDs counts the process's open file descriptors, or returns -1 where /proc is missing.
func openFDs() int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(es)
}

// settleFDs waits up to within for the open descriptors to come down to at most limit and
// returns the last count (-1 where they cannot be counted).
func settleFDs(limit int, within time.Duration) int {
	deadline := time.Now().Add(within)
	for {
		n := openFDs()
		if n <= limit || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// callWithin runs one tools/call with a generous bound, so that a hung call fails the test
// instead of the whole run.
func callWithin(c mcpclient.MCPClient, d time.Duration, name string, args map[string]any) (*mcp.CallToolResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return c.CallTool(ctx, callReq(name, args))
}
