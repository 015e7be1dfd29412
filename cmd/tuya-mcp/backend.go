package main

import (
	"fmt"

	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// newBackend builds the MCP server over the configured cloud, or over an in-process sandbox
// with --sandbox. The returned stop function releases the sandbox; call it after the server
// has stopped serving.
func newBackend(cfg Config, log zerolog.Logger) (*server.MCPServer, func(), error) {
	cc := client.Config{
		AccessID:     cfg.AccessID,
		AccessSecret: cfg.AccessSecret,
		Endpoint:     cfg.Endpoint,
		Logger:       log.With().Str("component", "client").Logger(),
	}
	fl, err := openFleet(cfg, log)
	if err != nil {
		return nil, nil, err
	}
	fl.apply(cfg, &cc)
	schema := cfg.Schema
	stop := fl.close
	if cfg.Sandbox {
		sb, err := sandbox.Start(sandbox.Options{Logger: log.With().Str("component", "sandbox").Logger()})
		if err != nil {
			fl.close()
			return nil, nil, fmt.Errorf("start the sandbox: %w", err)
		}
		cc.AccessID, cc.AccessSecret, cc.Endpoint = sandbox.DemoAccessID, sandbox.DemoAccessSecret, sb.URL
		if schema == "" {
			schema = sandbox.DemoSchema
		}
		stop = func() { sb.Close(); fl.close() }
	}

	c, err := client.New(cc)
	if err != nil {
		stop()
		return nil, nil, &usageError{msg: err.Error()}
	}
	s, err := tools.NewServer(c, tools.Options{
		DefaultSchema:      schema,
		ReadOnly:           cfg.ReadOnly,
		Toolsets:           cfg.Toolsets,
		Tools:              cfg.Tools,
		ExposeLocalKeys:    cfg.ExposeLocalKeys,
		ConfirmDestructive: cfg.ConfirmDestructive,
		CallTimeout:        cfg.CallTimeout,
		Logger:             log.With().Str("component", "tools").Logger(),
		Version:            serverVersion(),
		Observer:           fl.toolsObserver(),
		Hidden: func(name string) string {
			info, _ := findTool(name)
			return hiddenBy(cfg, info)
		},
	})
	if err != nil {
		stop()
		return nil, nil, &usageError{msg: err.Error()}
	}
	if cfg.Sandbox {
		log.Info().Str("url", cc.Endpoint).Str("schema", schema).Msg("sandbox started: tools act on demo data")
	}
	return s, stop, nil
}
