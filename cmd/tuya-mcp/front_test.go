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

	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// The tests in this file send raw bytes, as clients in the wild do, over stdio and over
// Streamable HTTP, and check that the server answers as MCP says and stays healthy.

// wireServer is a tuya-mcp server on one transport, over a sandbox.
type wireServer interface {
	// send sends raw and returns the HTTP status (0 on stdio) and the answers: on stdio the
	// next want lines, on HTTP the body when there is one.
	send(t *testing.T, raw string, header map[string]string, want int) (int, []string)
	// begin sends raw and returns a function that waits for the answers, as send returns them.
	begin(t *testing.T, raw string, header map[string]string) func(want int) (int, []string)
	// healthy checks that the server answers a ping next, and nothing before it.
	healthy(t *testing.T)
}

// wireConfig is the configuration of the servers under test.
func wireConfig(srv *sandbox.Server) Config {
	return Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: srv.URL,
		Schema: sandbox.DemoSchema, CallTimeout: 30 * time.Second}
}

// wireTransport starts a server on one transport.
type wireTransport struct {
	name  string
	start func(*testing.T, Config, zerolog.Logger) wireServer
}

func wireTransports() []wireTransport {
	return []wireTransport{
		{"stdio", func(t *testing.T, c Config, l zerolog.Logger) wireServer { return startStdioServer(t, c, l) }},
		{"http", func(t *testing.T, c Config, l zerolog.Logger) wireServer { return startHTTPServer(t, c, l) }},
	}
}

// forEachTransport runs f against a fresh server on stdio and one on Streamable HTTP, both over
// srv and logging to log.
func forEachTransport(t *testing.T, srv *sandbox.Server, log zerolog.Logger, f func(t *testing.T, s wireServer)) {
	for _, tr := range wireTransports() {
		t.Run(tr.name, func(t *testing.T) { f(t, tr.start(t, wireConfig(srv), log)) })
	}
}

type stdioServer struct {
	in    *io.PipeWriter
	lines chan string
	pings int
}

func startStdioServer(t *testing.T, cfg Config, log zerolog.Logger) *stdioServer {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runStdio(ctx, cfg, log, inR, outW)
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

func (s *stdioServer) send(t *testing.T, raw string, header map[string]string, want int) (int, []string) {
	t.Helper()
	return s.begin(t, raw, header)(want)
}

func (s *stdioServer) begin(t *testing.T, raw string, _ map[string]string) func(int) (int, []string) {
	t.Helper()
	if _, err := io.WriteString(s.in, raw+"\n"); err != nil {
		t.Fatal(err)
	}
	return func(want int) (int, []string) {
		t.Helper()
		var out []string
		for range want {
			out = append(out, s.next(t))
		}
		return 0, out
	}
}

// quiet checks that nothing more is written within d.
func (s *stdioServer) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case l := <-s.lines:
		t.Errorf("unexpected answer %s", l)
	case <-time.After(d):
	}
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

func startHTTPServer(t *testing.T, cfg Config, log zerolog.Logger) *httpServer {
	t.Helper()
	s, stop, err := newBackend(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(newHTTPHandler(s, cfg, log))
	t.Cleanup(func() {
		hs.Close()
		stop()
	})
	return &httpServer{url: hs.URL + "/mcp"}
}

func (s *httpServer) send(t *testing.T, raw string, header map[string]string, want int) (int, []string) {
	t.Helper()
	return s.begin(t, raw, header)(want)
}

func (s *httpServer) begin(t *testing.T, raw string, header map[string]string) func(int) (int, []string) {
	t.Helper()
	type answer struct {
		status int
		body   string
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		status, _, body, err := s.post(s.url, raw, header)
		done <- answer{status, body, err}
	}()
	return func(int) (int, []string) {
		t.Helper()
		a := <-done
		if a.err != nil {
			t.Fatal(a.err)
		}
		if a.body == "" {
			return a.status, nil
		}
		return a.status, []string{a.body}
	}
}

func (s *httpServer) post(url, raw string, header map[string]string) (int, http.Header, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(raw))
	if err != nil {
		return 0, nil, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	res, b, err := send(req, header)
	if err != nil {
		return 0, nil, "", err
	}
	return res.StatusCode, res.Header, strings.TrimSpace(string(b)), nil
}

// send sends req with header added (a "Host" entry sets the request's host) and returns the
// response, its body read and closed, and that body.
func send(req *http.Request, header map[string]string) (*http.Response, []byte, error) {
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, b, err
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
		{name: "JSON text of one string with a comma", tool: "device_list", args: `{"device_ids":"\"` + sandbox.DemoGatewayID + `,` + sandbox.DemoStripID + `\""}`,
			isError: true, want: []string{`device_ids: item 1 must be 1 to 64 letters`}},
		{name: "arguments as JSON text of an array", tool: "device_list", args: `"[1]"`, isError: true,
			want: []string{"arguments must be a JSON object (got JSON text of an array)"}},
		{name: "arguments as JSON text of a number", tool: "device_list", args: `"12"`, isError: true,
			want: []string{"arguments must be a JSON object (got JSON text of a number)"}},
		{name: "arguments as plain text", tool: "device_list", args: `"hello"`, isError: true,
			want: []string{"arguments must be a JSON object (got a string)"}},
		{name: "broken JSON text", tool: "device_list", args: `{"device_ids":"[\"bf01\",\"bf02\""}`, isError: true,
			want: []string{"device_ids: must be an array: the string looks like a JSON array but is not one (unexpected end of JSON input"}},
		{name: "arguments as JSON text", tool: "device_get", args: `"{\"device_id\":\"` + sandbox.DemoScaleID + `\"}"`,
			want: []string{sandbox.DemoScaleID}},
		{name: "Cline's task_progress", tool: "device_get",
			args: `{"device_id":"` + sandbox.DemoScaleID + `","task_progress":"- [ ] x"}`,
			want: []string{sandbox.DemoScaleID}, note: `Ignored "task_progress": not an argument of this tool.`},
		{name: "several added keys", tool: "user_get", args: `{"uid":"` + sandbox.DemoUserUID + `","reason":"r","_trace":1}`,
			want: []string{sandbox.DemoUserUID}, note: `Ignored "_trace", "reason": not arguments of this tool.`},
		{name: "near miss: no separator", tool: "device_get", args: `{"deviceid":"` + sandbox.DemoScaleID + `"}`, isError: true,
			want: []string{`unknown argument "deviceid" (did you mean device_id?)`}},
		{name: "near miss: dash", tool: "device_list", args: `{"page-size":5}`, isError: true,
			want: []string{`unknown argument "page-size" (did you mean page_size?)`}},
		{name: "near miss: camel case", tool: "user_list", args: `{"pageNo":2}`, isError: true,
			want: []string{`unknown argument "pageNo" (did you mean page_no?)`}},
		{name: "near miss: typo", tool: "device_get", args: `{"devcie_id":"x"}`, isError: true,
			want: []string{`unknown argument "devcie_id" (did you mean device_id?)`}},
	}
	forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
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
		{"lone high surrogate escape", rename(`Lamp \ud800`), "3", `the escape \ud800 at offset`},
		{"lone low surrogate escape", rename(`Lamp \udc00`), "3", `the escape \udc00`},
		{"surrogates in the wrong order", rename(`Lamp \udc00\ud800`), "3", `the escape \udc00`},
		{"high surrogate then a letter", rename(`Lamp \ud800x`), "3", `the escape \ud800`},
		{"high surrogate then an escaped letter", rename(`Lamp \ud800\u0041`), "3", `the escape \ud800`},
		{"upper-case escapes in the wrong order", rename(`\uDFFF\uD800`), "3", `the escape \uDFFF`},
		{"lone surrogate, id last", `{"jsonrpc":"2.0","method":"ping","params":{"s":"\ud800"},"id":"last"}`, `"last"`, `the escape \ud800`},
		{"lone surrogate in the id", `{"jsonrpc":"2.0","id":"\ud800","method":"ping"}`, "", `the escape \ud800`},
	}
	logs := &testutil.SyncBuffer{}
	forEachTransport(t, srv, zerolog.New(logs), func(t *testing.T, s wireServer) {
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
	// Each refusal is logged, without the text sent.
	if n := strings.Count(logs.String(), `"message":"refused a JSON-RPC message"`); n != 2*len(tests) || strings.Contains(logs.String(), "Lamp") {
		t.Errorf("%d refusals logged, want %d, without the text sent:\n%s", n, 2*len(tests), logs)
	}
	if n := srv.Stats().ByRoute["PUT /v1.0/devices/{device_id}"]; n != 2 {
		t.Errorf("%d renames reached the sandbox, want the 2 valid ones (%v)", n, srv.Stats().ByRoute)
	}
}

// TestWireCancel: a request the client cancels gets no response, alone or in a batch, its work
// stops, and a cancellation of nothing in flight changes nothing (issue 11, item 4).
func TestWireCancel(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	slow := func(id string) string { return toolCall(id, "device_get", `{"device_id":"`+sandbox.DemoScaleID+`"}`) }
	cancel := func(id string) string {
		return `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":` + id + `,"reason":"user"}}`
	}
	// waitFor polls cond for up to 10s.
	waitFor := func(t *testing.T, what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
		}
	}
	for _, tr := range wireTransports() {
		t.Run(tr.name, func(t *testing.T) {
			logs := &testutil.SyncBuffer{}
			s := tr.start(t, wireConfig(srv), zerolog.New(logs))
			header := initializeWire(t, s, "2025-03-26")
			srv.SetFaults(sandbox.Faults{Latency: time.Minute})
			defer srv.SetFaults(sandbox.Faults{})
			// start sends a call the sandbox holds, and waits until it got there.
			start := func(raw string) func(int) (int, []string) {
				before := srv.Stats().Requests
				wait := s.begin(t, raw, header)
				waitFor(t, "the call never reached the sandbox", func() bool { return srv.Stats().Requests > before })
				return wait
			}
			// stopped waits for the log line of the n-th cancelled call: its work stopped.
			stopped := func(n int) {
				waitFor(t, "the call went on after its cancellation", func() bool {
					return strings.Count(logs.String(), `"outcome":"canceled"`) >= n
				})
			}

			for i, tt := range []struct{ name, id string }{{"number id", "41"}, {"string id", `"call-42"`}} {
				wait := start(slow(tt.id))
				if status, got := s.send(t, cancel(tt.id), header, 0); len(got) != 0 || status != 0 && status != http.StatusAccepted {
					t.Errorf("%s: the cancellation was answered: %d %q", tt.name, status, got)
				}
				if status, got := wait(0); len(got) != 0 || status != 0 && status != http.StatusAccepted {
					t.Errorf("%s: the cancelled call was answered: %d %q", tt.name, status, got)
				}
				stopped(i + 1)
				if ss, ok := s.(*stdioServer); ok {
					ss.quiet(t, 300*time.Millisecond)
				}
				s.healthy(t)
			}

			// In a batch, the cancelled item's response is left out of the array.
			wait := start("[" + slow("51") + `,{"jsonrpc":"2.0","id":52,"method":"ping"}]`)
			s.send(t, cancel("51"), header, 0)
			if _, got := wait(1); len(got) != 1 || got[0] != `[{"jsonrpc":"2.0","id":52,"result":{}}]` {
				t.Errorf("batch with a cancelled item: %q", got)
			}
			stopped(3)

			// Cancelling what is not in flight, or with a malformed notification, does nothing.
			for _, raw := range []string{cancel("999"), cancel(`"nope"`), cancel("null"),
				`{"jsonrpc":"2.0","method":"notifications/cancelled"}`, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":7}`} {
				if status, got := s.send(t, raw, header, 0); len(got) != 0 || status != 0 && status != http.StatusAccepted {
					t.Errorf("%s: answered %d %q", raw, status, got)
				}
				s.healthy(t)
			}

			// The front decides what a cancellation names, the same way on both transports:
			// an id of the other JSON type is another id, and two requests in flight under
			// one id are ambiguous, so neither is cancelled. The calls then complete.
			srv.SetFaults(sandbox.Faults{Latency: 300 * time.Millisecond})
			answered := func(what string, got []string, n int) {
				t.Helper()
				if len(got) != n {
					t.Fatalf("%s: %d answers %q, want %d", what, len(got), got, n)
				}
				for _, g := range got {
					if r := decodeRPC(t, g); r.Result == nil || r.Result.IsError {
						t.Errorf("%s: %.200s", what, g)
					}
				}
			}
			for _, tt := range []struct{ id, cancelID string }{{"12", `"12"`}, {`"13"`, "13"}, {"14", `"14.0"`}} {
				wait := start(slow(tt.id))
				s.send(t, cancel(tt.cancelID), header, 0)
				_, got := wait(1)
				answered("id "+tt.id+" cancelled as "+tt.cancelID, got, 1)
				s.healthy(t)
			}
			first := start(slow(`"dup"`))
			second := start(slow(`"dup"`))
			s.send(t, cancel(`"dup"`), header, 0)
			var got []string
			if _, ok := s.(*stdioServer); ok {
				_, got = first(2)
			} else {
				_, a := first(1)
				_, b := second(1)
				got = append(a, b...)
			}
			answered("two calls with one id", got, 2)
			s.healthy(t)
		})
	}
	// On HTTP the cancellation must come with the credential of the call, however the
	// Authorization header spells its scheme.
	t.Run("http credential", func(t *testing.T) {
		cfg := wireConfig(srv)
		cfg.HTTPToken = "tok1"
		s := startHTTPServer(t, cfg, zerolog.Nop())
		srv.SetFaults(sandbox.Faults{Latency: time.Minute})
		defer srv.SetFaults(sandbox.Faults{})
		before := srv.Stats().Requests
		wait := s.begin(t, slow("61"), map[string]string{"Authorization": "Bearer tok1"})
		waitFor(t, "the call never reached the sandbox", func() bool { return srv.Stats().Requests > before })
		if status, got := s.send(t, cancel("61"), map[string]string{"Authorization": "bearer  tok1"}, 0); status != http.StatusAccepted || len(got) != 0 {
			t.Errorf("cancellation: %d %q", status, got)
		}
		if status, got := wait(0); status != http.StatusAccepted || len(got) != 0 {
			t.Errorf("the cancelled call was answered: %d %q", status, got)
		}
	})
}

// batchAnswer decodes an array answer into its responses by id.
func batchAnswer(t *testing.T, got []string) map[string]rpc {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("answers %q, want one array", got)
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(got[0]), &items); err != nil {
		t.Fatalf("answer %s is no array: %v", got[0], err)
	}
	out := make(map[string]rpc)
	for i, it := range items {
		r := decodeRPC(t, string(it))
		key := string(r.ID)
		if !r.hasID {
			key = "no id " + strconv.Itoa(i)
		}
		if _, dup := out[key]; dup {
			t.Errorf("answer %s repeats id %s", got[0], key)
		}
		out[key] = r
	}
	return out
}

// TestWireBatches: under 2025-03-26 a batch gets an array of responses; under later versions
// it is an Invalid Request, never a parse error (issue 11, item 5).
func TestWireBatches(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	const ping2 = `{"jsonrpc":"2.0","id":2,"method":"ping"}`
	t.Run("2025-03-26", func(t *testing.T) {
		forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
			header := initializeWire(t, s, "2025-03-26")
			_, got := s.send(t, "["+ping2+"]", header, 1)
			if len(got) != 1 || got[0] != `[{"jsonrpc":"2.0","id":2,"result":{}}]` {
				t.Errorf("the issue's batch: %q", got)
			}
			s.healthy(t)

			got = nil
			_, got = s.send(t, `[`+ping2+`,{"jsonrpc":"2.0","method":"notifications/initialized"},`+
				toolCall(`"t"`, "device_get", `{"device_id":"`+sandbox.DemoScaleID+`"}`)+`,`+
				toolCall("4", "device_get", `{"deviceid":"x"}`)+`,{"jsonrpc":"2.0","id":null,"method":"ping"},7]`, header, 1)
			rs := batchAnswer(t, got)
			if r := rs["2"]; r.Result == nil {
				t.Errorf("ping in a batch: %+v", r)
			}
			if r := rs[`"t"`]; r.Result == nil || r.Result.IsError || !strings.Contains(r.text(), sandbox.DemoScaleID) {
				t.Errorf("tool call in a batch: %s", r.text())
			}
			if r := rs["4"]; r.Result == nil || !r.Result.IsError || !strings.Contains(r.text(), "did you mean device_id") {
				t.Errorf("failing tool call in a batch: %s", r.text())
			}
			// The null id and the number are refused in place, with no id.
			refused := 0
			for k, r := range rs {
				if strings.HasPrefix(k, "no id") && r.Error != nil && r.Error.Code == -32600 {
					refused++
				}
			}
			if len(rs) != 5 || refused != 2 {
				t.Errorf("batch answer %s, want 5 responses, 2 of them errors without id", got)
			}
			s.healthy(t)

			// initialize in a batch is refused in place; on stdio the session stays as it was.
			_, got = s.send(t, `[{"jsonrpc":"2.0","id":"again","method":"initialize","params":{"protocolVersion":"2025-06-18",`+
				`"capabilities":{},"clientInfo":{"name":"wire","version":"1"}}},`+ping2+`]`, header, 1)
			rs = batchAnswer(t, got)
			if r := rs[`"again"`]; len(rs) != 2 || r.Error == nil || r.Error.Code != -32600 || rs["2"].Result == nil {
				t.Errorf("batch with initialize: %q", got)
			}
			_, got = s.send(t, "["+ping2+"]", header, 1)
			if len(got) != 1 || got[0] != `[{"jsonrpc":"2.0","id":2,"result":{}}]` {
				t.Errorf("batch after a batch with initialize: %q", got)
			}

			// Notifications only: nothing to answer.
			status, got := s.send(t, `[{"jsonrpc":"2.0","method":"notifications/initialized"}]`, header, 0)
			if len(got) != 0 || status != 0 && status != http.StatusAccepted {
				t.Errorf("batch of notifications answered %d %q", status, got)
			}
			s.healthy(t)

			// An empty array is one Invalid Request.
			status, got = s.send(t, `[]`, header, 1)
			if r := decodeRPC(t, got[0]); r.Error == nil || r.Error.Code != -32600 || r.hasID || status != 0 && status != 400 {
				t.Errorf("empty batch: %d %s", status, got[0])
			}
			s.healthy(t)
		})
	})
	for _, version := range []string{"2024-11-05", "2025-06-18", "2025-11-25"} {
		t.Run(version, func(t *testing.T) {
			forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
				header := initializeWire(t, s, version)
				for _, raw := range []string{"[" + ping2 + "]", "[" + ping2 + "," + ping2 + "]", "[1]", "[]"} {
					status, got := s.send(t, raw, header, 1)
					r := decodeRPC(t, got[0])
					if r.Error == nil || r.Error.Code != -32600 || r.hasID || status != 0 && status != 400 {
						t.Errorf("%s: %d %s, want -32600 without id", raw, status, got[0])
					}
					s.healthy(t)
				}
			})
		})
	}
	// On HTTP, with no MCP-Protocol-Version header, a batch is answered under the transport's
	// default, 2025-03-26.
	t.Run("http without a version header", func(t *testing.T) {
		s := startHTTPServer(t, wireConfig(srv), zerolog.Nop())
		initialize := func(v string) string {
			return `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"` + v +
				`","capabilities":{},"clientInfo":{"name":"wire","version":"1"}}}`
		}
		_, got := s.send(t, "[\n  "+ping2+"\n]", nil, 1)
		if len(got) != 1 || got[0] != `[{"jsonrpc":"2.0","id":2,"result":{}}]` {
			t.Errorf("batch with no version: %q", got)
		}
		// initialize must not be part of a batch (2025-03-26): that item is refused, the others
		// are answered.
		for _, v := range []string{"2025-03-26", "2025-06-18"} {
			status, got := s.send(t, "["+initialize(v)+","+ping2+"]", nil, 1)
			rs := batchAnswer(t, got)
			if r := rs[`"init"`]; status != 200 || r.Error == nil || r.Error.Code != -32600 || rs["2"].Result == nil {
				t.Errorf("batch with initialize %s: %d %q", v, status, got)
			}
		}
		s.healthy(t)
	})
}

// TestWireInvalidRequests: a null id, and every message the front cannot take, get an error
// that leaves "id" out when there is none to echo (issue 11, items 6 and 7).
func TestWireInvalidRequests(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	tests := []struct {
		name, raw string
		code      int
		id        string // the id echoed, or ""
	}{
		{"null id", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, -32600, ""},
		{"null id on a tool call", toolCall("null", "device_get", `{"device_id":"x"}`), -32600, ""},
		{"null id on a response", `{"jsonrpc":"2.0","id":null,"result":{}}`, -32600, ""},
		{"boolean id", `{"jsonrpc":"2.0","id":true,"method":"ping"}`, -32600, ""},
		{"object id", `{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, -32600, ""},
		{"array id", `{"jsonrpc":"2.0","id":[1],"method":"ping"}`, -32600, ""},
		{"not JSON", `not json`, -32700, ""},
		{"cut JSON", `{"jsonrpc":"2.0","id":1,"method":"ping"`, -32700, ""},
		{"trailing garbage", `{"jsonrpc":"2.0","id":1,"method":"ping"}}`, -32700, ""},
		{"a number", `5`, -32600, ""},
		{"a string", `"ping"`, -32600, ""},
		{"null", `null`, -32600, ""},
		{"no method, no id", `{"jsonrpc":"2.0"}`, -32600, ""},
		{"an id and nothing else", `{"jsonrpc":"2.0","id":4}`, -32600, "4"},
		{"method not a string", `{"jsonrpc":"2.0","id":5,"method":7}`, -32600, "5"},
		{"empty method", `{"jsonrpc":"2.0","id":"e","method":""}`, -32600, `"e"`},
	}
	forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
		for _, tt := range tests {
			status, got := s.send(t, tt.raw, nil, 1)
			if len(got) != 1 {
				t.Fatalf("%s: %d %q", tt.name, status, got)
			}
			r := decodeRPC(t, got[0])
			if r.Error == nil || r.Error.Code != tt.code || r.hasID != (tt.id != "") || string(r.ID) != tt.id {
				t.Errorf("%s: %s, want code %d and id %q", tt.name, got[0], tt.code, tt.id)
			}
			if status != 0 && status != http.StatusBadRequest {
				t.Errorf("%s: HTTP %d, want 400", tt.name, status)
			}
			s.healthy(t)
		}
		// Blank lines separate nothing on stdio; on HTTP an empty body is a parse error.
		if ss, ok := s.(*stdioServer); ok {
			ss.send(t, "\n   \t\r", nil, 0)
			s.healthy(t)
			return
		}
		status, got := s.send(t, "", nil, 1)
		if r := decodeRPC(t, got[0]); status != 400 || r.hasID || r.Error == nil || r.Error.Code != -32700 {
			t.Errorf("empty body: %d %q", status, got)
		}
	})
}

// TestWireHTTPEdges: CORS for pages on this machine, Allow on 405, the body limit without a
// Content-Length, and /mcp/ (issue 11, items 8 and 9).
func TestWireHTTPEdges(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	const token = "t0ken"
	cfg := wireConfig(srv)
	cfg.HTTPToken = token
	cfg.AllowedOrigins = []string{"https://app.example"}
	s := startHTTPServer(t, cfg, zerolog.Nop())
	base := strings.TrimSuffix(s.url, "/mcp")
	auth := "Bearer " + token
	const ping = `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	const pong = `{"jsonrpc":"2.0","id":1,"result":{}}`
	preflight := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "authorization, content-type, mcp-protocol-version"}
	}
	tests := []struct {
		name, method, path string
		header             map[string]string
		body               io.Reader
		status             int
		respBody           string            // the answer's body, when given
		respHeader         map[string]string // headers the answer must carry ("" for absent)
	}{
		{name: "the MCP Inspector's preflight", method: "OPTIONS", path: "/mcp", header: preflight("http://localhost:6274"),
			status: 204, respHeader: map[string]string{"Access-Control-Allow-Origin": "http://localhost:6274",
				"Access-Control-Allow-Methods": "POST, OPTIONS", "Vary": "Origin"}},
		{name: "preflight from a loopback address", method: "OPTIONS", path: "/mcp", header: preflight("http://127.0.0.1:5173"),
			status: 204, respHeader: map[string]string{"Access-Control-Allow-Origin": "http://127.0.0.1:5173"}},
		{name: "preflight from IPv6 loopback", method: "OPTIONS", path: "/mcp/", header: preflight("http://[::1]:8080"),
			status: 204, respHeader: map[string]string{"Access-Control-Allow-Origin": "http://[::1]:8080"}},
		{name: "preflight from a configured origin", method: "OPTIONS", path: "/mcp", header: preflight("https://app.example"),
			status: 204, respHeader: map[string]string{"Access-Control-Allow-Origin": "https://app.example"}},
		{name: "preflight from a foreign origin", method: "OPTIONS", path: "/mcp", header: preflight("https://evil.example"),
			status: 403, respHeader: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "preflight from a localhost lookalike", method: "OPTIONS", path: "/mcp",
			header: preflight("http://localhost.evil.example"), status: 403},
		{name: "call from a loopback page", method: "POST", path: "/mcp",
			header: map[string]string{"Authorization": auth, "Origin": "http://localhost:6274"}, body: strings.NewReader(ping),
			status: 200, respBody: pong, respHeader: map[string]string{"Access-Control-Allow-Origin": "http://localhost:6274",
				"Access-Control-Expose-Headers": "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate"}},
		{name: "refusal a loopback page can read", method: "POST", path: "/mcp",
			header: map[string]string{"Origin": "http://localhost:6274"}, body: strings.NewReader(ping),
			status: 401, respHeader: map[string]string{"Access-Control-Allow-Origin": "http://localhost:6274"}},
		{name: "call from a foreign page", method: "POST", path: "/mcp",
			header: map[string]string{"Authorization": auth, "Origin": "https://evil.example"}, body: strings.NewReader(ping),
			status: 403, respHeader: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "call without an Origin gets no CORS headers", method: "POST", path: "/mcp",
			header: map[string]string{"Authorization": auth}, body: strings.NewReader(ping),
			status: 200, respBody: pong, respHeader: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "GET", method: "GET", path: "/mcp", header: map[string]string{"Authorization": auth},
			status: 405, respHeader: map[string]string{"Allow": "OPTIONS, POST"}},
		{name: "DELETE", method: "DELETE", path: "/mcp", header: map[string]string{"Authorization": auth},
			status: 405, respHeader: map[string]string{"Allow": "OPTIONS, POST"}},
		{name: "PUT on /mcp/", method: "PUT", path: "/mcp/", header: map[string]string{"Authorization": auth},
			status: 405, respHeader: map[string]string{"Allow": "OPTIONS, POST"}},
		{name: "POST on healthz", method: "POST", path: "/healthz", status: 405,
			respHeader: map[string]string{"Allow": "GET, HEAD"}},
		{name: "OPTIONS without an Origin", method: "OPTIONS", path: "/mcp", header: map[string]string{"Authorization": auth},
			status: 204, respHeader: map[string]string{"Allow": "OPTIONS, POST"}},
		{name: "POST on /mcp/", method: "POST", path: "/mcp/", header: map[string]string{"Authorization": auth},
			body: strings.NewReader(ping), status: 200, respBody: pong},
		{name: "a path below /mcp/", method: "POST", path: "/mcp/x", header: map[string]string{"Authorization": auth},
			body: strings.NewReader(ping), status: 404},
		{name: "chunked body over the limit", method: "POST", path: "/mcp", header: map[string]string{"Authorization": auth},
			body: io.MultiReader(strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"`),
				strings.NewReader(strings.Repeat("a", maxRequestBody)), strings.NewReader(`"}}`)), status: 413},
		{name: "chunked batch over the limit", method: "POST", path: "/mcp", header: map[string]string{"Authorization": auth},
			body: io.MultiReader(strings.NewReader("["), strings.NewReader(strings.Repeat(ping+",", maxRequestBody/len(ping))),
				strings.NewReader(ping+"]")), status: 413},
		{name: "chunked body at the limit", method: "POST", path: "/mcp", header: map[string]string{"Authorization": auth},
			body:   io.MultiReader(strings.NewReader(ping), strings.NewReader(strings.Repeat(" ", maxRequestBody-len(ping)))),
			status: 200, respBody: pong},
		{name: "declared body over the limit", method: "POST", path: "/mcp", header: map[string]string{"Authorization": auth},
			body: strings.NewReader(strings.Repeat(" ", maxRequestBody+1)), status: 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if body == nil {
				body = http.NoBody
			}
			req, err := http.NewRequest(tt.method, base+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := body.(*strings.Reader); !ok && body != http.NoBody {
				req.ContentLength = -1 // chunked
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			res, b, err := send(req, tt.header)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status || tt.respBody != "" && strings.TrimSpace(string(b)) != tt.respBody {
				t.Errorf("%d %.200s, want %d %s", res.StatusCode, b, tt.status, tt.respBody)
			}
			for k, v := range tt.respHeader {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}
	s.url += "/"
	_, got := s.send(t, ping, map[string]string{"Authorization": auth}, 1)
	if len(got) != 1 || got[0] != pong {
		t.Errorf("after all that, ping on /mcp/: %q", got)
	}
}

// TestWireIDs: an id is echoed as sent, byte for byte, alone and in a batch, on a ping and on a
// tool call; an id beyond a float64 is refused with -32600 and no id, in place in a batch, and
// a number beyond a float64 anywhere else in a message keeps it decodable (issue 11 follow-up,
// item 2 and 3).
func TestWireIDs(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	ids := []string{`123456789012345678901234567890`, `-9007199254740993`, `1.0`, `7.50`, `1E2`, `-0`, `1e-400`,
		`"a\u0062"`, `"é</>&"`, `"\ud83d\udca1"`}
	get := `{"device_id":"` + sandbox.DemoScaleID + `"}`
	forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
		header := initializeWire(t, s, "2025-03-26")
		for _, id := range ids {
			_, got := s.send(t, `{"jsonrpc":"2.0","id":`+id+`,"method":"ping"}`, header, 1)
			if want := `{"jsonrpc":"2.0","id":` + id + `,"result":{}}`; len(got) != 1 || got[0] != want {
				t.Errorf("ping %s: %q, want %s", id, got, want)
			}
			_, got = s.send(t, toolCall(id, "device_get", get), header, 1)
			if r := decodeRPC(t, got[0]); !strings.HasPrefix(got[0], `{"jsonrpc":"2.0","id":`+id+`,"result":`) || r.Result == nil || r.Result.IsError {
				t.Errorf("tool call %s: %.200s", id, got[0])
			}
		}
		_, got := s.send(t, `[{"jsonrpc":"2.0","id":`+ids[0]+`,"method":"ping"},{"jsonrpc":"2.0","id":`+ids[7]+`,"method":"ping"}]`, header, 1)
		if want := `[{"jsonrpc":"2.0","id":` + ids[0] + `,"result":{}},{"jsonrpc":"2.0","id":` + ids[7] + `,"result":{}}]`; len(got) != 1 ||
			got[0] != want && got[0] != `[{"jsonrpc":"2.0","id":`+ids[7]+`,"result":{}},{"jsonrpc":"2.0","id":`+ids[0]+`,"result":{}}]` {
			t.Errorf("batch: %q, want %s", got, want)
		}
		s.healthy(t)

		for _, id := range []string{`1e400`, `-1E309`, `2e308`} {
			status, got := s.send(t, `{"jsonrpc":"2.0","id":`+id+`,"method":"ping"}`, header, 1)
			if r := decodeRPC(t, got[0]); r.Error == nil || r.Error.Code != -32600 || r.hasID || status != 0 && status != 400 {
				t.Errorf("id %s: %d %s, want -32600 without id", id, status, got[0])
			}
			s.healthy(t)
		}
		_, got = s.send(t, `[{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","id":1e400,"method":"ping"}]`, header, 1)
		rs := batchAnswer(t, got)
		if r := rs["no id 0"]; rs["3"].Result == nil || len(rs) != 2 || r.Error == nil && rs["no id 1"].Error == nil {
			t.Errorf("batch with id 1e400: %q", got)
		}
		s.healthy(t)

		// Elsewhere, such a number reaches the argument checks, or nothing that reads it.
		for _, tt := range []struct{ name, raw, want string }{
			{"ping with a huge _meta value", `{"jsonrpc":"2.0","id":5,"method":"ping","params":{"_meta":{"x":1e400}}}`, `{}`},
			{"ignored key", toolCall("5", "device_get", `{"device_id":"`+sandbox.DemoScaleID+`","task_progress":1e400}`),
				`Ignored "task_progress": not an argument of this tool.`},
			{"page_size", toolCall("5", "device_list", `{"page_size":1e400}`), "page_size: must be between 1 and 100 (got 1e400)"},
			{"negative page_no", toolCall("5", "device_list", `{"page_no":-1e400}`), "page_no: must be at least 1 (got -1e400)"},
			{"command value", toolCall("5", "device_command_send", `{"device_id":"`+sandbox.DemoStripID+
				`","commands":[{"code":"switch_1","value":1e400}]}`), "switch_1: must be true or false"},
			// A string argument refuses a huge number as a number, and nothing is written.
			{"rename", toolCall("5", "device_rename", `{"device_id":"`+sandbox.DemoLampID+`","name":1e400}`), "name: must be a string (got a number)"},
			{"negative rename", toolCall("5", "device_rename", `{"device_id":"`+sandbox.DemoLampID+`","name":-12e999}`), "name: must be a string (got a number)"},
			{"user_sync", toolCall("5", "user_sync", `{"username":1e400,"password":"secret12","country_code":"1"}`), "username: must be a string (got a number)"},
			{"switch_led", toolCall("5", "device_command_send", `{"device_id":"`+sandbox.DemoLampID+
				`","commands":[{"code":"switch_led","value":1e400}]}`), "switch_led: must be true or false"},
			{"work_mode", toolCall("5", "device_command_send", `{"device_id":"`+sandbox.DemoLampID+
				`","commands":[{"code":"work_mode","value":1e400}]}`), "work_mode: must be a string"},
			{"colour_data_v2", toolCall("5", "device_command_send", `{"device_id":"`+sandbox.DemoLampID+
				`","commands":[{"code":"colour_data_v2","value":-1e400}]}`), "(got a number)"},
			// A client's own list of quoted numbers makes no string more than a refused number.
			{"client marks a number string", `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"device_rename","arguments":{"device_id":"` +
				sandbox.DemoLampID + `","name":"1e400"},"_meta":{"` + jsonrpc.QuotedNumbersKey + `":["/name","/device_id","/nothing/3"]}}}`,
				"name: must be a string (got a number)"},
			{"client marks a text string", `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"device_get","arguments":{"device_id":"` +
				sandbox.DemoLampID + `"},"_meta":{"` + jsonrpc.QuotedNumbersKey + `":["/device_id", 7, "", "x"]}}}`,
				sandbox.DemoLampID},
		} {
			_, got := s.send(t, tt.raw, header, 1)
			r := decodeRPC(t, got[0])
			if r.Error != nil || r.Result == nil || !strings.Contains(r.text()+got[0], tt.want) ||
				strings.Contains(got[0], "Go struct") || strings.Contains(got[0], "float64") {
				t.Errorf("%s: %.300s, want a result with %q", tt.name, got[0], tt.want)
			}
			s.healthy(t)
		}
	})
}

// TestWireClientResponses: a response from the client, with a result or an error, is never
// answered, alone or in a batch; on HTTP it gets 202 (issue 11 follow-up, item 5).
func TestWireClientResponses(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	responses := []string{`{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}}`, `{"jsonrpc":"2.0","id":"s","error":{"code":-32601,"message":"no"}}`,
		`{"jsonrpc":"2.0","id":1,"result":{}}`, `{"jsonrpc":"2.0","id":"r","result":{"x":1e400}}`,
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}`, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"x"}}`,
		`{"jsonrpc":"2.0","id":{},"error":{}}`, `{"error":null,"id":1e400}`}
	forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
		header := initializeWire(t, s, "2025-03-26")
		for _, raw := range responses {
			if status, got := s.send(t, raw, header, 0); len(got) != 0 || status != 0 && status != http.StatusAccepted {
				t.Errorf("%s: answered %d %q", raw, status, got)
			}
			if ss, ok := s.(*stdioServer); ok {
				ss.quiet(t, 100*time.Millisecond)
			}
			s.healthy(t)
			_, got := s.send(t, "["+raw+`,{"jsonrpc":"2.0","id":2,"method":"ping"}]`, header, 1)
			if len(got) != 1 || got[0] != `[{"jsonrpc":"2.0","id":2,"result":{}}]` {
				t.Errorf("%s in a batch: %q", raw, got)
			}
			s.healthy(t)
		}
	})
}

// TestWireUnknownTool: a tools/call naming no tool is refused with -32602 in words, with the
// nearest tool name, alone or in a batch; aliases and hidden tools are no unknown tools.
func TestWireUnknownTool(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	forEachTransport(t, srv, zerolog.Nop(), func(t *testing.T, s wireServer) {
		header := initializeWire(t, s, "2025-03-26")
		for _, tt := range []struct{ name, raw, want string }{
			{"typo", toolCall("7", "device_delet", `{}`), `unknown tool "device_delet" (did you mean device_delete?); tools/list lists the tools`},
			{"letter case", toolCall("7", "Device_List", `{}`), `unknown tool "Device_List" (did you mean device_list?)`},
			{"nothing near", toolCall("7", "frobnicate", `{}`), `unknown tool "frobnicate"; tools/list lists the tools`},
			{"empty name", toolCall("7", "", `{}`), "params.name must name the tool to call"},
			{"no name", `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{}}}`, "params.name must name the tool to call"},
		} {
			_, got := s.send(t, tt.raw, header, 1)
			r := decodeRPC(t, got[0])
			if r.Error == nil || r.Error.Code != -32602 || !strings.Contains(r.Error.Message, tt.want) ||
				strings.Contains(r.Error.Message, "not found") || !strings.Contains(got[0], `"id":7`) {
				t.Errorf("%s: %s, want -32602 with %q", tt.name, got[0], tt.want)
			}
			_, got = s.send(t, "["+tt.raw+`,{"jsonrpc":"2.0","id":2,"method":"ping"}]`, header, 1)
			want, _ := json.Marshal(tt.want)
			if len(got) != 1 || !strings.Contains(got[0], string(want[1:len(want)-1])) || !strings.Contains(got[0], "-32602") || !strings.Contains(got[0], `{"jsonrpc":"2.0","id":2,"result":{}}`) {
				t.Errorf("%s in a batch: %q", tt.name, got)
			}
			s.healthy(t)
		}
		_, got := s.send(t, toolCall("8", "deviceUser.list", `{"device_id":"`+sandbox.DemoScaleID+`"}`), header, 1)
		if r := decodeRPC(t, got[0]); r.Error != nil || r.Result == nil || r.Result.IsError {
			t.Errorf("an alias: %s", got[0])
		}
	})
}
