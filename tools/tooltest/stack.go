package tooltest

import (
	"context"
	"net/http"
	"net/http/httptest"
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

// StackOptions configure NewStack. The zero value is the demo set-up: a fresh sandbox, a client
// of it with the demo credentials and default retries, and a server of every tool.
type StackOptions struct {
	// Sandbox configures the sandbox.
	Sandbox sandbox.Options
	// Client configures the Tuya client; the sandbox's credentials and Endpoint are filled in.
	Client client.Config
	// Tools configures the MCP server; DefaultSchema defaults to sandbox.DemoSchema.
	Tools tools.Options
	// Front, when set, stands between the client and the sandbox: the client calls an HTTP
	// server of Front(sb), where sb serves the stack's sandbox, so a test can drop, delay or
	// alter exchanges on the way.
	Front func(sb http.Handler) http.Handler
}

// Stack is the whole path a deployment runs, on loopback: the sandbox over real HTTP, a Tuya
// client of it, an MCP server of the tools on that client, and that server over stateless
// Streamable HTTP (as `tuya-mcp http` serves it). Tests reach it through Connect (in process)
// or Dial (over HTTP).
type Stack struct {
	Sandbox *sandbox.Server
	Tuya    *client.Client
	Server  *server.MCPServer
	// HTTP serves Server over stateless Streamable HTTP.
	HTTP *httptest.Server

	front *httptest.Server
	once  sync.Once
}

// NewStack starts a stack. It is closed when the test ends; a test that counts goroutines or
// descriptors closes it earlier with Close.
func NewStack(tb testing.TB, opts StackOptions) *Stack {
	tb.Helper()
	sb, err := sandbox.Start(opts.Sandbox)
	if err != nil {
		tb.Fatal(err)
	}
	st := &Stack{Sandbox: sb}
	tb.Cleanup(st.Close)
	cc := opts.Client
	cc.AccessID, cc.AccessSecret, cc.Endpoint = sandbox.DemoAccessID, sandbox.DemoAccessSecret, sb.URL
	if opts.Sandbox.AccessID != "" {
		cc.AccessID = opts.Sandbox.AccessID
	}
	if opts.Sandbox.AccessSecret != "" {
		cc.AccessSecret = opts.Sandbox.AccessSecret
	}
	if opts.Front != nil {
		st.front = httptest.NewServer(opts.Front(sb.Sandbox))
		cc.Endpoint = st.front.URL
	}
	if st.Tuya, err = client.New(cc); err != nil {
		tb.Fatal(err)
	}
	to := opts.Tools
	if to.DefaultSchema == "" {
		to.DefaultSchema = sandbox.DemoSchema
	}
	if st.Server, err = tools.NewServer(st.Tuya, to); err != nil {
		tb.Fatal(err)
	}
	st.HTTP = httptest.NewServer(server.NewStreamableHTTPServer(st.Server, server.WithStateLess(true)))
	return st
}

// Close stops the MCP endpoint (waiting for its requests), the client's pool and the sandbox.
// It may be called more than once.
func (st *Stack) Close() {
	st.once.Do(func() {
		if st.HTTP != nil {
			st.HTTP.Close()
		}
		if st.Tuya != nil {
			st.Tuya.CloseIdleConnections()
		}
		if st.front != nil {
			st.front.Close()
		}
		st.Sandbox.Close()
	})
}

// Connect returns an initialized in-process MCP client of the stack's server, closed when the
// test ends.
func (st *Stack) Connect(tb testing.TB, opts ...mcpclient.ClientOption) *mcpclient.Client {
	tb.Helper()
	c, err := mcpclient.NewInProcessClientWithOptions(st.Server, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	Initialize(tb, c, "")
	return c
}

// Conn is an initialized Streamable HTTP MCP client with a connection pool of its own, as a
// separate client process would have.
type Conn struct {
	*mcpclient.Client
	hc *http.Client
}

// Dial connects a new Streamable HTTP MCP client to the stack's endpoint. It is closed when the
// test ends.
func (st *Stack) Dial(tb testing.TB) *Conn {
	tb.Helper()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	c, err := mcpclient.NewStreamableHttpClient(st.HTTP.URL, transport.WithHTTPBasicClient(hc))
	if err != nil {
		tb.Fatal(err)
	}
	mc := &Conn{Client: c, hc: hc}
	tb.Cleanup(mc.Hangup)
	Initialize(tb, c, "")
	return mc
}

// Hangup ends the client and closes its idle connections, as a client process that exits.
func (mc *Conn) Hangup() {
	mc.Client.Close()
	mc.hc.CloseIdleConnections()
}

// Initialize starts c and runs the MCP handshake at protocol version (the latest when ""),
// within 10 s, and fails unless the server agrees to that version. c is started with a context
// that outlives the call: the stdio transport answers the server's requests within it.
func Initialize(tb testing.TB, c *mcpclient.Client, version string) *mcp.InitializeResult {
	tb.Helper()
	if version == "" {
		version = mcp.LATEST_PROTOCOL_VERSION
	}
	if err := c.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = version
	req.Params.ClientInfo = mcp.Implementation{Name: "tuya-mcp-test", Version: "1"}
	res, err := c.Initialize(ctx, req)
	if err != nil {
		tb.Fatalf("initialize: %v", err)
	}
	if res.ProtocolVersion != version {
		tb.Fatalf("negotiated %s, want %s", res.ProtocolVersion, version)
	}
	return res
}

// CallRequest is a tools/call request of tool name with args.
func CallRequest(name string, args any) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return req
}

// CallGuard bounds a call so that a hung one fails its test rather than the whole run. It is no
// speed check: a call with a 1 MB argument costs about a CPU-second under -race, a dozen JSON
// encodings and decodings of it in mcp-go's client and server, and a loaded 2-core machine has
// stretched that past 20 seconds.
const CallGuard = 2 * time.Minute

// Call calls tool name with args through c, within CallGuard, and fails the test on a protocol
// error; a tool's own failure is a result with IsError set.
func Call(tb testing.TB, c mcpclient.MCPClient, name string, args any) *mcp.CallToolResult {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), CallGuard)
	defer cancel()
	res, err := c.CallTool(ctx, CallRequest(name, args))
	if err != nil {
		tb.Fatalf("%s(%v): %v", name, args, err)
	}
	return res
}
