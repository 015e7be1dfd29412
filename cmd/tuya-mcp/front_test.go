package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// The tests in this file send raw bytes, as clients in the wild do, over stdio and over
// Streamable HTTP, and check that the server answers as MCP says and stays healthy.

// wireServer is a tuya-mcp server on one transport, over a sandbox.
type wireServer interface {
	// send sends raw and returns the HTTP status (0 on stdio) and the answers: on stdio the
	// next want lines, on HTTP the body when there is one.
	send(t *testing.T, raw string, header map[string]string, want int) (int, []string)
	// healthy checks that the server answers a ping next, and nothing before it.
	healthy(t *testing.T)
}

// wireConfig is the configuration of the servers under test.
func wireConfig(srv *sandbox.Server) Config {
	return Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: srv.URL,
		Schema: sandbox.DemoSchema, CallTimeout: 30 * time.Second}
}

// forEachTransport runs f against a fresh server on stdio and one on Streamable HTTP, both over
// srv.
func forEachTransport(t *testing.T, srv *sandbox.Server, f func(t *testing.T, s wireServer)) {
	t.Run("stdio", func(t *testing.T) { f(t, startStdioServer(t, wireConfig(srv))) })
	t.Run("http", func(t *testing.T) { f(t, startHTTPServer(t, wireConfig(srv))) })
}

type stdioServer struct {
	in    *io.PipeWriter
	lines chan string
	pings int
}

func startStdioServer(t *testing.T, cfg Config) *stdioServer {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runStdio(ctx, cfg, zerolog.Nop(), inR, outW)
		outW.Close()
	}()
	s := &stdioServer{in: inW, lines: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(outR)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	t.Cleanup(func() {
		inW.Close()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("stdio server: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("stdio server still running 10s after stdin closed")
		}
		cancel()
	})
	return s
}

func (s *stdioServer) send(t *testing.T, raw string, _ map[string]string, want int) (int, []string) {
	t.Helper()
	if _, err := io.WriteString(s.in, raw+"\n"); err != nil {
		t.Fatal(err)
	}
	var out []string
	for range want {
		out = append(out, s.next(t))
	}
	return 0, out
}

func (s *stdioServer) next(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-s.lines:
		if !ok {
			t.Fatal("stdout closed")
		}
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("no answer within 10s")
	}
	return ""
}

func (s *stdioServer) healthy(t *testing.T) {
	t.Helper()
	s.pings++
	id := "health-" + strconv.Itoa(s.pings)
	_, got := s.send(t, `{"jsonrpc":"2.0","id":"`+id+`","method":"ping"}`, nil, 1)
	if want := `{"jsonrpc":"2.0","id":"` + id + `","result":{}}`; got[0] != want {
		t.Fatalf("after it, the server answered %s before the ping (want %s)", got[0], want)
	}
}

type httpServer struct{ url string }

func startHTTPServer(t *testing.T, cfg Config) *httpServer {
	t.Helper()
	s, stop, err := newBackend(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(newHTTPHandler(s, cfg, zerolog.Nop()))
	t.Cleanup(func() {
		hs.Close()
		stop()
	})
	return &httpServer{url: hs.URL + "/mcp"}
}

func (s *httpServer) send(t *testing.T, raw string, header map[string]string, _ int) (int, []string) {
	t.Helper()
	status, _, body := s.post(t, s.url, raw, header)
	if body == "" {
		return status, nil
	}
	return status, []string{body}
}

func (s *httpServer) post(t *testing.T, url, raw string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, strings.TrimSpace(string(b))
}

func (s *httpServer) healthy(t *testing.T) {
	t.Helper()
	status, got := s.send(t, `{"jsonrpc":"2.0","id":"health","method":"ping"}`, nil, 1)
	if want := `{"jsonrpc":"2.0","id":"health","result":{}}`; status != 200 || len(got) != 1 || got[0] != want {
		t.Fatalf("ping after it: %d %q, want 200 %s", status, got, want)
	}
}

// rpc is a JSON-RPC response as read by the tests.
type rpc struct {
	ID     json.RawMessage `json:"id"`
	Result *struct {
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		StructuredContent json.RawMessage `json:"structuredContent"`
		IsError           bool            `json:"isError"`
		ProtocolVersion   string          `json:"protocolVersion"`
	} `json:"result"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	// hasID says whether the message has an "id" member at all.
	hasID bool
}

func decodeRPC(t *testing.T, s string) rpc {
	t.Helper()
	var r rpc
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &r); err != nil || json.Unmarshal([]byte(s), &keys) != nil {
		t.Fatalf("answer %q is no JSON-RPC message: %v", s, err)
	}
	_, r.hasID = keys["id"]
	return r
}

// text joins a result's text contents.
func (r rpc) text() string {
	if r.Result == nil {
		return ""
	}
	var parts []string
	for _, c := range r.Result.Content {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

// initializeWire negotiates version on s (stdio; HTTP is stateless) and returns the header
// that says it on HTTP.
func initializeWire(t *testing.T, s wireServer, version string) map[string]string {
	t.Helper()
	if _, ok := s.(*stdioServer); !ok {
		return map[string]string{"Mcp-Protocol-Version": version}
	}
	_, got := s.send(t, `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"`+version+
		`","capabilities":{},"clientInfo":{"name":"wire","version":"1"}}}`, nil, 1)
	if r := decodeRPC(t, got[0]); r.Result == nil || r.Result.ProtocolVersion != version {
		t.Fatalf("initialize: %s", got[0])
	}
	s.send(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, nil, 0)
	return nil
}

// toolCall is the text of a tools/call request.
func toolCall(id, tool, args string) string {
	return `{"jsonrpc":"2.0","id":` + id + `,"method":"tools/call","params":{"name":"` + tool + `","arguments":` + args + `}}`
}

// TestWireArguments: list arguments sent as JSON text, keys clients add, and near misses
// (issue 11, items 1 and 2).
func TestWireArguments(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	tests := []struct {
		name, tool, args string
		isError          bool
		want             []string // substrings of the result's text
		note             string   // the note on ignored keys, in the text only
	}{
		{name: "array as JSON text", tool: "device_list",
			args: `{"device_ids":"[\"` + sandbox.DemoGatewayID + `\",\"` + sandbox.DemoStripID + `\"]"}`,
			want: []string{sandbox.DemoGatewayID, sandbox.DemoStripID}},
		{name: "array as JSON text of another tool", tool: "device_factory_info_list",
			args: `{"device_ids":"[\"` + sandbox.DemoScaleID + `\"]"}`, want: []string{sandbox.DemoScaleID}},
		{name: "comma-separated list", tool: "device_list",
			args: `{"device_ids":"` + sandbox.DemoGatewayID + `, ` + sandbox.DemoStripID + `"}`,
			want: []string{sandbox.DemoGatewayID, sandbox.DemoStripID}},
		{name: "broken JSON text", tool: "device_list", args: `{"device_ids":"[\"bf01\",\"bf02\""}`, isError: true,
			want: []string{"device_ids: must be an array: the string looks like a JSON array but is not one (unexpected end of JSON input"}},
		{name: "arguments as JSON text", tool: "device_get", args: `"{\"device_id\":\"` + sandbox.DemoScaleID + `\"}"`,
			want: []string{sandbox.DemoScaleID}},
		{name: "Cline's task_progress", tool: "device_get",
			args: `{"device_id":"` + sandbox.DemoScaleID + `","task_progress":"- [ ] x"}`,
			want: []string{sandbox.DemoScaleID}, note: `Ignored "task_progress": not an argument of this tool.`},
		{name: "several added keys", tool: "user_get", args: `{"uid":"` + sandbox.DemoUserUID + `","reason":"r","_trace":1}`,
			want: []string{sandbox.DemoUserUID}, note: `Ignored "_trace", "reason": not an argument of this tool.`},
		{name: "near miss: no separator", tool: "device_get", args: `{"deviceid":"` + sandbox.DemoScaleID + `"}`, isError: true,
			want: []string{`unknown argument "deviceid" (did you mean device_id?)`}},
		{name: "near miss: dash", tool: "device_list", args: `{"page-size":5}`, isError: true,
			want: []string{`unknown argument "page-size" (did you mean page_size?)`}},
		{name: "near miss: camel case", tool: "user_list", args: `{"pageNo":2}`, isError: true,
			want: []string{`unknown argument "pageNo" (did you mean page_no?)`}},
		{name: "near miss: typo", tool: "device_get", args: `{"devcie_id":"x"}`, isError: true,
			want: []string{`unknown argument "devcie_id" (did you mean device_id?)`}},
	}
	forEachTransport(t, srv, func(t *testing.T, s wireServer) {
		for i, tt := range tests {
			_, got := s.send(t, toolCall(strconv.Itoa(i+1), tt.tool, tt.args), nil, 1)
			r := decodeRPC(t, got[0])
			if r.Result == nil || r.Result.IsError != tt.isError {
				t.Errorf("%s: %s, want isError %v", tt.name, got[0], tt.isError)
				continue
			}
			text := r.text()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: text %.300q lacks %q", tt.name, text, w)
				}
			}
			if tt.note != "" && !strings.HasSuffix(text, "\n"+tt.note) {
				t.Errorf("%s: text %.300q does not end with the note %q", tt.name, text, tt.note)
			}
			if tt.note != "" && strings.Contains(string(r.Result.StructuredContent), "task_progress") {
				t.Errorf("%s: the note reached structuredContent", tt.name)
			}
			s.healthy(t)
		}
	})
}

// TestWireNotUnicode: text that is not valid Unicode is refused before anything reaches Tuya,
// where encoding/json would have replaced it with U+FFFD (issue 11, item 3).
func TestWireNotUnicode(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	rename := func(name string) string {
		return toolCall("3", "device_rename", `{"device_id":"`+sandbox.DemoStripID+`","name":"`+name+`"}`)
	}
	tests := []struct {
		name, raw string
		id        string // the id the error echoes, or "" for none
		want      string // a substring of the error message
	}{
		{"byte 0xFF", rename("Lamp \xff"), "3", "not valid UTF-8 (byte 0xFF at offset"},
		{"cut multi-byte character", rename("Lamp \xc3"), "3", "not valid UTF-8 (byte 0xC3"},
		{"overlong encoding", rename("Lamp \xc0\xaf"), "3", "not valid UTF-8 (byte 0xC0"},
		{"encoded surrogate", rename("Lamp \xed\xa0\x80"), "3", "not valid UTF-8 (byte 0xED"},
		{"Latin-1 text", rename("Caf\xe9"), "3", "not valid UTF-8 (byte 0xE9"},
		{"bad byte in a key", toolCall(`"k"`, "device_get", "{\"device_id\xff\":\"x\"}"), `"k"`, "not valid UTF-8"},
		{"bad byte in the id", "{\"jsonrpc\":\"2.0\",\"id\":\"\xff\",\"method\":\"ping\"}", "", "not valid UTF-8"},
		{"lone high surrogate escape", rename(`Lamp \ud800`), "", `the escape \ud800 at offset`},
		{"lone low surrogate escape", rename(`Lamp \udc00`), "", `the escape \udc00`},
		{"surrogates in the wrong order", rename(`Lamp \udc00\ud800`), "", `the escape \udc00`},
	}
	forEachTransport(t, srv, func(t *testing.T, s wireServer) {
		for _, tt := range tests {
			status, got := s.send(t, tt.raw, nil, 1)
			if len(got) != 1 {
				t.Fatalf("%s: %d %q", tt.name, status, got)
			}
			r := decodeRPC(t, got[0])
			if r.Error == nil || r.Error.Code != -32700 || !strings.Contains(r.Error.Message, tt.want) ||
				string(r.ID) != tt.id || r.hasID != (tt.id != "") {
				t.Errorf("%s: %s, want a parse error with id %q, saying %q", tt.name, got[0], tt.id, tt.want)
			}
			if _, isHTTP := s.(*httpServer); isHTTP && status != http.StatusBadRequest {
				t.Errorf("%s: HTTP %d, want 400", tt.name, status)
			}
			s.healthy(t)
		}
		// A properly escaped pair is one character, and accepted.
		_, got := s.send(t, rename(`Lamp \ud83d\udca1`), nil, 1)
		if r := decodeRPC(t, got[0]); r.Result == nil || r.Result.IsError {
			t.Errorf("escaped surrogate pair: %s", got[0])
		}
		if d, _ := srv.Device(sandbox.DemoStripID); d.Name != "Lamp \U0001F4A1" {
			t.Errorf("device name %q after the escaped pair", d.Name)
		}
	})
	if n := srv.Stats().ByRoute["PUT /v1.0/devices/{device_id}"]; n != 2 {
		t.Errorf("%d renames reached the sandbox, want the 2 valid ones (%v)", n, srv.Stats().ByRoute)
	}
}
