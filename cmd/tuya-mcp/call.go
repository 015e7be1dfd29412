package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// runCall runs one tool and prints its structured result on stdout, or its error text on
// stderr (errToolFailed: exit 1). A tool this configuration does not offer is a usage error.
// With --confirm-destructive, the question is asked on stderr and answered on stdin.
func runCall(ctx context.Context, cfg Config, log zerolog.Logger, stdin io.Reader, stdout, stderr io.Writer) error {
	if info, _ := findTool(cfg.Tool); hiddenBy(cfg, info) != "" { // parseConfig found it in the catalogue
		return &usageError{msg: hiddenBy(cfg, info)}
	}
	s, stop, err := newBackend(cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	var opts []mcpclient.ClientOption
	var p *prompt
	if cfg.ConfirmDestructive {
		p = newPrompt(stdin, stderr)
		opts = append(opts, mcpclient.WithElicitationHandler(p))
	}
	c, err := connect(ctx, s, opts...)
	if err != nil {
		return err
	}
	defer c.Close()

	var req mcp.CallToolRequest
	req.Params.Name = cfg.Tool
	var quoted []any
	req.Params.Arguments = quoteHugeNumbers(cfg.ToolArgs, "", &quoted)
	if len(quoted) > 0 {
		req.Params.Meta = mcp.NewMetaFromMap(map[string]any{jsonrpc.QuotedNumbersKey: quoted})
	}
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Tool, err)
	}
	if p != nil && p.noInput.Load() {
		return fmt.Errorf("%s was not run: cannot ask for confirmation: stdin is not a terminal and gave no answer; "+
			"run it at a terminal or without --confirm-destructive", cfg.Tool)
	}
	if res.IsError {
		fmt.Fprintln(stderr, tools.ResultText(res))
		return errToolFailed
	}
	if res.StructuredContent == nil {
		_, err = fmt.Fprintln(stdout, tools.ResultText(res))
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res.StructuredContent)
}
