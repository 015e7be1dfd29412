package tools

import (
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// ResultText joins the text contents of a tool result, one per line: what a model reads of it.
// Every result of these tools has exactly one.
func ResultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := mcp.AsTextContent(c); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
