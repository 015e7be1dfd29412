package tools_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// The device_control tools' tests share one set-up: a sandbox over loopback HTTP behind an
// optional interceptor (the cloud's answers the sandbox does not give), a client, a tools server
// and an in-process MCP client. Each tool's own file holds its table.

// cloudMsgs are the cloud's messages for the codes the interceptor answers with.
var cloudMsgs = map[int]string{
	1101: "params range invalid", 1104: "type is incorrect", 1106: "permission deny", 2001: "device is offline",
	2003: "function not support", 2008: "command or value not support", 2009: "not support this device",
}

// refuse makes the interceptor answer requests whose method and path end match with code, or,
// when code is 0 and result is set, with a success holding result: answers the sandbox does not
// give but the cloud does.
type refuse struct {
	method, suffix string
	code           int
	result         string
}

type controlEnv struct {
	sb *sandbox.Sandbox
	c  *mcpclient.Client
	// specs and posts count the specification reads and the command sends that reached the
	// cloud (interceptor included).
	specs, posts atomic.Int64
	// intercept, when set, answers a request instead of the sandbox; it returns false to let
	// the sandbox answer.
	intercept atomic.Pointer[func(w http.ResponseWriter, r *http.Request) bool]
}

func startControl(t *testing.T, opts tools.Options) *controlEnv {
	t.Helper()
	ce := &controlEnv{}
	st := tooltest.NewStack(t, tooltest.StackOptions{
		Client: client.Config{RetryBaseDelay: time.Millisecond},
		Tools:  opts,
		Front: func(sb http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/specifications"):
					ce.specs.Add(1)
				case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/commands"):
					ce.posts.Add(1)
				}
				if f := ce.intercept.Load(); f != nil && (*f)(w, r) {
					return
				}
				sb.ServeHTTP(w, r)
			})
		},
	})
	ce.sb, ce.c = st.Sandbox.Sandbox, st.Connect(t)
	return ce
}

// refusing answers matching requests with the cloud's failure envelope for code.
func (ce *controlEnv) refusing(rf refuse) {
	f := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != rf.method || !strings.HasSuffix(r.URL.Path, rf.suffix) {
			return false
		}
		if rf.code == 0 {
			envelope(w, `"success":true,"result":`+rf.result)
			return true
		}
		envelope(w, fmt.Sprintf(`"success":false,"code":%d,"msg":%q`, rf.code, cloudMsgs[rf.code]))
		return true
	}
	ce.intercept.Store(&f)
}

// controlCase is one row of a device_control tool's table.
type controlCase struct {
	name string
	args map[string]any
	// refuse, when its code is set, makes the cloud refuse the tool's request.
	refuse refuse
	// want are parts of the result's JSON (success) or its text (errWant).
	want    []string
	errWant []string
}

// runControlTable runs a tool's table, each row on a fresh sandbox, and checks successes
// against the tool's output schema.
func runControlTable(t *testing.T, tool string, cases []controlCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			ce := startControl(t, tools.Options{})
			schema := tooltest.OutputSchemas(t, ce.c)[tool]
			if tt.refuse.code != 0 || tt.refuse.result != "" {
				ce.refusing(tt.refuse)
			}
			res, err := callWithin(ce.c, 20*time.Second, tool, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			got := tools.ResultText(res)
			if len(tt.errWant) > 0 {
				if !res.IsError {
					t.Fatalf("succeeded with %s, want an error", got)
				}
				for _, w := range tt.errWant {
					if !strings.Contains(got, w) {
						t.Errorf("error %q lacks %q", got, w)
					}
				}
				return
			}
			if res.IsError {
				t.Fatalf("isError: %s", got)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(got)))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("result does not match the output schema: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("result %s lacks %s", got, w)
				}
			}
		})
	}
}

// statusValue returns a DP's value from a sandbox device.
func statusValue(sb *sandbox.Sandbox, deviceID, code string) string {
	d, _ := sb.Device(deviceID)
	for _, dp := range d.Status {
		if dp.Code == code {
			return string(dp.Value)
		}
	}
	return ""
}

func cmds(kv ...any) []any {
	var out []any
	for i := 0; i < len(kv); i += 2 {
		out = append(out, map[string]any{"code": kv[i], "value": kv[i+1]})
	}
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
