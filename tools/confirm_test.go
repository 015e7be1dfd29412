package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// elicitor stands in for a person behind an MCP client: it records the questions and answers
// each with answer.
type elicitor struct {
	answer func() (*mcp.ElicitationResult, error)

	mu    sync.Mutex
	asked []mcp.ElicitationParams
}

func (el *elicitor) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	el.mu.Lock()
	el.asked = append(el.asked, req.Params)
	el.mu.Unlock()
	return el.answer()
}

func (el *elicitor) questions() []mcp.ElicitationParams {
	el.mu.Lock()
	defer el.mu.Unlock()
	return slices.Clone(el.asked)
}

func answering(action mcp.ElicitationResponseAction, content any) *elicitor {
	return &elicitor{answer: func() (*mcp.ElicitationResult, error) {
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: action, Content: content}}, nil
	}}
}

// Protocol versions: the last one with initialize (server-initiated elicitation requests) and
// the first with multi round-trip requests.
const (
	legacyVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	modernVersion = mcp.LATEST_PROTOCOL_VERSION
)

// A transport connects an MCP client to s, speaking version, with el as the person behind it
// (nil: a client without elicitation support).
type connector struct {
	name    string
	version string
	connect func(t *testing.T, s *server.MCPServer, el *elicitor) *mcpclient.Client
}

func clientOptions(el *elicitor) []mcpclient.ClientOption {
	if el == nil {
		return nil
	}
	return []mcpclient.ClientOption{mcpclient.WithElicitationHandler(el)}
}

func inProcess(t *testing.T, s *server.MCPServer, el *elicitor) *mcpclient.Client {
	t.Helper()
	c, err := mcpclient.NewInProcessClientWithOptions(s, clientOptions(el)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// overStdio serves s with the stdio transport over pipes, as an editor runs the server.
func overStdio(t *testing.T, s *server.MCPServer, el *elicitor) *mcpclient.Client {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	stdio := server.NewStdioServer(s)
	stdio.SetErrorLogger(log.New(io.Discard, "", 0))
	go func() {
		defer close(done)
		stdio.Listen(ctx, inR, outW)
		outW.Close()
	}()
	t.Cleanup(func() {
		inW.Close()
		// A closed client stops reading; closing the server's end of the pipe fails its pending
		// and later writes instead of blocking them (Listen waits for its handlers), and ends a
		// client read still under way as the end of the stream would.
		outW.Close()
		cancel()
		select {
		case <-done:
		case <-time.After(stdioStopLimit):
			t.Errorf("the stdio server did not stop within %s of its client", stdioStopLimit)
		}
	})
	return mcpclient.NewClient(transport.NewIO(outR, inW, nil), clientOptions(el)...)
}

// stdioStopLimit bounds the wait for a stdio server to stop once its client closed: a server
// stuck writing to a client that no longer reads would otherwise hang the whole run.
const stdioStopLimit = 10 * time.Second

// TestStdioServerStopsWithAnswersPending abandons calls that are still running when the test
// ends: their answers come after the client closed, and the server must still stop.
func TestStdioServerStopsWithAnswersPending(t *testing.T) {
	srv, s := confirmSandbox(t, false)
	c := overStdio(t, s, nil)
	start(t, c, legacyVersion)
	srv.SetFaults(sandbox.Faults{Latency: slowCloud})
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), giveUpAfter)
			defer cancel()
			if _, err := c.CallTool(ctx, tooltest.CallRequest("device_get", map[string]any{"device_id": sandbox.DemoStripID})); err == nil {
				t.Error("a call to a cloud slower than the caller's deadline succeeded")
			}
		})
	}
	wg.Wait()
}

// overHTTP serves s over stateless Streamable HTTP, as `tuya-mcp http` does.
func overHTTP(t *testing.T, s *server.MCPServer, el *elicitor) *mcpclient.Client {
	t.Helper()
	hs := httptest.NewServer(server.NewStreamableHTTPServer(s, server.WithStateLess(true)))
	t.Cleanup(hs.Close)
	tr, err := transport.NewStreamableHTTP(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	return mcpclient.NewClient(tr, clientOptions(el)...)
}

func start(t *testing.T, c *mcpclient.Client, version string) {
	t.Helper()
	t.Cleanup(func() { c.Close() })
	tooltest.Initialize(t, c, version)
}

// Transports that can carry a confirmation.
var asking = []connector{
	{"in-process legacy", legacyVersion, inProcess},
	{"in-process modern", modernVersion, inProcess},
	{"stdio legacy", legacyVersion, overStdio},
	{"stdio modern", modernVersion, overStdio},
	{"stateless HTTP modern", modernVersion, overHTTP},
}

// confirmStack starts a stack of all tools, asking for confirmation when confirm is set.
func confirmStack(t *testing.T, confirm bool) *tooltest.Stack {
	t.Helper()
	return tooltest.NewStack(t, tooltest.StackOptions{Tools: tools.Options{Version: "test", ConfirmDestructive: confirm}})
}

// confirmSandbox starts a confirmStack and returns its sandbox and MCP server.
func confirmSandbox(t *testing.T, confirm bool) (*sandbox.Server, *server.MCPServer) {
	t.Helper()
	st := confirmStack(t, confirm)
	return st.Sandbox, st.Server
}

const deleteRoute = "DELETE /v1.0/devices/{device_id}"

func TestConfirmDeviceDelete(t *testing.T) {
	answers := []struct {
		name    string
		el      func() *elicitor
		legacy  bool // the answer can only be given over a server-initiated request
		deleted bool
		text    string
	}{
		{name: "accept", el: func() *elicitor {
			return answering(mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true})
		},
			deleted: true},
		{name: "accept unchecked", el: func() *elicitor {
			return answering(mcp.ElicitationResponseActionAccept, map[string]any{"confirm": false})
		}, text: "device_delete was not run: the user declined."},
		{name: "accept without content", el: func() *elicitor { return answering(mcp.ElicitationResponseActionAccept, nil) },
			text: "device_delete was not run: the user declined."},
		{name: "accept with a string", el: func() *elicitor {
			return answering(mcp.ElicitationResponseActionAccept, map[string]any{"confirm": "true"})
		}, text: "device_delete was not run: the user declined."},
		{name: "decline", el: func() *elicitor { return answering(mcp.ElicitationResponseActionDecline, nil) },
			text: "device_delete was not run: the user declined."},
		{name: "cancel", el: func() *elicitor { return answering(mcp.ElicitationResponseActionCancel, nil) },
			text: "device_delete was not run: the user declined."},
		{name: "client error", legacy: true, el: func() *elicitor {
			return &elicitor{answer: func() (*mcp.ElicitationResult, error) { return nil, errors.New("window closed") }}
		}, text: "device_delete was not run: asking the user for confirmation failed ("},
	}
	for _, tr := range asking {
		for _, a := range answers {
			if a.legacy && tr.version != legacyVersion {
				continue
			}
			t.Run(tr.name+"/"+a.name, func(t *testing.T) {
				srv, s := confirmSandbox(t, true)
				el := a.el()
				c := tr.connect(t, s, el)
				start(t, c, tr.version)
				res := tooltest.Call(t, c, "device_delete", map[string]any{"device_id": sandbox.DemoStripID})

				qs := el.questions()
				if len(qs) != 1 {
					t.Fatalf("asked %d times, want once: %v %q", len(qs), res.IsError, tools.ResultText(res))
				}
				want := `Delete device "Office Power Strip" (id ` + sandbox.DemoStripID + `)? It is removed from its owner's ` +
					`account, and a gateway takes its sub-devices along. This cannot be undone.`
				if qs[0].Message != want {
					t.Errorf("question = %q\nwant       %q", qs[0].Message, want)
				}
				checkConfirmSchema(t, qs[0].RequestedSchema)

				_, exists := srv.Device(sandbox.DemoStripID)
				deletes := srv.Stats().ByRoute[deleteRoute]
				if a.deleted {
					if res.IsError || exists || deletes != 1 {
						t.Fatalf("isError %v %q, device still there %v, %d deletes", res.IsError, tools.ResultText(res), exists, deletes)
					}
					return
				}
				if !res.IsError || !strings.HasPrefix(tools.ResultText(res), a.text) {
					t.Errorf("result = %v %q, want isError %q", res.IsError, tools.ResultText(res), a.text)
				}
				if !exists || deletes != 0 {
					t.Errorf("device deleted: exists %v, %d deletes", exists, deletes)
				}
			})
		}
	}
}

// checkConfirmSchema checks the form: an object with one required boolean, confirm.
func checkConfirmSchema(t *testing.T, schema any) {
	t.Helper()
	b, err := json.Marshal(schema)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Type       string                     `json:"type"`
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	var confirm struct {
		Type    string `json:"type"`
		Default *bool  `json:"default"`
	}
	if err := json.Unmarshal(got.Properties["confirm"], &confirm); err != nil {
		t.Fatalf("schema %s: %v", b, err)
	}
	if got.Type != "object" || len(got.Properties) != 1 || confirm.Type != "boolean" || confirm.Default == nil ||
		*confirm.Default || !slices.Equal(got.Required, []string{"confirm"}) {
		t.Errorf("requested schema = %s", b)
	}
}

// TestConfirmEveryDestructiveTool runs each destructive tool with the user agreeing: the
// question names what will happen, and the change reaches the sandbox.
func TestConfirmEveryDestructiveTool(t *testing.T) {
	tests := []struct {
		tool     string
		args     map[string]any
		question string
		check    func(t *testing.T, srv *sandbox.Server)
	}{
		{tool: "device_factory_reset", args: map[string]any{"device_id": sandbox.DemoScaleID},
			question: `Factory reset device "Bathroom Scale" (id ` + sandbox.DemoScaleID + `)? Its names, settings and device ` +
				`users are lost. This cannot be undone.`,
			check: func(t *testing.T, srv *sandbox.Server) {
				if us := srv.DeviceUsers(sandbox.DemoScaleID); len(us) != 0 {
					t.Errorf("device users after the reset: %v", us)
				}
			}},
		{tool: "device_user_delete", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID},
			question: `Remove user "Alice" (user_id ` + sandbox.DemoScaleUserID + `) from device ` + sandbox.DemoScaleID +
				`? This cannot be undone.`,
			check: func(t *testing.T, srv *sandbox.Server) {
				for _, u := range srv.DeviceUsers(sandbox.DemoScaleID) {
					if u.UserID == sandbox.DemoScaleUserID {
						t.Errorf("device user %s is still there", u.UserID)
					}
				}
			}},
		{tool: "deviceUser.delete", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "999"},
			question: `Remove user 999 from device ` + sandbox.DemoScaleID + `? This cannot be undone.`},
		{tool: "device_delete", args: map[string]any{"device_id": "nosuchdevice"},
			question: `Delete device nosuchdevice? It is removed from its owner's account, and a gateway takes its ` +
				`sub-devices along. This cannot be undone.`},
		{tool: "user_sync", args: map[string]any{"country_code": "39", "username": "giulia.romano@example.com",
			"username_type": "email", "password": "n3w-secret"},
			question: `Create or update the user "giulia.romano@example.com" (username type email) of app demoapp? If ` +
				`the app has a user with this username, its password is overwritten. This cannot be undone.`,
			check: func(t *testing.T, srv *sandbox.Server) {
				if n := srv.Stats().ByRoute["POST /v1.0/apps/{schema}/user"]; n != 1 {
					t.Errorf("%d user syncs reached the sandbox", n)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			srv, s := confirmSandbox(t, true)
			el := answering(mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true})
			c := inProcess(t, s, el)
			start(t, c, legacyVersion)
			res := tooltest.Call(t, c, tt.tool, tt.args)
			if qs := el.questions(); len(qs) != 1 || qs[0].Message != tt.question {
				t.Errorf("questions = %+v\nwant %q", qs, tt.question)
			}
			if tt.check == nil {
				// Unknown targets: the question names the id only, and the call reports Tuya's error.
				if !res.IsError || !strings.Contains(tools.ResultText(res), "Tuya error") {
					t.Errorf("result = %v %q", res.IsError, tools.ResultText(res))
				}
				return
			}
			if res.IsError {
				t.Fatalf("isError: %s", tools.ResultText(res))
			}
			tt.check(t, srv)
		})
	}
}

// TestConfirmRefusedWithoutElicitation: a client that cannot ask its user gets a refusal that
// says how to proceed, and nothing reaches the sandbox, not even a token request.
func TestConfirmRefusedWithoutElicitation(t *testing.T) {
	clients := []struct {
		connector
		el *elicitor
	}{
		{connector{"in-process legacy", legacyVersion, inProcess}, nil},
		{connector{"in-process modern", modernVersion, inProcess}, nil},
		{connector{"stdio legacy", legacyVersion, overStdio}, nil},
		{connector{"stateless HTTP modern", modernVersion, overHTTP}, nil},
		// A stateless HTTP server forgets the capabilities of initialize and could not route
		// the client's answer anyway.
		{connector{"stateless HTTP legacy with a handler", legacyVersion, overHTTP},
			answering(mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true})},
	}
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"device_delete", map[string]any{"device_id": sandbox.DemoStripID}},
		{"device_factory_reset", map[string]any{"device_id": sandbox.DemoStripID}},
		{"deviceUser.delete", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID}},
		{"user_sync", map[string]any{"country_code": "86", "username": "13800138000", "password": "pw"}},
	}
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			srv, s := confirmSandbox(t, true)
			c := cl.connect(t, s, cl.el)
			start(t, c, cl.version)
			for _, k := range calls {
				res := tooltest.Call(t, c, k.tool, k.args)
				canonical := strings.Replace(k.tool, "deviceUser.delete", "device_user_delete", 1)
				want := canonical + " was not run: this server asks the user to confirm destructive tools " +
					"(--confirm-destructive), and this client cannot ask"
				if !res.IsError || !strings.HasPrefix(tools.ResultText(res), want) ||
					!strings.Contains(tools.ResultText(res), "Use a client that supports elicitation, or run the server without --confirm-destructive.") {
					t.Errorf("%s: %v %q", k.tool, res.IsError, tools.ResultText(res))
				}
			}
			if st := srv.Stats(); st.Requests != 0 {
				t.Errorf("%d requests reached the sandbox: %v", st.Requests, st.ByRoute)
			}
			if cl.el != nil && len(cl.el.questions()) != 0 {
				t.Errorf("asked %v", cl.el.questions())
			}
		})
	}
}

// TestConfirmOnlyDestructiveCalls: other tools run unasked, invalid arguments are reported
// before anyone is asked, and without the option nobody is asked.
func TestConfirmOnlyDestructiveCalls(t *testing.T) {
	tests := []struct {
		name    string
		confirm bool
		tool    string
		args    any
		isError bool
	}{
		{"write that is not destructive", true, "device_rename", map[string]any{"device_id": sandbox.DemoStripID, "name": "Desk"}, false},
		{"read", true, "device_get", map[string]any{"device_id": sandbox.DemoStripID}, false},
		{"invalid arguments", true, "device_delete", map[string]any{"device_id": "../x"}, true},
		{"arguments not an object", true, "device_delete", []any{"x"}, true},
		{"option off", false, "device_delete", map[string]any{"device_id": sandbox.DemoStripID}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, s := confirmSandbox(t, tt.confirm)
			el := answering(mcp.ElicitationResponseActionDecline, nil)
			c := inProcess(t, s, el)
			start(t, c, legacyVersion)
			if res := tooltest.Call(t, c, tt.tool, tt.args); res.IsError != tt.isError {
				t.Errorf("isError %v: %s", res.IsError, tools.ResultText(res))
			}
			if qs := el.questions(); len(qs) != 0 {
				t.Errorf("asked %+v", qs)
			}
		})
	}
}

// TestConfirmAnswerBoundToCall posts multi round-trip retries by hand: an answer is only
// honoured for the call it was asked for.
func TestConfirmAnswerBoundToCall(t *testing.T) {
	st := confirmStack(t, true)
	srv, hs := st.Sandbox, st.HTTP
	post := func(t *testing.T, params map[string]any) map[string]any {
		t.Helper()
		params["_meta"] = map[string]any{
			mcp.MetaKeyProtocolVersion:    modernVersion,
			mcp.MetaKeyClientCapabilities: map[string]any{"elicitation": map[string]any{}},
		}
		body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params})
		if err != nil {
			t.Fatal(err)
		}
		status, out := postRPC(t, hs.URL, body, modernHeaders(params["name"].(string)))
		res, _ := out["result"].(map[string]any)
		if res == nil {
			t.Fatalf("status %d, answer %v", status, out)
		}
		return res
	}
	accept := map[string]any{"confirm": map[string]any{"action": "accept", "content": map[string]any{"confirm": true}}}
	first := post(t, map[string]any{"name": "device_delete", "arguments": map[string]any{"device_id": sandbox.DemoStripID}})
	state, _ := first["requestState"].(string)
	if first["resultType"] != "input_required" || state == "" {
		t.Fatalf("first answer = %v", first)
	}
	if _, ok := first["inputRequests"].(map[string]any)["confirm"]; !ok {
		t.Fatalf("no confirm input request: %v", first)
	}
	tests := []struct {
		name   string
		params map[string]any
		text   string
	}{
		{"answer for another device", map[string]any{"name": "device_delete", "arguments": map[string]any{"device_id": sandbox.DemoScaleID},
			"inputResponses": accept, "requestState": state},
			"device_delete was not run: the confirmation sent was asked for another call; call it again to be asked anew."},
		{"answer without state", map[string]any{"name": "device_delete", "arguments": map[string]any{"device_id": sandbox.DemoStripID},
			"inputResponses": accept},
			"device_delete was not run: the confirmation sent was asked for another call; call it again to be asked anew."},
		{"answer for another tool", map[string]any{"name": "device_factory_reset", "arguments": map[string]any{"device_id": sandbox.DemoStripID},
			"inputResponses": accept, "requestState": state},
			"device_factory_reset was not run: the confirmation sent was asked for another call; call it again to be asked anew."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, tt.params)
			if res["isError"] != true || fmt.Sprint(res["content"]) != fmt.Sprint([]any{map[string]any{"type": "text", "text": tt.text}}) {
				t.Errorf("result = %v", res)
			}
		})
	}
	if n := srv.Stats().ByRoute[deleteRoute] + srv.Stats().ByRoute["PUT /v1.0/devices/{device_id}/reset-factory"]; n != 0 {
		t.Fatalf("%d destructive requests reached the sandbox", n)
	}
	res := post(t, map[string]any{"name": "device_delete", "arguments": map[string]any{"device_id": sandbox.DemoStripID},
		"inputResponses": accept, "requestState": state})
	if res["isError"] == true {
		t.Fatalf("the matching answer was refused: %v", res)
	}
	if _, ok := srv.Device(sandbox.DemoStripID); ok {
		t.Error("the device is still there")
	}
}

func TestConfirmInitialize(t *testing.T) {
	for _, confirm := range []bool{false, true} {
		_, s := confirmSandbox(t, confirm)
		c := inProcess(t, s, nil)
		t.Cleanup(func() { c.Close() })
		req := mcp.InitializeRequest{}
		req.Params.ProtocolVersion = legacyVersion
		res, err := c.Initialize(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(res.Instructions, "asks the user to confirm every destructive call"); got != confirm {
			t.Errorf("confirm %v: instructions %q", confirm, res.Instructions)
		}
	}
}
