package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
)

// prompt answers the server's elicitation requests at the terminal, for `call` with
// --confirm-destructive: it shows the question on stderr and reads y or n from stdin.
// It can only confirm: a form it answers has boolean fields alone, all set to the answer.
type prompt struct {
	in  *bufio.Reader
	out io.Writer
	// noInput is set when stdin ended before an answer: nobody could be asked.
	noInput atomic.Bool
}

func newPrompt(in io.Reader, out io.Writer) *prompt {
	return &prompt{in: bufio.NewReader(in), out: out}
}

func (p *prompt) Elicit(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	fields, ok := booleanFields(req.Params.RequestedSchema)
	if !ok || (req.Params.Mode != "" && req.Params.Mode != mcp.ElicitationModeForm) {
		fmt.Fprintf(p.out, "%s\n(this question needs an MCP client with forms; declined)\n", req.Params.Message)
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionDecline}}, nil
	}
	fmt.Fprintf(p.out, "%s [y/N] ", req.Params.Message)
	answer := make(chan string, 1)
	go func() {
		line, _ := p.in.ReadString('\n')
		answer <- line
	}()
	var line string
	select {
	case line = <-answer:
	case <-ctx.Done():
		fmt.Fprintln(p.out)
		return nil, ctx.Err()
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		content := make(map[string]any, len(fields))
		for _, f := range fields {
			content[f] = true
		}
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
			Action: mcp.ElicitationResponseActionAccept, Content: content}}, nil
	default:
		if line == "" {
			fmt.Fprintln(p.out) // no answer (end of input): end the question's line
			p.noInput.Store(true)
		}
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionDecline}}, nil
	}
}

// booleanFields lists the properties of a requested form schema, if all of them are booleans.
func booleanFields(schema any) ([]string, bool) {
	b, err := json.Marshal(schema)
	if err != nil {
		return nil, false
	}
	var s struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	if json.Unmarshal(b, &s) != nil || len(s.Properties) == 0 {
		return nil, false
	}
	var fields []string
	for name, p := range s.Properties {
		if p.Type != "boolean" {
			return nil, false
		}
		fields = append(fields, name)
	}
	return fields, true
}
