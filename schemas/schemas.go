// Package schemas holds the JSON Schema of every tool's input and output, generated from the
// code and committed so that changes to what models see show up in review. A test fails when a
// committed file differs from what the code generates.
package schemas

//go:generate go run ./gen

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tuya-mcp/tuya-mcp/tools"
)

// Files returns the content of every schema file by name: <tool>.input.json and
// <tool>.output.json, indented, with a trailing newline.
func Files() (map[string][]byte, error) {
	out := make(map[string][]byte)
	for _, info := range tools.Catalogue() {
		for suffix, raw := range map[string]json.RawMessage{".input.json": info.InputSchema, ".output.json": info.OutputSchema} {
			var b bytes.Buffer
			if err := json.Indent(&b, raw, "", "  "); err != nil {
				return nil, fmt.Errorf("schemas: %s%s: %w", info.Name, suffix, err)
			}
			b.WriteByte('\n')
			out[info.Name+suffix] = b.Bytes()
		}
	}
	return out, nil
}
