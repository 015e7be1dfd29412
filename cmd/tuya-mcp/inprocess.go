package main

import (
	"context"
	"fmt"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// connect opens an initialized in-process MCP session on s, so that the CLI goes through the
// same path as any client: name aliases, filters and argument checks included.
func connect(ctx context.Context, s *server.MCPServer, opts ...mcpclient.ClientOption) (*mcpclient.Client, error) {
	c, err := mcpclient.NewInProcessClientWithOptions(s, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("start in-process session: %w", err)
	}
	var req mcp.InitializeRequest
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "tuya-mcp-cli", Version: serverVersion()}
	if _, err := c.Initialize(ctx, req); err != nil {
		c.Close()
		return nil, fmt.Errorf("initialize in-process session: %w", err)
	}
	return c, nil
}
