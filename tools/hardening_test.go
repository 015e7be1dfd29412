package tools_test

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// The hardening tests (soak, cancellation, secrets) run the whole path a deployment runs
// (tooltest.NewStack): MCP clients over Streamable HTTP, the tools server behind httptest on
// loopback, the Tuya client and the sandbox over real HTTP. They close the stack themselves,
// before counting goroutines and file descriptors, rather than only in t.Cleanup.

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
	return c.CallTool(ctx, tooltest.CallRequest(name, args))
}
