package bench_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/server"
)

// listing is the tools/list reply as a client receives it over stdio.
type listing struct {
	// reply is the size of the JSON-RPC reply, newline excluded.
	reply int
	tools []toolSize
}

// toolSize is one tool's share of the reply.
type toolSize struct {
	name string
	// bytes is the tool's object in the reply; in, out and desc are its input schema, output
	// schema and description.
	bytes, in, out, desc int
	// encode encodes the tool as tools/list does.
	encode func() ([]byte, error)
}

// listTools asks s for its tools as a client would and measures the reply.
func listTools(ctx context.Context, s *server.MCPServer) (listing, error) {
	resp := s.HandleMessage(ctx, json.RawMessage(toolsListLine))
	line, err := json.Marshal(resp)
	if err != nil {
		return listing{}, err
	}
	var msg struct {
		Result *struct {
			Tools []json.RawMessage `json:"tools"`
		} `json:"result"`
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(line, &msg); err != nil {
		return listing{}, err
	}
	if msg.Result == nil {
		return listing{}, fmt.Errorf("tools/list: %s", msg.Error)
	}
	ls := listing{reply: len(line)}
	for _, raw := range msg.Result.Tools {
		var t struct {
			Name         string          `json:"name"`
			Description  string          `json:"description"`
			InputSchema  json.RawMessage `json:"inputSchema"`
			OutputSchema json.RawMessage `json:"outputSchema"`
		}
		if err := json.Unmarshal(raw, &t); err != nil {
			return listing{}, err
		}
		st := s.GetTool(t.Name)
		if st == nil {
			return listing{}, fmt.Errorf("tools/list: %s is listed but not registered", t.Name)
		}
		tool := st.Tool
		ls.tools = append(ls.tools, toolSize{
			name: t.Name, bytes: len(raw), in: len(t.InputSchema), out: len(t.OutputSchema),
			desc:   len(t.Description),
			encode: func() ([]byte, error) { return json.Marshal(tool) },
		})
	}
	return ls, nil
}
