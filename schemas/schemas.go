// Package schemas holds the JSON Schema of every tool's input and output, generated from the
// tools' Go types by `go generate` and committed, so that changes to what models see show up in
// review. They are embedded, so the server serves them without reflecting at start. A test fails
// when a committed file differs from what the code generates.
package schemas

//go:generate go run ../cmd/schemagen

import (
	"embed"
	"encoding/json"
	"fmt"
)

// files are <tool>.input.json and <tool>.output.json, indented for review.
//
//go:embed *.json
var files embed.FS

// Tool returns the input and output schemas of the named tool, compact (as tools/list sends
// them).
func Tool(name string) (in, out json.RawMessage, err error) {
	if in, err = compact(name + ".input.json"); err != nil {
		return nil, nil, err
	}
	if out, err = compact(name + ".output.json"); err != nil {
		return nil, nil, err
	}
	return in, out, nil
}

func compact(file string) (json.RawMessage, error) {
	raw, err := files.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("schemas: no %s", file)
	}
	return stripSpace(raw), nil
}

// stripSpace removes the whitespace between the tokens of valid JSON, in place. The files are
// json.Indent's output, checked by the drift test, so this is json.Compact without its
// validation, which costs ten times as much and would run on every start.
func stripSpace(b []byte) []byte {
	out := b[:0]
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\n' || c == '\t' || c == '\r'):
			continue
		}
		out = append(out, c)
	}
	return out
}
