package tools_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// edgeCase is a call with bad arguments and the one problem the isError result must state.
type edgeCase struct {
	name, tool string
	args       any
	problem    string
}

func repeat(v any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func manyKeys(n int) map[string]any {
	m := make(map[string]any, n)
	for i := range n {
		m[fmt.Sprint("k", i)] = i
	}
	return m
}

func syncArgs(extra map[string]any) map[string]any {
	m := map[string]any{"country_code": "86", "username": "alice", "password": "pw"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func pageSize(v any) map[string]any { return map[string]any{"page_size": v} }

const (
	idRule  = "must be 1 to 64 letters, digits, '_', '-' or '.'"
	intRule = "must be an integer"
)

// bigString (1 MB) shows that an argument that size crosses the transports and is refused with
// a short error. The other huge arguments are 64 KiB, a hundred times the longest limit: a call
// with a 1 MB argument costs about a CPU-second under -race (mcp-go's client and server encode
// and decode it a dozen times), and six of them per transport were most of the package's test
// time.
var (
	bigString  = strings.Repeat("a", 1<<20)
	hugeString = strings.Repeat("b", 64<<10)
)

// edgeCases are bad inputs at every edge of the argument decoding: each must be refused with
// a text that names the field and the rule, before anything is sent.
var edgeCases = []edgeCase{
	// Arguments that are not an object.
	{"array", "device_get", []any{"x"}, "arguments must be a JSON object (got an array)"},
	{"string", "device_get", "device_id=x", "arguments must be a JSON object (got a string)"},
	{"number", "device_get", 42.0, "arguments must be a JSON object (got a number)"},
	{"boolean", "device_get", true, "arguments must be a JSON object (got a boolean)"},
	{"null", "device_get", nil, "device_id: required"},
	{"empty", "device_get", map[string]any{}, "device_id: required"},
	{"null field", "device_get", map[string]any{"device_id": nil}, "device_id: required"},

	// Wrong types.
	{"id boolean", "device_get", map[string]any{"device_id": true}, "device_id: must be a string (got a boolean)"},
	{"id object", "device_get", map[string]any{"device_id": map[string]any{"$ne": ""}}, "device_id: must be a string (got an object)"},
	{"id array", "device_get", map[string]any{"device_id": []any{"a"}}, "device_id: must be a string (got an array)"},
	{"name boolean", "device_rename", renameArgs(false), "name: must be a string (got a boolean)"},
	{"name number", "device_rename", renameArgs(42.0), "name: must be a string (got a number)"},
	{"bool word", "user_sync", syncArgs(map[string]any{"password_is_md5": "yes"}), `password_is_md5: must be true or false (1, 0, "true", "false", "1" and "0" are read as such) (got "yes")`},
	{"bool number", "user_sync", syncArgs(map[string]any{"password_is_md5": 2.0}), `password_is_md5: must be true or false (1, 0, "true", "false", "1" and "0" are read as such) (got 2)`},
	{"country code boolean", "user_sync", syncArgs(map[string]any{"country_code": true}), "country_code: must be a string (got a boolean)"},
	{"enum boolean", "user_device_list", map[string]any{"uid": "u", "from": true}, "from: must be a string (got a boolean)"},
	{"enum word", "user_device_list", map[string]any{"uid": "u", "from": "everywhere"}, `from: must be one of home, sharing (got "everywhere")`},
	{"list object", "device_list", map[string]any{"device_ids": map[string]any{"a": 1.0}}, "device_ids: must be an array (got an object)"},
	{"list of booleans", "device_factory_info_list", map[string]any{"device_ids": []any{true}}, "device_ids: item 1 must be a string (got a boolean)"},
	{"row key boolean", "device_log_list", map[string]any{"device_id": "d", "start_row_key": true}, "start_row_key: must be a string (got a boolean)"},
	{"time boolean", "user_list", map[string]any{"start_time": true},
		"start_time: must be an RFC 3339 time, a YYYY-MM-DD date, or unix seconds or milliseconds (got true)"},
	{"event type object", "device_log_list", map[string]any{"device_id": "d", "type": map[string]any{}},
		"type: must be one of online, offline, activated, reset, command, firmware_update, dp_report, semaphore, restart, timing (or 1 to 10) (got an object)"},

	// Huge input: the error stays short and never echoes all of it.
	{"1 MB name", "device_rename", renameArgs(bigString), "name: must be 1 to 50 characters (got 1048576)"},
	{"64 KiB id", "device_get", map[string]any{"device_id": hugeString}, "device_id: " + idRule + ` (got "` + hugeString[:40] + `...")`},
	{"64 KiB username", "user_sync", syncArgs(map[string]any{"username": hugeString}), "username: must be 1 to 100 characters (got 65536)"},
	{"64 KiB password", "user_sync", syncArgs(map[string]any{"password": hugeString}), "password: must be 1 to 128 characters (got 65536)"},
	// Unknown keys are ignored, and the note naming them stays short too.
	{"64 KiB key", "device_get", map[string]any{hugeString: 1.0},
		"device_id: required\nIgnored \"" + hugeString[:40] + `...": not an argument of this tool.`},
	{"1000 keys", "device_get", manyKeys(1000),
		"device_id: required\n" + `Ignored "k0", "k1", "k10", "k100", "k101" and 995 more: not arguments of this tool.`},
	{"5000 codes", "device_log_list", map[string]any{"device_id": "d", "codes": repeat("c", 5000)}, "codes: must have at most 100 items (got 5000)"},
	{"50 null codes", "device_log_list", map[string]any{"device_id": "d", "codes": repeat(nil, 50)},
		"codes: item 1 must be a string (got null), item 2 must be a string (got null), item 3 must be a string (got null), " +
			"item 4 must be a string (got null), item 5 must be a string (got null) and 45 more"},
	{"21 device ids", "device_list", map[string]any{"device_ids": repeat("d", 21)}, "device_ids: must have 1 to 20 items (got 21)"},
	{"64 KiB row key", "device_log_list", map[string]any{"device_id": "d", "last_row_key": hugeString},
		"last_row_key: must be at most 512 characters (got 65536)"},

	// Control and bidi characters.
	{"NUL in name", "device_rename", renameArgs("Lamp\x00"), "name: must not contain control characters"},
	{"newline in name", "device_rename", renameArgs("Lamp\nDelete all"), "name: must not contain control characters"},
	{"C1 control in name", "device_rename", renameArgs("Lamp\u0085"), "name: must not contain control characters"},
	{"right-to-left override in name", "device_rename", renameArgs("Lamp\u202egnp.exe"),
		"name: must not contain bidirectional override or isolate characters (U+202A to U+202E, U+2066 to U+2069)"},
	{"isolate in nick name", "device_user_add", map[string]any{"device_id": "d", "sex": "male", "nick_name": "\u2066Ann\u2069"},
		"nick_name: must not contain bidirectional override or isolate characters (U+202A to U+202E, U+2066 to U+2069)"},
	{"tab in contact", "device_user_add", map[string]any{"device_id": "d", "sex": 1.0, "nick_name": "Ann", "contact": "a\tb"},
		"contact: must not contain control characters"},
	{"NUL in password", "user_sync", syncArgs(map[string]any{"password": "sec\x00ret"}), "password: must not contain control characters"},
	{"NUL in id", "device_get", map[string]any{"device_id": "a\x00b"}, "device_id: " + idRule + ` (got "a\x00b")`},
	{"right-to-left override in id", "device_get", map[string]any{"device_id": "a\u202eb"}, "device_id: " + idRule + ` (got "a\u202eb")`},

	// Ids that would change the URL.
	{"dot dot slash", "device_get", map[string]any{"device_id": "../x"}, "device_id: " + idRule + ` (got "../x")`},
	{"slash", "device_get", map[string]any{"device_id": "a/b"}, "device_id: " + idRule + ` (got "a/b")`},
	{"backslash", "device_get", map[string]any{"device_id": `a\b`}, "device_id: " + idRule + ` (got "a\\b")`},
	{"encoded dots", "device_get", map[string]any{"device_id": "%2e%2e"}, "device_id: " + idRule + ` (got "%2e%2e")`},
	{"query", "device_get", map[string]any{"device_id": "a?b"}, "device_id: " + idRule + ` (got "a?b")`},
	{"fragment", "device_get", map[string]any{"device_id": "a#b"}, "device_id: " + idRule + ` (got "a#b")`},
	{"space", "device_get", map[string]any{"device_id": "a b"}, "device_id: " + idRule + ` (got "a b")`},
	{"dot dot", "device_get", map[string]any{"device_id": ".."}, `device_id: must not be only dots (got "..")`},
	{"dot", "device_get", map[string]any{"device_id": "."}, `device_id: must not be only dots (got ".")`},
	{"dot dot user", "device_user_delete", map[string]any{"device_id": "d", "user_id": ".."}, `user_id: must not be only dots (got "..")`},
	{"dot dot schema", "user_list", map[string]any{"schema": ".."}, `schema: must not be only dots (got "..")`},
	{"query in product", "device_list", map[string]any{"product_id": "p&schema=x"}, "product_id: " + idRule + ` (got "p&schema=x")`},
	{"slash in function code", "device_function_rename", map[string]any{"device_id": "d", "function_code": "a/b", "name": "n"},
		"function_code: " + idRule + ` (got "a/b")`},
	{"query in outlet", "device_outlet_name_set", map[string]any{"device_id": "d", "identifier": "?x", "name": "n"}, "identifier: " + idRule + ` (got "?x")`},
	{"slash in code", "device_log_list", map[string]any{"device_id": "d", "codes": []any{"ok", "a/b"}}, "codes: item 2 " + idRule + ` (got "a/b")`},

	// Numbers out of range, not integers, or not numbers.
	{"negative", "device_list", pageSize(-1.0), "page_size: must be between 1 and 100 (got -1)"},
	{"zero", "device_list", pageSize(0.0), "page_size: must be between 1 and 100 (got 0)"},
	{"too big", "device_list", pageSize(101.0), "page_size: must be between 1 and 100 (got 101)"},
	{"1e300", "device_list", pageSize(1e300), "page_size: must be between 1 and 100 (got 1e+300)"},
	{"2^63 number", "device_list", pageSize(json.Number("9223372036854775808")), "page_size: must be between 1 and 100 (got 9223372036854775808)"},
	{"2^63 string", "device_list", pageSize("9223372036854775808"), "page_size: must be between 1 and 100 (got 9223372036854775808)"},
	{"1e400 string", "device_list", pageSize("1e400"), "page_size: must be between 1 and 100 (got 1e400)"},
	{"beyond 2^53", "device_list", map[string]any{"page_no": 1e16}, "page_no: is out of range (got 10000000000000000)"},
	{"NaN", "device_list", pageSize("NaN"), "page_size: " + intRule + ` (got "NaN")`},
	{"Infinity", "device_list", pageSize("Infinity"), "page_size: " + intRule + ` (got "Infinity")`},
	{"-Inf", "device_list", pageSize("-Inf"), "page_size: " + intRule + ` (got "-Inf")`},
	{"hex", "device_list", pageSize("0x10"), "page_size: " + intRule + ` (got "0x10")`},
	{"underscore", "device_list", pageSize("1_0"), "page_size: " + intRule + ` (got "1_0")`},
	{"space", "device_list", pageSize(" 10"), "page_size: " + intRule + ` (got " 10")`},
	{"empty string", "device_list", pageSize(""), "page_size: " + intRule + ` (got "")`},
	{"boolean", "device_list", pageSize(true), "page_size: " + intRule + " (got a boolean)"},
	{"fraction", "device_list", pageSize(2.5), "page_size: " + intRule + " (got 2.5)"},
	{"fraction string", "device_log_list", map[string]any{"device_id": "d", "size": "20.5"}, "size: " + intRule + " (got 20.5)"},
	{"negative height", "device_user_add", map[string]any{"device_id": "d", "sex": "female", "nick_name": "A", "height": -5.0},
		"height: must be between 1 and 300 (got -5)"},
	{"fractional weight", "device_user_add", map[string]any{"device_id": "d", "sex": "female", "nick_name": "A", "weight": 1.5},
		"weight: " + intRule + " (got 1.5)"},
	{"numeric user id fraction", "device_user_get", map[string]any{"device_id": "d", "user_id": 1.5}, "user_id: " + intRule + " (got 1.5)"},
	{"numeric user id huge", "device_user_get", map[string]any{"device_id": "d", "user_id": 1e300}, "user_id: is out of range (got 1e+300)"},
	{"sex 3", "device_user_add", map[string]any{"device_id": "d", "sex": 3.0, "nick_name": "A"}, "sex: must be one of male, female (or 1 to 2) (got 3)"},
	{"sex fraction", "device_user_add", map[string]any{"device_id": "d", "sex": 1.5, "nick_name": "A"}, "sex: must be one of male, female (or 1 to 2) (got 1.5)"},
	{"event type 99", "device_log_list", map[string]any{"device_id": "d", "type": []any{99.0}},
		"type: must be one of online, offline, activated, reset, command, firmware_update, dp_report, semaphore, restart, timing (or 1 to 10) (got 99)"},
	{"country code fraction", "user_sync", syncArgs(map[string]any{"country_code": 8.6}), "country_code: " + intRule + " (got 8.6)"},
	{"country code negative", "user_sync", syncArgs(map[string]any{"country_code": -1.0}), "country_code: must be 1 to 4 digits, e.g. 86 or 1 (got -1)"},
	{"country code long", "user_sync", syncArgs(map[string]any{"country_code": "12345"}), `country_code: must be 1 to 4 digits, e.g. 86 or 1 (got "12345")`},
	{"time NaN", "user_list", map[string]any{"start_time": "NaN"},
		`start_time: must be an RFC 3339 time, a YYYY-MM-DD date, or unix seconds or milliseconds (got "NaN")`},
	{"time 1e300", "device_log_list", map[string]any{"device_id": "d", "end_time": 1e300},
		"end_time: must be an RFC 3339 time, a YYYY-MM-DD date, or unix seconds or milliseconds (got 1e+300)"},
	{"time year 9999", "device_log_list", map[string]any{"device_id": "d", "end_time": "9999-01-01"},
		`end_time: must be between 1900 and 2200 (got "9999-01-01")`},
}

// renameArgs is device_rename's arguments with name v.
func renameArgs(v any) map[string]any { return map[string]any{"device_id": "d", "name": v} }

// TestEdges sends every edge case through an MCP client, in process (Go values) and over
// Streamable HTTP (JSON on the wire), and checks that nothing reached the sandbox.
func TestEdges(t *testing.T) {
	for _, tr := range []connector{
		{"in-process", legacyVersion, inProcess},
		{"stateless HTTP", modernVersion, overHTTP},
	} {
		t.Run(tr.name, func(t *testing.T) {
			srv, s := confirmSandbox(t, false)
			c := tr.connect(t, s, nil)
			start(t, c, tr.version)
			for _, ec := range edgeCases {
				res := tooltest.Call(t, c, ec.tool, ec.args)
				want := "invalid arguments for " + ec.tool + ": " + ec.problem
				if got := tools.ResultText(res); !res.IsError || got != want {
					t.Errorf("%s: %s: got isError %v\n%.300q\nwant\n%.300q", ec.name, ec.tool, res.IsError, got, want)
				}
			}
			if st := srv.Stats(); st.Requests != 0 {
				t.Errorf("%d requests reached the sandbox: %v", st.Requests, st.ByRoute)
			}
		})
	}
}

// TestEdgesAccepted: what the rules must not refuse (names in any script, emoji sequences
// joined with U+200D, right-to-left marks, numbers as numeric strings) reaches the cloud
// unchanged.
func TestEdgesAccepted(t *testing.T) {
	srv, s := confirmSandbox(t, false)
	c := inProcess(t, s, nil)
	start(t, c, legacyVersion)
	for _, name := range []string{
		"客厅灯 💡",
		"Wohnzimmer-Lampe ü",
		"👨\u200d👩\u200d👧 room",
		"\u200fמנורה\u200f",
		strings.Repeat("é", 50),
	} {
		res := tooltest.Call(t, c, "device_rename", map[string]any{"device_id": sandbox.DemoStripID, "name": name})
		if res.IsError {
			t.Errorf("%q: %s", name, tools.ResultText(res))
			continue
		}
		if d, _ := srv.Device(sandbox.DemoStripID); d.Name != name {
			t.Errorf("name = %q, want %q", d.Name, name)
		}
	}
	res := tooltest.Call(t, c, "device_list", map[string]any{"page_size": "+5", "page_no": 1e0})
	if res.IsError {
		t.Errorf("device_list: %s", tools.ResultText(res))
	}
}

// postRPC posts one JSON-RPC message to an MCP endpoint and decodes the answer.
func postRPC(t *testing.T, url string, body []byte, header map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("status %d, answer %q is not JSON: %v", resp.StatusCode, b, err)
	}
	return resp.StatusCode, out
}

// TestEdgesOnTheWire posts what a Go client cannot send: arguments and params of any JSON
// type, numbers beyond float64, broken JSON. Each gets an isError naming the problem or a
// JSON-RPC error, and nothing reaches the sandbox.
func TestEdgesOnTheWire(t *testing.T) {
	st := confirmStack(t, false)
	srv, hs := st.Sandbox, st.HTTP
	tests := []struct {
		name, params string
		text         string // the isError text, or "" for a JSON-RPC error
	}{
		{"arguments array", `{"name":"device_get","arguments":[1,2]}`, "invalid arguments for device_get: arguments must be a JSON object (got an array)"},
		{"arguments as JSON text", `{"name":"device_get","arguments":"{\"device_id\":\"../x\"}"}`,
			"invalid arguments for device_get: device_id: " + idRule + ` (got "../x")`},
		{"arguments as broken JSON text", `{"name":"device_get","arguments":" {\"device_id\":"}`,
			"invalid arguments for device_get: arguments must be a JSON object: the string looks like one but is not (unexpected end of JSON input at character 14)"},
		{"arguments string", `{"name":"device_get","arguments":"device_id=x"}`, "invalid arguments for device_get: arguments must be a JSON object (got a string)"},
		{"arguments number", `{"name":"device_get","arguments":1e999}`, ""},
		{"arguments null", `{"name":"device_get","arguments":null}`, "invalid arguments for device_get: device_id: required"},
		{"number beyond float64", `{"name":"device_list","arguments":{"page_size":1e400}}`, ""},
		{"lone surrogate in id", `{"name":"device_get","arguments":{"device_id":"\ud800"}}`,
			"invalid arguments for device_get: device_id: " + idRule + " (got \"\ufffd\")"},
		{"escaped NUL in name", `{"name":"device_rename","arguments":{"device_id":"d","name":"a\u0000"}}`,
			"invalid arguments for device_rename: name: must not contain control characters"},
		{"duplicate key, last wins", `{"name":"device_get","arguments":{"device_id":"ok","device_id":"../x"}}`,
			"invalid arguments for device_get: device_id: " + idRule + ` (got "../x")`},
		{"params array", `[]`, ""},
		{"name number", `{"name":5,"arguments":{}}`, ""},
		{"name missing", `{"arguments":{}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":` + tt.params + `}`)
			status, out := postRPC(t, hs.URL, body, nil)
			res, _ := out["result"].(map[string]any)
			if tt.text == "" {
				checkRPCError(t, status, out)
				return
			}
			var got string
			if res != nil {
				if content, _ := res["content"].([]any); len(content) == 1 {
					got, _ = content[0].(map[string]any)["text"].(string)
				}
			}
			if res == nil || res["isError"] != true || got != tt.text {
				t.Errorf("status %d, answer %v\nwant isError %q", status, out, tt.text)
			}
		})
	}
	for _, body := range []string{`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{`, `not json`, "\xff\xfe"} {
		status, out := postRPC(t, hs.URL, []byte(body), nil)
		checkRPCError(t, status, out)
	}
	if st := srv.Stats(); st.Requests != 0 {
		t.Errorf("%d requests reached the sandbox: %v", st.Requests, st.ByRoute)
	}
}

// checkRPCError checks that a JSON-RPC answer is a parse, request or params error.
func checkRPCError(t *testing.T, status int, out map[string]any) {
	t.Helper()
	e, _ := out["error"].(map[string]any)
	code, _ := e["code"].(float64)
	if code != mcp.PARSE_ERROR && code != mcp.INVALID_REQUEST && code != mcp.INVALID_PARAMS {
		t.Errorf("status %d, answer %v, want a JSON-RPC parse, request or params error", status, out)
	}
}

// The modern protocol's required request headers, for TestConfirmAnswerBoundToCall.
func modernHeaders(tool string) map[string]string {
	return map[string]string{
		mcp.HeaderProtocolVersion: modernVersion,
		mcp.HeaderMethod:          string(mcp.MethodToolsCall),
		mcp.HeaderName:            tool,
	}
}
