package tools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// rpcMessage is what every line a stdio server writes must be: a JSON-RPC 2.0 request or
// notification (method), or a response (id and exactly one of result and error).
type rpcMessage struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func checkRPCLine(line string) string {
	if !json.Valid([]byte(line)) {
		return "not JSON"
	}
	var m rpcMessage
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		return "not a JSON-RPC object: " + err.Error()
	}
	switch {
	case m.JSONRPC != "2.0":
		return "jsonrpc is not 2.0"
	case m.Method != "":
		return ""
	case string(m.ID) == "null":
		return `a response with "id": null`
	case m.ID == nil && m.Error == nil:
		return "a result without id"
	case (m.Result == nil) == (m.Error == nil):
		return "a response needs exactly one of result and error"
	case m.Error != nil && m.Error.Message == "":
		return "an error without message"
	}
	return ""
}

const (
	initLegacy = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",` +
		`"capabilities":{"elicitation":{}},"clientInfo":{"name":"fuzz","version":"1"}}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"
	modernMeta = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",` +
		`"io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}`
)

// FuzzStdioFraming feeds arbitrary bytes to a stdio server of all tools behind the JSON-RPC
// front, as the binary runs it (in confirm mode, so that elicitation requests and answers cross
// the stream too), backed by the sandbox: it must not panic, must stop when its input ends, and
// every line it writes must be a JSON-RPC message, or an array of them answering a batch.
func FuzzStdioFraming(f *testing.F) {
	seeds := []string{
		initLegacy,
		initLegacy + `{"jsonrpc":"2.0","id":2,"method":"tools/list"}` + "\n" +
			`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"device_get","arguments":{"device_id":"` + sandbox.DemoStripID + `"}}}` + "\n",
		initLegacy + `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"device_delete","arguments":{"device_id":"` + sandbox.DemoStripID + `"}}}` + "\n" +
			`{"jsonrpc":"2.0","id":1,"result":{"action":"accept","content":{"confirm":true}}}` + "\n" +
			`{"jsonrpc":"2.0","id":2,"result":{"action":"decline"}}` + "\n",
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deviceUser.list","arguments":{"device_id":"` + sandbox.DemoScaleID + `"},` + modernMeta + `}}` + "\n",
		`{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"device_factory_reset","arguments":{"device_id":"x"},` + modernMeta +
			`,"inputResponses":{"confirm":{"action":"accept","content":{"confirm":true}}},"requestState":"device_factory_reset x"}}` + "\n",
		`{"jsonrpc":"2.0","id":1,"method":"tools/li`,
		initLegacy + `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"device_rename","arguments":{"device_id":"x","name":"` +
			strings.Repeat("n", 256<<10) + `"}}}` + "\n",
		"\xff\xfe{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"x\":\"\xc3\x28\"}}\n",
		`[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]` + "\n",
		`{"jsonrpc":"2.0","id":99,"result":{}}` + "\n" + `{"jsonrpc":"2.0","id":98,"error":{"code":-1,"message":"x"}}` + "\n",
		"\n\r\n  \t\n{}\n[]\nnull\n\"x\"\n1e999\n",
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}` + "\n",
		`{"jsonrpc":"2.0","id":{},"method":"ping"}` + "\n" + `{"jsonrpc":"2.0","id":[1],"method":"ping"}` + "\n" +
			`{"jsonrpc":"2.0","id":1.5,"method":"ping"}` + "\n" + `{"jsonrpc":"2.0","id":null,"method":"ping"}` + "\n" +
			`{"jsonrpc":"1.0","id":1,"method":"ping"}` + "\n" + `{"id":1,"method":"ping"}` + "\n",
		strings.Repeat("[", 20000) + "\n",
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"user_sync","arguments":{"country_code":"86","username":"13800138000","password":"pw","username_type":"mobile"}}}` + "\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := tooltest.NewStack(f, tooltest.StackOptions{
		Client: client.Config{MaxAttempts: 1, RequestTimeout: time.Second},
		Tools:  tools.Options{ConfirmDestructive: true, CallTimeout: time.Second},
	}).Server
	f.Fuzz(func(t *testing.T, in []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stdio := server.NewStdioServer(s)
		stdio.SetErrorLogger(log.New(io.Discard, "", 0))
		var out testutil.SyncBuffer
		// Listen ends at the end of its input, cancelling what is still running; errors are
		// for reads and writes, which cannot fail here.
		done := make(chan struct{})
		go func() {
			defer close(done)
			jsonrpc.Stdio(ctx, bytes.NewReader(in), &out, stdio.Listen, tools.CallCheck(s), nil)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Listen did not return after its input ended")
		}
		got := out.String()
		if got != "" && !strings.HasSuffix(got, "\n") {
			t.Fatalf("output ends in a partial line: %.200q", got[strings.LastIndexByte(got, '\n')+1:])
		}
		for line := range strings.Lines(got) {
			msgs := []json.RawMessage{json.RawMessage(strings.TrimSuffix(line, "\n"))}
			if strings.HasPrefix(line, "[") {
				// The answer to a batch.
				if err := json.Unmarshal([]byte(line), &msgs); err != nil || len(msgs) == 0 {
					t.Fatalf("not a batch answer: %.300q", line)
				}
			}
			for _, m := range msgs {
				if problem := checkRPCLine(string(m)); problem != "" {
					t.Fatalf("%s: %.300q", problem, line)
				}
			}
		}
	})
}
