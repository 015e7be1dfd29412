package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// runStdio serves MCP on stdin/stdout until stdin closes or ctx ends. Only JSON-RPC goes to stdout.
func runStdio(ctx context.Context, cfg Config, log zerolog.Logger, stdin io.Reader, stdout io.Writer) error {
	s, stop, err := newBackend(cfg, log)
	if err != nil {
		return err
	}
	defer stop()

	ss := server.NewStdioServer(s)
	ss.SetErrorLogger(stdLogger(log, "stdio", zerolog.ErrorLevel))
	log.Info().Str("version", serverVersion()).Str("gogc", cfg.GOGC).Msg("serving MCP over stdio")
	// The JSON-RPC front reads every message before mcp-go (see internal/jsonrpc).
	err = jsonrpc.Stdio(ctx, stdin, stdout, ss.Listen, tools.CallCheck(s), slogLogger(log, "stdio"))
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stdio: %w", err)
	}
	log.Info().Msg("stdio closed, exiting")
	return nil
}
