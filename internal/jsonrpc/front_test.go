package jsonrpc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// testServer is an MCP server with one tool that echoes its arguments.
func testServer() *server.MCPServer {
	s := server.NewMCPServer("front-test", "1", server.WithToolCapabilities(false), server.WithRecovery())
	s.AddTool(mcp.NewTool("echo"), func(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		b, err := json.Marshal(req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		return mcp.NewToolResultText(string(b)), nil
	})
	return s
}

const healthPing = `{"jsonrpc":"2.0","id":"health","method":"ping"}`

// fuzzSeeds are messages of every kind the front handles.
func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"f","version":"1"}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"a":"b"}}}`,
		`[{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},3]`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":7}`,
		`{"jsonrpc":"2.0","id":null,"method":"ping"}`, `{"jsonrpc":"2.0","id":9,"result":{}}`, "\n\n", "[]", "x",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"a\":\"\xff\"}}}",
		`{"jsonrpc":"2.0","id":"health","method":"ping"}`,
		`{"jsonrpc":"2.0","id":1e400,"method":"ping"}`, `[{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","id":1e400,"method":"ping"}]`,
		`{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"x":1e400}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"a":1e400}}}`,
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"a":"\ud800x"}}}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}}`, `{"jsonrpc":"2.0","id":"s","result":{}}`,
		`[{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}},{"jsonrpc":"2.0","id":2,"method":"ping"}]`,
		`[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"f","version":"1"}}},{"jsonrpc":"2.0","id":2,"method":"ping"}]`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"2"}}`,
	} {
		f.Add([]byte(s))
	}
}

// checkLine checks one message the server wrote in answer to sent: valid JSON-RPC, never a
// null id, and an id only as the client sent it, byte for byte.
func checkLine(t *testing.T, line, sent []byte) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("wrote %q: %v", line, err)
	}
	if id, ok := m["id"]; ok && (checkID(id) != nil || !bytes.Contains(sent, id) && string(id) != `"health"`) {
		t.Fatalf("wrote %s", line)
	}
	if arr := bytes.TrimSpace(line); len(arr) > 0 && arr[0] == '[' {
		t.Fatalf("wrote a batch answer %s outside a batch", line)
	}
}

// FuzzStdio feeds lines to the front before mcp-go's stdio server: every line written back is
// valid JSON-RPC without a null id, and the server still answers a ping afterwards.
func FuzzStdio(f *testing.F) {
	fuzzSeeds(f)
	s := testServer()
	f.Fuzz(func(t *testing.T, data []byte) {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			done <- Stdio(ctx, inR, outW, server.NewStdioServer(s).Listen, nil, nil)
			outW.Close()
		}()
		go func() {
			inW.Write(append(append(bytes.Clone(data), '\n'), healthPing+"\n"...))
		}()
		sc := bufio.NewScanner(outR)
		sc.Buffer(nil, 1<<20)
		deadline := time.AfterFunc(10*time.Second, func() { outW.Close() })
		defer deadline.Stop()
		healthy := false
		for !healthy && sc.Scan() {
			line := sc.Bytes()
			if line[0] == '[' {
				var items []json.RawMessage
				if err := json.Unmarshal(line, &items); err != nil {
					t.Fatalf("wrote %q: %v", line, err)
				}
				for _, it := range items {
					checkLine(t, it, data)
				}
				continue
			}
			checkLine(t, line, data)
			healthy = string(line) == `{"jsonrpc":"2.0","id":"health","result":{}}`
		}
		if !healthy {
			t.Fatal("no answer to the ping that followed")
		}
		inW.Close()
		go io.Copy(io.Discard, outR)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzHTTP posts bodies to the front before mcp-go's Streamable HTTP handler: every answer is
// valid JSON-RPC without a null id (or none), with a fitting status, and the next request is
// served.
func FuzzHTTP(f *testing.F) {
	fuzzSeeds(f)
	h := &HTTP{Next: server.NewStreamableHTTPServer(testServer(), server.WithStateLess(true))}
	post := func(body []byte) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/mcp", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json, text/event-stream")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w := post(data)
		body := bytes.TrimSpace(w.Body.Bytes())
		switch {
		case w.Code == http.StatusAccepted:
			if len(body) != 0 {
				t.Fatalf("202 with a body %q", body)
			}
		case len(body) > 0 && body[0] == '[':
			var items []json.RawMessage
			if err := json.Unmarshal(body, &items); err != nil || w.Code != http.StatusOK {
				t.Fatalf("%d %q: %v", w.Code, body, err)
			}
			for _, it := range items {
				checkLine(t, it, data)
			}
		case w.Code == http.StatusOK || w.Code == http.StatusBadRequest:
			if len(body) > 0 && body[0] == '{' {
				checkLine(t, body, data)
			}
		default:
			t.Fatalf("status %d %q", w.Code, body)
		}
		if w := post([]byte(healthPing)); w.Code != http.StatusOK {
			t.Fatalf("ping after it: %d %s", w.Code, w.Body)
		}
	})
}
