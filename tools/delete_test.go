package tools_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// spoiler decides what becomes of one DELETE reaching the cloud: it may run it on the sandbox
// (run) and then answer in its place, or answer without running it. It returns false to let the
// sandbox answer.
type spoiler func(w http.ResponseWriter, r *http.Request, run func()) bool

// ranThenDropped runs the delete and closes the connection without an answer.
func ranThenDropped(w http.ResponseWriter, _ *http.Request, run func()) bool {
	run()
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
	return true
}

// ranThen500 runs the delete and answers with a system error, as the cloud may after a write.
func ranThen500(w http.ResponseWriter, _ *http.Request, run func()) bool {
	run()
	envelope(w, `"success":false,"code":500,"msg":"system error"`)
	return true
}

// rateLimited refuses the delete before it runs.
func rateLimited(w http.ResponseWriter, _ *http.Request, _ func()) bool {
	envelope(w, `"success":false,"code":1110,"msg":"concurrent request over limit"`)
	return true
}

func envelope(w http.ResponseWriter, fields string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{%s,"t":%d,"tid":"5b0f1e2d3c4b5a69788796a5b4c3d2e1"}`, fields, time.Now().UnixMilli())
}

// TestRetriedDelete: a delete whose first answer was lost (after it ran) is retried and told
// that its target does not exist; the tool reports the delete as done, with a note. A target
// that never existed stays an error, even after a retry of an attempt refused before it ran.
func TestRetriedDelete(t *testing.T) {
	tests := []struct {
		name  string
		tool  string
		args  map[string]any
		first spoiler
		// note is a part of the note of a success; "" for an error result.
		note string
		err  string
		gone func(sb *sandbox.Sandbox) bool
	}{
		{name: "device user, answer dropped", tool: "device_user_delete", first: ranThenDropped,
			args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID},
			note: "Tuya answered the retry with error 2006 (user not exist): the first attempt most likely deleted the device user",
			gone: userGone},
		{name: "device user alias, answer 500", tool: "deviceUser.delete", first: ranThen500,
			args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID},
			note: "error 2006", gone: userGone},
		{name: "device, answer dropped", tool: "device_delete", first: ranThenDropped,
			args: map[string]any{"device_id": sandbox.DemoOfflineDeviceID},
			note: "Tuya answered the retry with error 2010 (device not exist): the first attempt most likely deleted the device",
			gone: deviceGone},
		{name: "device, answer 500", tool: "device_delete", first: ranThen500,
			args: map[string]any{"device_id": sandbox.DemoOfflineDeviceID}, note: "error 2010", gone: deviceGone},
		{name: "device user, rate limited first", tool: "device_user_delete", first: rateLimited,
			args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID}, gone: userGone},
		{name: "unknown device user, rate limited first", tool: "device_user_delete", first: rateLimited,
			args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "999999"}, err: "Tuya error 2006 (user not exist)"},
		{name: "unknown device, rate limited first", tool: "device_delete", first: rateLimited,
			args: map[string]any{"device_id": "nosuchdevice"}, err: "Tuya error 2010 (device not exist)"},
	}
	schemas := outputSchemaOf(t, "device_delete", "device_user_delete")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := sandbox.New(sandbox.Options{})
			var deletes atomic.Int64
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete && deletes.Add(1) == 1 &&
					tt.first(w, r, func() { sb.ServeHTTP(httptest.NewRecorder(), r) }) {
					return
				}
				sb.ServeHTTP(w, r)
			}))
			t.Cleanup(hs.Close)
			tc, err := client.New(client.Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret,
				Endpoint: hs.URL, RetryBaseDelay: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(tc.CloseIdleConnections)
			s, err := tools.NewServer(tc, tools.Options{DefaultSchema: sandbox.DemoSchema})
			if err != nil {
				t.Fatal(err)
			}
			c, err := mcpclient.NewInProcessClient(s)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			initialize(t, c)

			res, err := callWithin(c, 20*time.Second, tt.tool, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if n := deletes.Load(); n != 2 {
				t.Errorf("%d deletes reached the cloud, want 2 (the first and one retry)", n)
			}
			if tt.err != "" {
				if !res.IsError || !strings.Contains(textOf(res), tt.err) {
					t.Errorf("result = %v %q, want an error with %q", res.IsError, textOf(res), tt.err)
				}
				return
			}
			if res.IsError {
				t.Fatalf("isError: %s", textOf(res))
			}
			b, err := conforms(schemas[strings.Replace(tt.tool, "deviceUser.delete", "device_user_delete", 1)], res)
			if err != nil {
				t.Error(err)
			}
			var out struct {
				OK   bool   `json:"ok"`
				Note string `json:"note"`
			}
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			if !out.OK || tt.note == "" && out.Note != "" || !strings.Contains(out.Note, tt.note) {
				t.Errorf("result = %s, want ok with a note holding %q", b, tt.note)
			}
			if !tt.gone(sb) {
				t.Error("the target still exists")
			}
		})
	}
}

func userGone(sb *sandbox.Sandbox) bool {
	for _, u := range sb.DeviceUsers(sandbox.DemoScaleID) {
		if u.UserID == sandbox.DemoScaleUserID {
			return false
		}
	}
	return true
}

func deviceGone(sb *sandbox.Sandbox) bool {
	_, ok := sb.Device(sandbox.DemoOfflineDeviceID)
	return !ok
}

// conforms validates a result's structured content against an output schema and returns it
// encoded.
func conforms(schema *jsonschema.Schema, res *mcp.CallToolResult) ([]byte, error) {
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return b, err
	}
	if err := schema.Validate(doc); err != nil {
		return b, fmt.Errorf("result %s does not match the output schema: %v", b, err)
	}
	return b, nil
}

// outputSchemaOf compiles the output schemas of the named tools.
func outputSchemaOf(t *testing.T, names ...string) map[string]*jsonschema.Schema {
	t.Helper()
	comp := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for _, info := range tools.Catalogue() {
		if !slices.Contains(names, info.Name) {
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(info.OutputSchema))
		if err != nil {
			t.Fatal(err)
		}
		url := "mem:///" + info.Name + ".output.json"
		if err := comp.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		if out[info.Name], err = comp.Compile(url); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
