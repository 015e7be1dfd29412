package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// fakeCloud is a minimal stand-in for the Tuya cloud: it grants tokens and hands every
// business request to answer. It counts business requests, so tests can prove that invalid
// arguments send nothing.
type fakeCloud struct {
	*httptest.Server
	business atomic.Int64
}

func newFakeCloud(t *testing.T, answer http.HandlerFunc) *fakeCloud {
	t.Helper()
	f := &fakeCloud{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1.0/token") {
			fmt.Fprintf(w, `{"success":true,"t":%d,"tid":"00","result":{"access_token":"at","refresh_token":"rt","expire_time":7200,"uid":"u"}}`,
				time.Now().UnixMilli())
			return
		}
		f.business.Add(1)
		answer(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// envelope writes a Tuya failure envelope.
func failEnvelope(code int, msg, tid string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"success":false,"code":%d,"msg":%q,"t":%d,"tid":%q}`, code, msg, time.Now().UnixMilli(), tid)
	}
}

func okEnvelope(result string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"success":true,"result":%s,"t":%d,"tid":"feedc0de"}`, result, time.Now().UnixMilli())
	}
}

func newTestClient(t *testing.T, endpoint string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{
		AccessID: "id", AccessSecret: "secret", Endpoint: endpoint,
		MaxAttempts: 1, RequestTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// connect returns an initialized in-process MCP client of s.
func connect(t *testing.T, s *server.MCPServer) *mcpclient.Client {
	t.Helper()
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "tools-test", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatal(err)
	}
	return c
}

func newServer(t *testing.T, endpoint string, opts Options) *mcpclient.Client {
	t.Helper()
	s, err := NewServer(newTestClient(t, endpoint), opts)
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, s)
}

func callTool(t *testing.T, c *mcpclient.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func listNames(t *testing.T, c *mcpclient.Client) []string {
	t.Helper()
	res, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	slices.Sort(names)
	return names
}

// listWire returns the tools/list reply of s as it goes on the wire.
func listWire(t *testing.T, s *server.MCPServer) []byte {
	t.Helper()
	msg := s.HandleMessage(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	b, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestListTools(t *testing.T) {
	s, err := NewServer(newTestClient(t, "http://127.0.0.1:1"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wire := listWire(t, s)
	var reply struct {
		Result struct {
			Tools []struct {
				Name         string          `json:"name"`
				Title        string          `json:"title"`
				InputSchema  json.RawMessage `json:"inputSchema"`
				OutputSchema json.RawMessage `json:"outputSchema"`
				Annotations  map[string]any  `json:"annotations"`
			} `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(wire, &reply); err != nil {
		t.Fatal(err)
	}
	if n := len(Catalogue()); len(reply.Result.Tools) != n {
		t.Fatalf("listed %d tools, the catalogue has %d: %s", len(reply.Result.Tools), n, wire)
	}
	byName := make(map[string]Info)
	for _, info := range Catalogue() {
		byName[info.Name] = info
	}
	for _, tl := range reply.Result.Tools {
		info, ok := byName[tl.Name]
		if !ok {
			t.Errorf("listed unknown tool %q (aliases must not be listed)", tl.Name)
			continue
		}
		want := map[string]any{"readOnlyHint": info.ReadOnly, "destructiveHint": info.Destructive,
			"idempotentHint": info.Idempotent, "openWorldHint": true}
		for k, v := range want {
			if tl.Annotations[k] != v {
				t.Errorf("%s: annotation %s = %v, want %v", tl.Name, k, tl.Annotations[k], v)
			}
		}
		if tl.Title != info.Title {
			t.Errorf("%s: title %q, want %q", tl.Name, tl.Title, info.Title)
		}
		if !bytes.Equal(tl.InputSchema, info.InputSchema) || !bytes.Equal(tl.OutputSchema, info.OutputSchema) {
			t.Errorf("%s: listed schemas differ from the catalogue", tl.Name)
		}
	}
	// The context budget, what a client puts in front of a model for all tools, is
	// bench.TargetToolsListBytesPerTool a tool, checked by bench's TestToolsListBudget.
	t.Logf("tools/list reply for %d tools: %d bytes", len(reply.Result.Tools), len(wire))
	// And a real client decodes every tool.
	res, err := connect(t, s).ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil || len(res.Tools) != len(reply.Result.Tools) {
		t.Fatalf("client ListTools: %d tools, %v", len(res.Tools), err)
	}
}

func TestInitialize(t *testing.T) {
	s, err := NewServer(newTestClient(t, "http://127.0.0.1:1"), Options{Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	res, err := c.Initialize(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.ServerInfo.Name != ServerName || res.ServerInfo.Version != "1.2.3" {
		t.Errorf("server info = %+v", res.ServerInfo)
	}
	if !strings.Contains(res.Instructions, "device_list") {
		t.Errorf("instructions = %q", res.Instructions)
	}
}

func TestSelection(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want []string
		err  string
	}{
		{name: "toolset", opts: Options{Toolsets: []string{"users"}},
			want: []string{"user_get", "user_list", "user_sync"}},
		{name: "tools with alias and spaces", opts: Options{Tools: []string{" device_get", "deviceUser.list", ""}},
			want: []string{"device_get", "device_user_list"}},
		{name: "toolsets and tools intersect", opts: Options{Toolsets: []string{"device_users"}, Tools: []string{"device_get", "device_user_get"}},
			want: []string{"device_user_get"}},
		{name: "read-only", opts: Options{ReadOnly: true, Toolsets: []string{"device_users", "users"}},
			want: []string{"device_user_get", "device_user_list", "user_get", "user_list"}},
		{name: "read-only hides device_command_send", opts: Options{ReadOnly: true, Toolsets: []string{"device_control"}},
			want: []string{"category_function_list", "device_specification_get", "device_status_get"}},
		{name: "unknown toolset", opts: Options{Toolsets: []string{"users", "scenes"}},
			err: "tools: unknown toolset scenes (valid: users, devices, device_users, device_control)"},
		{name: "unknown tool", opts: Options{Tools: []string{"device.get"}},
			err: "tools: unknown tool device.get (valid: user_sync, user_list"},
		{name: "nothing left", opts: Options{ReadOnly: true, Tools: []string{"device_delete"}},
			err: "leave no tool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewServer(newTestClient(t, "http://127.0.0.1:1"), tt.opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("NewServer error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := listNames(t, connect(t, s)); !slices.Equal(got, tt.want) {
				t.Errorf("listed %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := NewServer(nil, Options{}); err == nil {
		t.Error("NewServer(nil) succeeded")
	}
}

func TestHiddenToolsAreRefused(t *testing.T) {
	f := newFakeCloud(t, okEnvelope(`"1"`))
	c := newServer(t, f.URL, Options{ReadOnly: true})
	for _, name := range []string{"device_user_add", "deviceUser.add", "device_delete", "no_such_tool"} {
		req := mcp.CallToolRequest{}
		req.Params.Name = name
		req.Params.Arguments = map[string]any{"device_id": "d1", "nick_name": "n", "sex": "male"}
		_, err := c.CallTool(context.Background(), req)
		if err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("%s on a read-only server: error %v, want a not-found protocol error", name, err)
		}
	}
	if n := f.business.Load(); n != 0 {
		t.Errorf("%d requests reached the cloud", n)
	}
}

func TestInvalidArgumentsSendNothing(t *testing.T) {
	f := newFakeCloud(t, okEnvelope(`{}`))
	c := newServer(t, f.URL, Options{DefaultSchema: "demoapp"})
	tests := []struct {
		tool string
		args map[string]any
		want string
	}{
		{"device_list", map[string]any{"page_size": float64(500)},
			"invalid arguments for device_list: page_size: must be between 1 and 100 (got 500)"},
		{"device_get", map[string]any{"device_id": "../users"},
			`invalid arguments for device_get: device_id: must be 1 to 64 letters, digits, '_', '-' or '.' (got "../users")`},
		{"deviceUser.add", map[string]any{"device_id": "d1"},
			"invalid arguments for device_user_add: nick_name: required; sex: required"},
		{"user_list", map[string]any{"end_time": "2024-05-01", "start_time": "2024-05-02", "page-no": float64(1)},
			`invalid arguments for user_list: unknown argument "page-no" (did you mean page_no?)`},
	}
	for _, tt := range tests {
		res := callTool(t, c, tt.tool, tt.args)
		if !res.IsError || ResultText(res) != tt.want {
			t.Errorf("%s(%v) = %v %q, want isError %q", tt.tool, tt.args, res.IsError, ResultText(res), tt.want)
		}
		if res.StructuredContent != nil {
			t.Errorf("%s: error result has structured content", tt.tool)
		}
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "device_get"
	req.Params.Arguments = []any{"d1"}
	res, err := c.CallTool(context.Background(), req)
	if err != nil || !res.IsError || !strings.Contains(ResultText(res), "arguments must be a JSON object") {
		t.Errorf("array arguments: %v %v", res, err)
	}
	if n := f.business.Load(); n != 0 {
		t.Errorf("%d requests reached the cloud", n)
	}
}

func TestNoDefaultSchema(t *testing.T) {
	f := newFakeCloud(t, okEnvelope(`{"list":[],"has_more":false,"total":0}`))
	c := newServer(t, f.URL, Options{})
	res := callTool(t, c, "user_list", nil)
	if want := "invalid arguments for user_list: schema: required: give the app schema, or start the server with a default one (TUYA_APP_SCHEMA or --schema)"; ResultText(res) != want {
		t.Errorf("user_list without schema = %q, want %q", ResultText(res), want)
	}
	res = callTool(t, c, "user_list", map[string]any{"schema": "otherapp"})
	if res.IsError {
		t.Errorf("user_list with schema: %s", ResultText(res))
	}
}

func TestFailureTexts(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
		tool   string
		args   map[string]any
		want   string
	}{
		{"device not exist", failEnvelope(2010, "device not exist", "3f2a"), "device_get", map[string]any{"device_id": "nope"},
			"Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}: check device_id; device_list finds devices. (tid 3f2a)"},
		{"device user not exist", failEnvelope(2006, "user not exist", "77"), "deviceUser.info", map[string]any{"device_id": "d", "user_id": "9"},
			"Tuya error 2006 (user not exist) on GET /v1.0/devices/{device_id}/users/{user_id}: check user_id; device_user_list lists the device's users. (tid 77)"},
		{"client hint", failEnvelope(28841101, "No permissions. This API is not subscribed.", "ab"), "device_get", map[string]any{"device_id": "d"},
			"Tuya error 28841101 (No permissions. This API is not subscribed.) on GET /v1.0/devices/{device_id}: the project is not subscribed to this API's cloud service: subscribe to IoT Core on the Tuya IoT platform (Cloud > Cloud Services). (tid ab)"},
		{"no hint", failEnvelope(9999, "odd", ""), "device_get", map[string]any{"device_id": "d"},
			"Tuya error 9999 (odd) on GET /v1.0/devices/{device_id}: see the message; Tuya's error-code page lists the code."},
		{"outlet unsupported", failEnvelope(2009, "not support this device", "t"), "device_outlet_name_list", map[string]any{"device_id": "d"},
			"Tuya error 2009 (not support this device) on GET /v1.0/devices/{device_id}/multiple-names: this device has no named outlets; only multi-outlet devices (power strips) do. (tid t)"},
		{"outcome unknown", func(w http.ResponseWriter, r *http.Request) {
			// The connection drops after the request arrived: it may have been carried out.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, "deviceUser.add", map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "female"},
			"device_user_add: the outcome is unknown: the request may have reached Tuya but no answer came back, so it was not retried. " +
				"Before trying again, call device_user_list for this device_id to see whether the user was added."},
		{"write answered 500", failEnvelope(500, "system error, please contact the admin", "t5"), "deviceUser.add",
			map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "female"},
			"Tuya error 500 (system error, please contact the admin) on POST /v1.0/devices/{device_id}/user: the cloud failed temporarily: retry later. " +
				"(tid t5) The operation may or may not have been carried out"},
		{"write answered 500 through HTTP 502", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte(`{"success":false,"code":500,"msg":"system error, please contact the admin"}`))
		}, "deviceUser.add", map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "female"},
			"Tuya error 500 (system error, please contact the admin) on POST /v1.0/devices/{device_id}/user (HTTP 502)"},
		{"write refused in strings", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"success":"false","code":"2010","msg":"device not exist","tid":12345}`))
		}, "deviceUser.add", map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "female"},
			"Tuya error 2010 (device not exist) on POST /v1.0/devices/{device_id}/user"},
		{"refused without a code", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"success":false,"msg":"nope"}`))
		}, "device_get", map[string]any{"device_id": "d"}, "the cloud refused without an error code on GET /v1.0/devices/{device_id}: nope."},
		{"busy through HTTP 503", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"success":false,"code":1111,"msg":"system is busy, please retry later"}`))
		}, "device_get", map[string]any{"device_id": "d"}, "Tuya error 1111 (system is busy, please retry later) on GET /v1.0/devices/{device_id} (HTTP 503)"},
		{"rate limited by HTTP 429", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, "device_get", map[string]any{"device_id": "d"}, "device_get was refused for a rate limit (GET /v1.0/devices/{device_id}: HTTP 429): " +
			"the endpoint refused for a rate limit (HTTP 429) and asked to wait 60 minutes"},
		{"bad answer", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) },
			"device_get", map[string]any{"device_id": "d"}, "device_get failed: the endpoint did not answer like the Tuya cloud (GET /v1.0/devices/{device_id}: HTTP 502"},
		{"dropped connection", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, "device_get", map[string]any{"device_id": "d"}, "device_get could not get an answer from the Tuya cloud: the call (GET /v1.0/devices/{device_id}) got no answer (the connection was closed without an answer)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, tt.answer)
			c := newServer(t, f.URL, Options{})
			res := callTool(t, c, tt.tool, tt.args)
			if !res.IsError || !strings.Contains(ResultText(res), tt.want) {
				t.Errorf("%s = %v %q, want isError containing %q", tt.tool, res.IsError, ResultText(res), tt.want)
			}
		})
	}
}

func TestNetworkFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newServer(t, "http://"+addr, Options{})
	res := callTool(t, c, "device_get", map[string]any{"device_id": "d"})
	if !res.IsError || !strings.Contains(ResultText(res), "device_get could not get an answer from the Tuya cloud: the request for an access token (GET /v1.0/token) got no answer (connection refused by "+addr+")") {
		t.Errorf("device_get against a closed port = %q", ResultText(res))
	}
}

func TestCallTimeout(t *testing.T) {
	tests := []struct {
		tool string
		args map[string]any
		want string
	}{
		{"device_get", map[string]any{"device_id": "d"}, "device_get timed out after 200ms"},
		// A write that may have reached Tuya is not merely late: its outcome is unknown, and the
		// model learns the limit too.
		{"device_user_add", map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "female"},
			"device_user_add: the outcome is unknown (no answer within 200ms): the request may have reached Tuya"},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
				// The server notices a client that hangs up only once the body is read: a
				// handler waiting on an unread POST would never end, nor would f.Close.
				io.Copy(io.Discard, r.Body)
				<-r.Context().Done()
			})
			c := newServer(t, f.URL, Options{CallTimeout: 200 * time.Millisecond})
			start := time.Now()
			res := callTool(t, c, tt.tool, tt.args)
			if !res.IsError || !strings.Contains(ResultText(res), tt.want) {
				t.Errorf("slow %s = %q, want %q", tt.tool, ResultText(res), tt.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the call took %v despite a 200ms limit", d)
			}
		})
	}
}

func TestLocalKeyAndLogLine(t *testing.T) {
	const dev = `{"id":"d1","name":"Lamp","uid":"u","local_key":"k3y","category":"dj","product_id":"p","sub":false,
		"uuid":"x","owner_id":"h","online":true,"status":[{"code":"switch_led","value":true}],"active_time":1}`
	for _, expose := range []bool{false, true} {
		f := newFakeCloud(t, okEnvelope(dev))
		var logs bytes.Buffer
		c := newServer(t, f.URL, Options{ExposeLocalKeys: expose, Logger: zerolog.New(&logs).Level(zerolog.InfoLevel)})
		res := callTool(t, c, "device_get", map[string]any{"device_id": "d1"})
		if res.IsError {
			t.Fatal(ResultText(res))
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(ResultText(res)), &got); err != nil {
			t.Fatal(err)
		}
		if _, has := got["local_key"]; has != expose {
			t.Errorf("expose %v: result has local_key: %v", expose, has)
		}
		if strings.Contains(logs.String(), "k3y") {
			t.Errorf("the local key reached the log: %s", logs.String())
		}
		var line map[string]any
		if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
			t.Fatalf("log %q: %v", logs.String(), err)
		}
		for k, v := range map[string]any{"tool": "device_get", "outcome": "ok", "code": float64(0), "tid": "feedc0de", "attempts": float64(1), "level": "info"} {
			if line[k] != v {
				t.Errorf("log line %s = %v, want %v (%s)", k, line[k], v, logs.String())
			}
		}
		if _, ok := line["duration_ms"]; !ok {
			t.Errorf("log line has no duration: %s", logs.String())
		}
	}
}

func TestPasswordNeverLogged(t *testing.T) {
	var body atomic.Value
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		body.Store(b.String())
		failEnvelope(1106, "permission deny", "t1")(w, r)
	})
	var logs bytes.Buffer
	c := newServer(t, f.URL, Options{DefaultSchema: "demoapp", Logger: zerolog.New(&logs).Level(zerolog.InfoLevel)})
	res := callTool(t, c, "user_sync", map[string]any{"country_code": "86", "username": "ann", "password": "123456"})
	if !res.IsError || !strings.Contains(ResultText(res), "check schema") {
		t.Errorf("user_sync = %q", ResultText(res))
	}
	if sent, _ := body.Load().(string); !strings.Contains(sent, `"password":"e10adc3949ba59abbe56e057f20f883e"`) {
		t.Errorf("sent body %s does not carry the MD5 of the password", sent)
	}
	if strings.Contains(logs.String(), "123456") || strings.Contains(logs.String(), "e10adc") || strings.Contains(ResultText(res), "123456") {
		t.Errorf("the password leaked: log %s result %s", logs.String(), ResultText(res))
	}
	if !strings.Contains(logs.String(), `"outcome":"tuya_error","code":1106,"tid":"t1"`) {
		t.Errorf("log line = %s", logs.String())
	}
}

// TestWireConversions checks what reaches the cloud: defaults a model may leave out, and times
// converted to each operation's unit.
func TestWireConversions(t *testing.T) {
	now := time.Date(2024, 5, 31, 12, 0, 0, 250e6, time.UTC)
	tests := []struct {
		tool  string
		args  map[string]any
		query string // the exact encoded query
		body  string // a substring of the body, when set
	}{
		{"user_list", nil,
			fmt.Sprintf("end_time=%d&page_no=1&page_size=20&start_time=%d", now.Unix(), now.Unix()-30*86400), ""},
		// 30.5 days before now: the end is 30 days after the start, not now.
		{"user_list", map[string]any{"schema": "other", "start_time": "2024-05-01", "page_no": "3"},
			"end_time=1717113600&page_no=3&page_size=20&start_time=1714521600", ""},
		{"user_list", map[string]any{"start_time": "2024-05-10"},
			fmt.Sprintf("end_time=%d&page_no=1&page_size=20&start_time=1715299200", now.Unix()), ""},
		{"user_list", map[string]any{"start_time": "2024-04-01T00:00:00Z"},
			"end_time=1714521600&page_no=1&page_size=20&start_time=1711929600", ""},
		{"device_list", nil, "page_no=1&page_size=20&schema=demoapp", ""},
		{"device_list", map[string]any{"product_id": "p1", "end_time": float64(1714521600000)},
			"end_time=1714521600&page_no=1&page_size=20&product_id=p1&start_time=1711929600", ""},
		{"device_list", map[string]any{"device_ids": []any{"a", "b"}, "last_id": "x9", "page_size": float64(5)},
			"device_ids=a%2Cb&last_id=x9&page_no=1&page_size=5", ""},
		{"user_device_list", map[string]any{"uid": "u1"}, "page_no=1&page_size=20", ""},
		{"device_log_list", map[string]any{"device_id": "d1"},
			fmt.Sprintf("end_time=%d&size=20&start_time=%d&type=1%%2C2%%2C3%%2C4%%2C5%%2C6%%2C7%%2C8%%2C9%%2C10", now.UnixMilli(), now.UnixMilli()-7*86400000), ""},
		{"device_log_list", map[string]any{"device_id": "d1", "type": "dp_report,online", "start_time": "1714521600", "end_time": "2024-05-02T00:00:00Z",
			"codes": []any{"switch_1"}, "query_type": "paid", "last_row_key": "r_1", "last_event_time": float64(1714521600123), "size": "7"},
			"codes=switch_1&end_time=1714608000000&last_event_time=1714521600123&last_row_key=r_1&query_type=2&size=7&start_time=1714521600000&type=7%2C1", ""},
		{"device_user_add", map[string]any{"device_id": "d1", "nick_name": "Ann", "sex": "female", "birthday": "1990-04-01", "height": float64(170)},
			"", `{"nick_name":"Ann","sex":2,"birthday":638928000000,"height":170}`},
		{"device_user_edit", map[string]any{"device_id": "d1", "user_id": float64(5121231), "nick_name": "Bo", "sex": "1"},
			"", `{"nick_name":"Bo","sex":1}`},
		{"user_sync", map[string]any{"country_code": "+1", "username": "Ann", "password": "pw"},
			"", `{"country_code":"1","username":"Ann","password":"` + "8fe4c11451281c094a6578e6ddbf5eed" + `","username_type":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			type seen struct{ query, body, path string }
			got := make(chan seen, 1)
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
				var b bytes.Buffer
				b.ReadFrom(r.Body)
				got <- seen{r.URL.RawQuery, b.String(), r.URL.Path}
				failEnvelope(500, "system error", "")(w, r)
			})
			c := newServer(t, f.URL, Options{DefaultSchema: "demoapp", Now: func() time.Time { return now }})
			callTool(t, c, tt.tool, tt.args)
			s := <-got
			if tt.query != "" && s.query != tt.query {
				t.Errorf("%s query = %s, want %s", tt.tool, s.query, tt.query)
			}
			if tt.body != "" && s.body != tt.body {
				t.Errorf("%s body = %s, want %s", tt.tool, s.body, tt.body)
			}
		})
	}
}

// TestConfirmQuestionQuotesNames: names come from the cloud, and a bidi override or a newline
// must not disguise the question a person reads.
func TestConfirmQuestionQuotesNames(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/users/") {
			okEnvelope(`{"device_id":"d1","user_id":"7","nick_name":"Ann\u202egnp.exe","sex":2}`)(w, r)
			return
		}
		okEnvelope(`{"id":"d1","name":"Lamp\nDelete nothing","online":true}`)(w, r)
	})
	e := &env{c: newTestClient(t, f.URL)}
	ctx := context.Background()
	dev := (&deviceDeleteArgs{deviceRef{DeviceID: "d1"}}).question(ctx, e)
	if want := `Delete device "Lamp\nDelete nothing" (id d1)?`; !strings.HasPrefix(dev, want) {
		t.Errorf("question = %q, want prefix %q", dev, want)
	}
	usr := (&deviceUserDeleteArgs{deviceUserRef{DeviceID: "d1", UserID: "7"}}).question(ctx, e)
	if want := `Remove user "Ann\u202egnp.exe" (user_id 7) from device d1?`; !strings.HasPrefix(usr, want) {
		t.Errorf("question = %q, want prefix %q", usr, want)
	}
}

// TestDestructiveToolsSayWhatTheyDo: a destructive tool whose arguments cannot phrase the
// confirmation question stops the catalogue from building.
func TestDestructiveToolsSayWhatTheyDo(t *testing.T) {
	bad := newTool(tool{name: "device_wipe", destructive: true}, func(context.Context, *env, *deviceGetArgs) (okResult, error) {
		return okResult{}, nil
	})
	if bad.err == nil || !strings.Contains(bad.err.Error(), "device_wipe is destructive") {
		t.Errorf("err = %v", bad.err)
	}
	for _, tl := range catalogue() {
		if tl.err != nil {
			t.Errorf("%s: %v", tl.name, tl.err)
		}
	}
}

// TestTokenTimeout checks that a call whose time ran out waiting for an access token says so,
// without advice about paging that the token request has nothing to do with.
func TestTokenTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(srv.Close)
	for tool, args := range map[string]map[string]any{"device_get": {"device_id": "d"}, "device_list": {"schema": "app"}} {
		c := newServer(t, srv.URL, Options{CallTimeout: 200 * time.Millisecond})
		text := ResultText(callTool(t, c, tool, args))
		want := tool + " timed out after 200ms waiting for the Tuya cloud to answer the request for an access token"
		if !strings.Contains(text, want) || strings.Contains(text, "ask for less") {
			t.Errorf("%s = %q, want %q and no paging advice", tool, text, want)
		}
	}
}
