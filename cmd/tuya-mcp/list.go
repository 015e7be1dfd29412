package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/tools"
)

// runTools prints the tools this configuration offers, as the server lists them.
func runTools(ctx context.Context, cfg Config, log zerolog.Logger, stdout io.Writer) error {
	// Listing talks to no cloud; the emulator stands in so that no credentials are needed.
	cfg.Sandbox = true
	listed, err := listedTools(ctx, cfg, log)
	if err != nil {
		return err
	}
	switch {
	case cfg.JSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(toolsJSON(listed))
	case cfg.Markdown:
		_, err := io.WriteString(stdout, markdownTable(listed))
		return err
	default:
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tTOOLSET\tACCESS\tTITLE")
		for _, t := range listed {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Toolset, access(t), t.Title)
		}
		return tw.Flush()
	}
}

// listedTools asks the server which tools it lists, and returns their catalogue entries.
func listedTools(ctx context.Context, cfg Config, log zerolog.Logger) ([]tools.Info, error) {
	s, stop, err := newBackend(cfg, log)
	if err != nil {
		return nil, err
	}
	defer stop()
	c, err := connect(ctx, s)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		return nil, fmt.Errorf("list tools: %w", err)
	}
	names := make(map[string]bool, len(res.Tools))
	for _, t := range res.Tools {
		names[t.Name] = true
	}
	var out []tools.Info
	for _, t := range tools.Catalogue() {
		if names[t.Name] {
			out = append(out, t)
		}
	}
	return out, nil
}

// toolJSON is a tool as tools/list shows it, plus its toolset and alias.
type toolJSON struct {
	Name         string          `json:"name"`
	Title        string          `json:"title"`
	Toolset      string          `json:"toolset"`
	Alias        string          `json:"alias,omitempty"`
	Description  string          `json:"description"`
	Annotations  annotationsJSON `json:"annotations"`
	InputSchema  json.RawMessage `json:"inputSchema"`
	OutputSchema json.RawMessage `json:"outputSchema"`
}

type annotationsJSON struct {
	ReadOnlyHint    bool `json:"readOnlyHint"`
	DestructiveHint bool `json:"destructiveHint"`
	IdempotentHint  bool `json:"idempotentHint"`
	OpenWorldHint   bool `json:"openWorldHint"`
}

func toolsJSON(infos []tools.Info) []toolJSON {
	out := make([]toolJSON, 0, len(infos))
	for _, t := range infos {
		out = append(out, toolJSON{
			Name: t.Name, Title: t.Title, Toolset: t.Toolset, Alias: t.Alias, Description: t.Description,
			Annotations: annotationsJSON{
				ReadOnlyHint: t.ReadOnly, DestructiveHint: t.Destructive,
				IdempotentHint: t.Idempotent, OpenWorldHint: t.OpenWorld,
			},
			InputSchema: t.InputSchema, OutputSchema: t.OutputSchema,
		})
	}
	return out
}

func access(t tools.Info) string {
	switch {
	case t.ReadOnly:
		return "read-only"
	case t.Destructive:
		return "destructive"
	default:
		return "write"
	}
}

// markdownTable renders the tool table of the README.
func markdownTable(infos []tools.Info) string {
	var b strings.Builder
	b.WriteString("| tool | toolset | annotations | title | alias |\n|---|---|---|---|---|\n")
	for _, t := range infos {
		hints := []string{access(t)}
		if t.Idempotent {
			hints = append(hints, "idempotent")
		} else {
			hints = append(hints, "not idempotent")
		}
		if t.OpenWorld {
			hints = append(hints, "open-world")
		}
		if t.DestructiveWhen != "" {
			hints = append(hints, "destructive "+t.DestructiveWhen)
		}
		alias := ""
		if t.Alias != "" {
			alias = "`" + t.Alias + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", t.Name, t.Toolset, strings.Join(hints, ", "), t.Title, alias)
	}
	return b.String()
}
