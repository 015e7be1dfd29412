package tools_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// Each tool's test (tools/<tool name>_test.go) is one table of toolCase rows run by runCases:
// success, each error the Tuya page documents for the operation that the sandbox gives, and
// bad input, which never reaches the cloud.

// toolCase is one call of a tool and what it must give.
type toolCase struct {
	name string
	args map[string]any
	// setup, when set, prepares the sandbox before the call.
	setup func(t *testing.T, sb *sandbox.Server)
	// want holds keys of the structured result and their values, compared as JSON.
	want map[string]any
	// check, when set, checks the result and the sandbox after a success.
	check func(t *testing.T, res map[string]any, sb *sandbox.Server)
	// err, when set, is what the isError text must contain; the call must fail.
	err string
	// sendsNothing: the call must not reach the cloud (bad input).
	sendsNothing bool
}

// runCases runs each case against a fresh stack, through an in-process MCP client.
func runCases(t *testing.T, tool string, cases []toolCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := tooltest.NewStack(t, tooltest.StackOptions{})
			if tc.setup != nil {
				tc.setup(t, st.Sandbox)
			}
			c := st.Connect(t)
			before := st.Sandbox.Stats().Requests
			res := tooltest.Call(t, c, tool, tc.args)
			if n := st.Sandbox.Stats().Requests - before; tc.sendsNothing && n != 0 {
				t.Errorf("%d requests reached the sandbox, want none", n)
			}
			if tc.err != "" {
				if text := tools.ResultText(res); !res.IsError || !strings.Contains(text, tc.err) {
					t.Fatalf("%s(%v) = isError %v %q, want an error containing %q", tool, tc.args, res.IsError, text, tc.err)
				}
				return
			}
			if res.IsError {
				t.Fatalf("%s(%v) failed: %s", tool, tc.args, tools.ResultText(res))
			}
			got := tooltest.Structured(t, res, tooltest.OutputSchemas(t, c)[tool])
			for k, v := range tc.want {
				if !jsonSame(t, got[k], v) {
					t.Errorf("%s: %s = %v, want %v", tool, k, got[k], v)
				}
			}
			if tc.check != nil {
				tc.check(t, got, st.Sandbox)
			}
		})
	}
}

// jsonSame reports whether a and b are the same JSON value.
func jsonSame(t *testing.T, a, b any) bool {
	t.Helper()
	return reflect.DeepEqual(asJSON(t, a), asJSON(t, b))
}

// asJSON returns v as encoding/json decodes its encoding.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// count checks that the array under key of a result has min to max items (max < 0: no upper
// bound).
func count(key string, min, max int) func(*testing.T, map[string]any, *sandbox.Server) {
	return func(t *testing.T, res map[string]any, _ *sandbox.Server) {
		t.Helper()
		if n := len(tooltest.Items(t, res, key)); n < min || max >= 0 && n > max {
			t.Errorf("%d %s, want %d to %d", n, key, min, max)
		}
	}
}

// holds checks that the array under key of a result has as many items as the sandbox holds
// (held), and at least min.
func holds(key string, min int, held func(sb *sandbox.Server) int) func(*testing.T, map[string]any, *sandbox.Server) {
	return func(t *testing.T, res map[string]any, sb *sandbox.Server) {
		t.Helper()
		if got, want := len(tooltest.Items(t, res, key)), held(sb); got != want || got < min {
			t.Errorf("%d %s, the sandbox holds %d (want at least %d)", got, key, want, min)
		}
	}
}

// with returns the arguments base with more added.
func with(base, more map[string]any) map[string]any {
	out := maps.Clone(base)
	maps.Copy(out, more)
	return out
}

// noSuchDevice is a well-formed device id the sandbox does not know.
const noSuchDevice = "nosuchdevice0000"

// noSuchUser is a well-formed uid the sandbox does not know.
const noSuchUser = "ay0000000000000000000"

// absent checks that a result has no key: next_page on the last page, say.
func absent(key string) func(*testing.T, map[string]any, *sandbox.Server) {
	return func(t *testing.T, res map[string]any, _ *sandbox.Server) {
		t.Helper()
		if v, ok := res[key]; ok {
			t.Errorf("%s = %v, want absent", key, v)
		}
	}
}
