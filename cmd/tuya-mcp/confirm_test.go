package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// TestConfirmDestructive runs a destructive tool with --confirm-destructive through the binary,
// over each transport and protocol generation, with a client that answers the question.
// Stateless HTTP cannot carry a server-initiated question: there only clients of the
// multi-round-trip protocol (2026-07-28) can confirm, and others are refused.
func TestConfirmDestructive(t *testing.T) {
	const legacy = "2025-06-18"
	tests := []struct {
		transport string
		protocol  string
		answer    string
		wantRun   bool
		wantText  string
	}{
		{"stdio", legacy, "y\n", true, ""},
		{"stdio", legacy, "n\n", false, "declined"},
		{"stdio", mcp.LATEST_PROTOCOL_VERSION, "y\n", true, ""},
		{"http", mcp.LATEST_PROTOCOL_VERSION, "y\n", true, ""},
		{"http", mcp.LATEST_PROTOCOL_VERSION, "n\n", false, "declined"},
		{"http", legacy, "y\n", false, "cannot ask"},
	}
	for _, tt := range tests {
		t.Run(tt.transport+"/"+tt.protocol+"/"+strings.TrimSpace(tt.answer), func(t *testing.T) {
			t.Parallel()
			srv := startSandbox(t, sandbox.Options{})
			args := append([]string{"--confirm-destructive"}, demoCloud(srv.URL)...)
			answers := mcpclient.WithElicitationHandler(newPrompt(strings.NewReader(tt.answer), io.Discard))
			var tr transport.Interface
			switch tt.transport {
			case "stdio":
				tr = transport.NewStdio(binPath, procEnv(), args...)
			case "http":
				p := startBin(t, append([]string{"http", "--listen", "127.0.0.1:0"}, args...)...)
				var err error
				if tr, err = transport.NewStreamableHTTP(p.url(t)); err != nil {
					t.Fatal(err)
				}
			}
			c := mcpclient.NewClient(tr, answers)
			t.Cleanup(func() { c.Close() })
			tooltest.Initialize(t, c, tt.protocol)

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var req mcp.CallToolRequest
			req.Params.Name = "device_delete"
			req.Params.Arguments = map[string]any{"device_id": sandbox.DemoStripID}
			res, err := c.CallTool(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			_, exists := srv.Device(sandbox.DemoStripID)
			if ran := !res.IsError; ran != tt.wantRun || exists == tt.wantRun {
				t.Fatalf("ran %v (device still there: %v), want %v: %s", ran, exists, tt.wantRun, tools.ResultText(res))
			}
			if !strings.Contains(tools.ResultText(res), tt.wantText) {
				t.Errorf("result %q lacks %q", tools.ResultText(res), tt.wantText)
			}
		})
	}
}
