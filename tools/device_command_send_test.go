package tools_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// demoACID is the demo air conditioner: temp_set 160..880, scale 1, step 5.
const demoACID = "bfh8kq3tzx0m6ayc2r9dle"

// bitmapSpec answers specification reads with a writable Bitmap: no demo product has one, as
// Bitmap data points are fault reports in Tuya's standard sets.
var bitmapSpec = refuse{"GET", "/specifications", 0, `{"category":"dj","functions":[{"code":"alarm_set","type":"Bitmap",` +
	`"values":"{\"label\":[\"smoke\",\"gas\",\"water\"]}"}],"status":[]}`}

func send(id string, commands any) map[string]any {
	return map[string]any{"device_id": id, "commands": commands}
}

func TestDeviceCommandSend(t *testing.T) {
	lamp, plug, gw := sandbox.DemoLampID, sandbox.DemoPlugID, sandbox.DemoGatewayID
	const route = "/commands"
	refused := func(problem string) []string {
		return []string{"invalid arguments for device_command_send: " + problem, "nothing was sent"}
	}
	runControlTable(t, "device_command_send", []controlCase{
		// Success, with the tolerated forms converted to the DP's type.
		{name: "success", args: send(lamp, cmds("switch_led", false, "bright_value_v2", 300)),
			want: []string{`"ok":true`, `"sent":[{"code":"switch_led","value":false},{"code":"bright_value_v2","value":300}]`, "device_status_get shows"}},
		{name: "numeric and boolean strings converted", args: send(lamp, cmds("switch_led", "false", "bright_value_v2", "300")),
			want: []string{`{"code":"switch_led","value":false},{"code":"bright_value_v2","value":300}`}},
		{name: "enum numeral as a number", args: send(demoACID, cmds("windspeed", 2)), want: []string{`{"code":"windspeed","value":"2"}`}},
		{name: "json as an object", args: send(lamp, cmds("colour_data_v2", map[string]any{"h": 120, "s": 500, "v": 700})),
			want: []string{`"value":{"h":120,"s":500,"v":700}`}},
		{name: "json as text", args: send(lamp, cmds("colour_data_v2", `{"h":120,"s":500,"v":700}`)),
			want: []string{`"value":"{\"h\":120,\"s\":500,\"v\":700}"`}},
		{name: "json fields converted", args: send(lamp, cmds("colour_data_v2", map[string]any{"h": "120", "s": 500.0, "v": "5e2"})),
			want: []string{`"value":{"h":120,"s":500,"v":500}`}},
		{name: "json fields converted in text", args: send(lamp, cmds("colour_data_v2", `{"v":"700","s":500,"h":"120"}`)),
			want: []string{`"value":"{\"h\":120,\"s\":500,\"v\":700}"`}},
		{name: "booleans as numbers", args: send(lamp, cmds("switch_led", 0)), want: []string{`{"code":"switch_led","value":false}`}},
		{name: "booleans as text in any case", args: send(lamp, cmds("switch_led", "TRUE")), want: []string{`{"code":"switch_led","value":true}`}},
		{name: "integer written exactly", args: send(lamp, cmds("bright_value_v2", json.Number("1.00e2"))), want: []string{`{"code":"bright_value_v2","value":100}`}},
		{name: "raw base64", args: send(lamp, cmds("rhythm_mode", "AAAPfwQABh4A")), want: []string{`{"code":"rhythm_mode","value":"AAAPfwQABh4A"}`}},
		{name: "commands as JSON text", args: send(lamp, `[{"code":"switch_led","value":true}]`), want: []string{`"ok":true`}},
		{name: "one command as an object", args: send(lamp, map[string]any{"code": "switch_led", "value": true}), want: []string{`"ok":true`}},
		{name: "on the step grid", args: send(demoACID, cmds("temp_set", 225)), want: []string{`{"code":"temp_set","value":225}`}},

		// Every check, one rule each, with its exact message.
		{name: "unknown code", args: send(lamp, cmds("switch", true)), errWant: refused(
			"switch: not a function of this device; it accepts switch_led, work_mode, bright_value_v2, temp_value_v2, colour_data_v2 and 3 more")},
		{name: "report-only code", args: send(plug, cmds("cur_power", 10)),
			errWant: refused("cur_power: report-only (listed under status, not functions): it cannot be sent")},
		{name: "device without functions", args: send(sandbox.DemoClimateSensorID, cmds("switch", true)),
			errWant: refused("switch: this device accepts no commands (its specification lists no functions)")},
		{name: "boolean", args: send(lamp, cmds("switch_led", "on")),
			errWant: refused(`switch_led: must be true or false (1, 0, "true", "false", "1" and "0" are read as such) (got "on")`)},
		{name: "boolean number other than 1 and 0", args: send(lamp, cmds("switch_led", 2)),
			errWant: refused(`switch_led: must be true or false (1, 0, "true", "false", "1" and "0" are read as such) (got 2)`)},
		{name: "integer type", args: send(lamp, cmds("bright_value_v2", "bright")),
			errWant: refused(`bright_value_v2: must be an integer in 10..1000 (raw units, scale 0) (got "bright")`)},
		{name: "integer type, hexadecimal text", args: send(lamp, cmds("bright_value_v2", "0x10")),
			errWant: refused(`bright_value_v2: must be an integer in 10..1000 (raw units, scale 0) (got "0x10")`)},
		{name: "integer fraction", args: send(lamp, cmds("bright_value_v2", 250.5)),
			errWant: refused(`bright_value_v2: must be an integer in 10..1000 (raw units, scale 0) (got 250.5)`)},
		{name: "integer fraction beyond float64 precision", args: send(lamp, cmds("bright_value_v2", "100.0000000000000001")),
			errWant: refused(`bright_value_v2: must be an integer in 10..1000 (raw units, scale 0) (got 100.0000000000000001)`)},
		{name: "integer fraction beyond float64 precision, as a number", args: send(lamp, cmds("bright_value_v2", json.Number("100.0000000000000001"))),
			errWant: refused(`bright_value_v2: must be an integer in 10..1000 (raw units, scale 0) (got 100.0000000000000001)`)},
		{name: "integer fraction with a scale", args: send(demoACID, cmds("temp_set", 22.5)),
			errWant: refused("temp_set: must be an integer in 160..880 in steps of 5 (raw units, scale 1) (got 22.5); 22.5 in real units is sent as 225")},
		// 1e400 as a JSON number fails mcp-go's decoding of the request, before any tool runs.
		{name: "integer beyond float64 range", args: send(lamp, cmds("bright_value_v2", "1e400")),
			errWant: refused("bright_value_v2: 1e400 is outside 10..1000 (raw units, scale 0)")},
		{name: "integer beyond float64 range, as text", args: send(lamp, cmds("bright_value_v2", "-1e400")),
			errWant: refused("bright_value_v2: -1e400 is outside 10..1000 (raw units, scale 0)")},
		{name: "integer beyond float64 precision", args: send(lamp, cmds("bright_value_v2", json.Number("9007199254740993"))),
			errWant: refused("bright_value_v2: 9007199254740993 is outside 10..1000 (raw units, scale 0)")},
		{name: "integer beyond int64", args: send(lamp, cmds("bright_value_v2", json.Number("99999999999999999999"))),
			errWant: refused("bright_value_v2: 99999999999999999999 is outside 10..1000 (raw units, scale 0)")},
		{name: "integer above max", args: send(lamp, cmds("bright_value_v2", 1500)),
			errWant: refused("bright_value_v2: 1500 is outside 10..1000 (raw units, scale 0)")},
		{name: "integer below min", args: send(demoACID, cmds("temp_set", 100)),
			errWant: refused("temp_set: 100 is outside 160..880 in steps of 5 (raw units, scale 1)")},
		{name: "integer off the step", args: send(demoACID, cmds("temp_set", 222)),
			errWant: refused("temp_set: 222 is not on the step grid (from 160 in steps of 5: 220 or 225)")},
		{name: "enum range", args: send(lamp, cmds("work_mode", "disco")), errWant: refused(`work_mode: "disco" is not one of white, colour, scene, music`)},
		{name: "enum type", args: send(lamp, cmds("work_mode", true)),
			errWant: refused("work_mode: must be a string, one of white, colour, scene, music (got true)")},
		{name: "string maxlen", args: send(gw, cmds("alarm_active", strings.Repeat("x", 256))), errWant: refused("alarm_active: 256 characters, at most 255")},
		{name: "string type", args: send(gw, cmds("alarm_active", 5)), errWant: refused("alarm_active: must be a string of at most 255 characters (got 5)")},
		{name: "raw not base64", args: send(lamp, cmds("rhythm_mode", "not base64 !!")),
			errWant: refused(`rhythm_mode: must be base64 text (got "not base64 !!")`)},
		{name: "raw type", args: send(lamp, cmds("rhythm_mode", 5)), errWant: refused(`rhythm_mode: must be base64 text (got 5)`)},
		{name: "json text that is not", args: send(lamp, cmds("colour_data_v2", "red")),
			errWant: refused("colour_data_v2: must be a JSON object {h, s, v}, or JSON text holding one (got a string that is not)")},
		{name: "json type", args: send(lamp, cmds("colour_data_v2", 5)),
			errWant: refused("colour_data_v2: must be a JSON object {h, s, v}, or JSON text holding one (got a number)")},
		{name: "json field range", args: send(lamp, cmds("colour_data_v2", map[string]any{"h": 400, "s": 10, "v": 10})),
			errWant: refused("colour_data_v2: h 400 is outside 0..360 (raw units, scale 0)")},
		{name: "json field type", args: send(lamp, cmds("colour_data_v2", `{"h":"red","s":10,"v":10}`)),
			errWant: refused(`colour_data_v2: h must be an integer in 0..360 (raw units, scale 0) (got "red")`)},
		{name: "json field enum", args: send(lamp, cmds("control_data", map[string]any{"change_mode": "jump", "bright": 10, "temperature": 10})),
			errWant: refused(`control_data: change_mode "jump" is not one of direct, gradient`)},
		{name: "json field missing", args: send(lamp, cmds("colour_data_v2", map[string]any{"h": 120})),
			errWant: refused("colour_data_v2: lacks s, v (it must hold h, s, v)")},
		{name: "json unknown field", args: send(lamp, cmds("colour_data_v2", `{"h":1,"s":1,"v":1,"x":1}`)),
			errWant: refused(`colour_data_v2: has unknown field "x" (its fields: h, s, v)`)},
		{name: "json every field problem listed", args: send(lamp, cmds("colour_data_v2", map[string]any{"x": 1})),
			errWant: refused(`colour_data_v2: lacks h, s, v (it must hold h, s, v), has unknown field "x" (its fields: h, s, v)`)},
		{name: "duplicate code", args: send(lamp, cmds("switch_led", true, "bright_value_v2", 20, "switch_led", false)),
			errWant: []string{"commands: items 1, 3 all send switch_led: send each code once"}},
		{name: "bitmap range", args: send(lamp, cmds("alarm_set", 8)), refuse: bitmapSpec,
			errWant: refused("alarm_set: 8 is outside 0..7 (a bitmask of smoke, gas, water)")},
		{name: "bitmap negative", args: send(lamp, cmds("alarm_set", -1)), refuse: bitmapSpec,
			errWant: refused("alarm_set: -1 is outside 0..7 (a bitmask of smoke, gas, water)")},
		{name: "bitmap type", args: send(lamp, cmds("alarm_set", "smoke")), refuse: bitmapSpec,
			errWant: refused(`alarm_set: must be an integer in 0..7 (a bitmask of smoke, gas, water) (got "smoke")`)},
		{name: "every problem listed", args: send(lamp, cmds("bright_value_v2", 1500, "switch_led", true, "work_mode", "disco")),
			errWant: refused(`bright_value_v2: 1500 is outside 10..1000 (raw units, scale 0); work_mode: "disco" is not one of white, colour, scene, music; nothing was sent`)},

		// The cloud's answers.
		{name: "offline device", args: send(sandbox.DemoOfflineDeviceID, cmds("motion_switch", false)),
			errWant: []string{"Tuya error 2001 (device is offline) on POST /v1.0/devices/{device_id}/commands", "device_get shows whether it is, device_status_get its last reported values"}},
		{name: "unknown device", args: send("bf00000000000000000000", cmds("switch_1", true)),
			errWant: []string{"Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}/specifications", "device_list finds devices"}},
		{name: "cloud refuses the value", args: send(lamp, cmds("switch_led", true)), refuse: refuse{"POST", route, 2008, ""},
			errWant: []string{"Tuya error 2008", "device_specification_get lists the codes it accepts"}},
		{name: "cloud range", args: send(lamp, cmds("bright_value_v2", 10)), refuse: refuse{"POST", route, 1101, ""},
			errWant: []string{"Tuya error 1101", "min, max and step in raw units"}},
		{name: "cloud type", args: send(lamp, cmds("bright_value_v2", 10)), refuse: refuse{"POST", route, 1104, ""},
			errWant: []string{"Tuya error 1104", "must have the type device_specification_get gives"}},
		{name: "not linked", args: send(lamp, cmds("switch_led", true)), refuse: refuse{"GET", "/specifications", 1106, ""},
			errWant: []string{"Tuya error 1106", "Link App Account"}},
		{name: "not standard", args: send(lamp, cmds("switch_led", true)), refuse: refuse{"POST", route, 2003, ""},
			errWant: []string{"Tuya error 2003", "DP Instruction"}},
		{name: "no specification: sent unchecked", args: send(lamp, cmds("switch_led", true)), refuse: refuse{"GET", "/specifications", 2009, ""},
			want: []string{`"sent":[{"code":"switch_led","value":true}]`, "sent unchecked"}},

		// Specifications in the cloud's other forms: numbers as strings, values as an object,
		// values that are not JSON, null lists. The checks read them normalised.
		{name: "bounds sent as strings", args: send(lamp, cmds("bright_value_v2", 1500)), refuse: refuse{"GET", "/specifications", 0, stringSpec},
			errWant: refused("bright_value_v2: 1500 is outside 10..1000 in steps of 10 (raw units, scale 0)")},
		{name: "step sent as a string", args: send(lamp, cmds("bright_value_v2", 15)), refuse: refuse{"GET", "/specifications", 0, stringSpec},
			errWant: refused("bright_value_v2: 15 is not on the step grid (from 10 in steps of 10: 10 or 20)")},
		{name: "values as an object", args: send(lamp, cmds("colour_data_v2", map[string]any{"h": 400, "s": 500, "v": 500})),
			refuse: refuse{"GET", "/specifications", 0, stringSpec}, errWant: refused("colour_data_v2: h 400 is outside 0..360 (raw units, scale 0)")},
		{name: "in range of a specification in strings", args: send(lamp, cmds("bright_value_v2", "300", "colour_data_v2", map[string]any{"h": 40, "s": "500", "v": 500})),
			refuse: refuse{"GET", "/specifications", 0, stringSpec}, want: []string{`"sent":[{"code":"bright_value_v2","value":300},{"code":"colour_data_v2","value":{"h":40,"s":500,"v":500}}]`}},
		{name: "values not JSON: the type is checked", args: send(lamp, cmds("bright_value_v2", "bright")),
			refuse: refuse{"GET", "/specifications", 0, brokenSpec}, errWant: refused(`bright_value_v2: must be an integer (got "bright")`)},
		{name: "values not JSON: a value of the type is sent", args: send(lamp, cmds("bright_value_v2", 300)),
			refuse: refuse{"GET", "/specifications", 0, brokenSpec}, want: []string{`"sent":[{"code":"bright_value_v2","value":300}]`}},
		{name: "functions null", args: send(lamp, cmds("switch_led", true)),
			refuse:  refuse{"GET", "/specifications", 0, `{"category":"dj","functions":null,"status":null}`},
			errWant: refused("switch_led: this device accepts no commands (its specification lists no functions)")},

		// Bad input.
		{name: "no commands", args: map[string]any{"device_id": lamp}, errWant: []string{"commands: required"}},
		{name: "empty commands", args: send(lamp, []any{}), errWant: []string{"commands: must have 1 to 20 items (got 0)"}},
		{name: "too many commands", args: send(lamp, repeat(map[string]any{"code": "switch_led", "value": true}, 21)),
			errWant: []string{"commands: must have 1 to 20 items (got 21)"}},
		{name: "command without code", args: send(lamp, []any{map[string]any{"value": true}}), errWant: []string{"commands: item 1 code: required"}},
		{name: "command without value", args: send(lamp, []any{map[string]any{"code": "switch_led"}}), errWant: []string{"commands: item 1 value: required"}},
		{name: "command with an unknown key", args: send(lamp, []any{map[string]any{"code": "switch_led", "val": true}}),
			errWant: []string{`commands: item 1 has unknown key "val" (did you mean value?)`}},
		{name: "command not an object", args: send(lamp, []any{"switch_led"}), errWant: []string{"commands: item 1 must be an object {code, value} (got a string)"}},
		{name: "commands text not JSON", args: send(lamp, "switch on"), errWant: []string{"commands: must be an array of {code, value} objects (got a string that is not JSON)"}},
		{name: "bad code", args: send(lamp, cmds("a/b", true)), errWant: []string{"commands: item 1 code: must be 1 to 64 letters"}},
		{name: "no device id", args: map[string]any{"commands": cmds("switch_led", true)}, errWant: []string{"device_id: required"}},
	})
}

// stringSpec is a lamp's specification with its numbers as strings, in values text and in a
// values object.
const stringSpec = `{"category":"dj","functions":[{"code":"bright_value_v2","type":"Integer",` +
	`"values":"{\"min\":\"10\",\"max\":\"1000\",\"scale\":\"0\",\"step\":\"10\"}"},` +
	`{"code":"colour_data_v2","type":"Json","values":{"h":{"min":"0","max":"360"},"s":{"min":"0","max":"1000"},"v":{"min":"0","max":"1000"}}}],"status":null}`

// brokenSpec is a lamp's specification whose values text is not JSON.
const brokenSpec = `{"category":"dj","functions":[{"code":"bright_value_v2","type":"Integer","values":"{min:10"}]}`

// TestDeviceCommandSendAnswers: the cloud accepts commands with a true result, or one that is
// null, missing, or true in another spelling; a false one is a failure, whatever its spelling.
func TestDeviceCommandSendAnswers(t *testing.T) {
	ce := startControl(t, tools.Options{})
	for _, tt := range []struct {
		answer, want string
	}{
		{`"success":true,"result":true`, `"ok":true`},
		{`"success":true,"result":null`, `"ok":true`},
		{`"success":true`, `"ok":true`},
		{`"success":true,"result":"true"`, `"ok":true`},
		{`"success":true,"result":1`, `"ok":true`},
		{`"success":true,"result":{"x":1}`, `"_notes":["result: an object with 1 member is not a boolean; left out"]`},
		{`"success":true,"result":false`, "the cloud answered success but result false on POST /v1.0/devices/{device_id}/commands: the operation was not done"},
		{`"success":true,"result":0`, "the cloud answered success but result false on POST /v1.0/devices/{device_id}/commands: the operation was not done"},
		{`"success":true,"result":"false"`, "the cloud answered success but result false on POST /v1.0/devices/{device_id}/commands: the operation was not done"},
	} {
		f := func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodPost {
				return false
			}
			envelope(w, tt.answer)
			return true
		}
		ce.intercept.Store(&f)
		res, err := callWithin(ce.c, 20*time.Second, "device_command_send", send(sandbox.DemoLampID, cmds("switch_led", true)))
		if err != nil || !strings.Contains(tools.ResultText(res), tt.want) || res.IsError != strings.Contains(tt.want, "false") {
			t.Errorf("%s: %v %s, want %s", tt.answer, err, tools.ResultText(res), tt.want)
		}
	}
}

// TestDeviceCommandSendAppliesAndLogs: an accepted command changes what device_get and
// device_status_get show, and the device's logs hold the instruction and the report.
func TestDeviceCommandSendAppliesAndLogs(t *testing.T) {
	ce := startControl(t, tools.Options{})
	before := len(ce.sb.Logs(sandbox.DemoLampID))
	res, err := callWithin(ce.c, 20*time.Second, "device_command_send", send(sandbox.DemoLampID, cmds("bright_value_v2", "250")))
	if err != nil || res.IsError {
		t.Fatalf("%v %s", err, tools.ResultText(res))
	}
	for _, tool := range []string{"device_status_get", "device_get"} {
		res, err := callWithin(ce.c, 20*time.Second, tool, map[string]any{"device_id": sandbox.DemoLampID})
		if err != nil || !strings.Contains(tools.ResultText(res), `{"code":"bright_value_v2","value":250}`) {
			t.Errorf("%s: %v %s", tool, err, tools.ResultText(res))
		}
	}
	logs := ce.sb.Logs(sandbox.DemoLampID)[before:]
	if len(logs) != 2 || logs[0].EventID != 5 || logs[1].EventID != 7 || logs[1].Value != "250" {
		t.Errorf("logs %+v, want an instruction then a report", logs)
	}
}

// TestDeviceCommandSendSpecCache: the specification is read once for several sends, again
// after the cloud refused a command with 2008, and again once it is 3 minutes old.
func TestDeviceCommandSendSpecCache(t *testing.T) {
	clk := testutil.NewClock(time.Now())
	ce := startControl(t, tools.Options{Now: clk.Now})
	call := func(want string) {
		t.Helper()
		res, err := callWithin(ce.c, 20*time.Second, "device_command_send", send(sandbox.DemoLampID, cmds("switch_led", true)))
		if err != nil || !strings.Contains(tools.ResultText(res), want) {
			t.Fatalf("%v %s, want %q", err, tools.ResultText(res), want)
		}
	}
	call(`"ok":true`)
	call(`"ok":true`)
	if n := ce.specs.Load(); n != 1 {
		t.Fatalf("%d specification reads for two sends, want 1", n)
	}
	ce.refusing(refuse{"POST", "/commands", 2008, ""})
	call("Tuya error 2008")
	ce.intercept.Store(nil)
	call(`"ok":true`)
	if n := ce.specs.Load(); n != 2 {
		t.Fatalf("%d specification reads, want 2: a 2008 answer must drop the cached one", n)
	}
	// device_specification_get refreshes the cache too.
	if _, err := callWithin(ce.c, 20*time.Second, "device_specification_get", map[string]any{"device_id": sandbox.DemoLampID}); err != nil {
		t.Fatal(err)
	}
	call(`"ok":true`)
	if n := ce.specs.Load(); n != 3 {
		t.Fatalf("%d specification reads, want 3", n)
	}
	clk.Advance(2*time.Minute + 59*time.Second)
	call(`"ok":true`)
	clk.Advance(time.Second)
	call(`"ok":true`)
	if n := ce.specs.Load(); n != 4 {
		t.Fatalf("%d specification reads, want 4: the cached one expires after 3 minutes", n)
	}
}

// TestDeviceCommandSendUnknownOutcome: a command whose answer is lost after it ran is not sent
// again, and the result says to read the status first.
func TestDeviceCommandSendUnknownOutcome(t *testing.T) {
	ce := startControl(t, tools.Options{})
	f := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost {
			return false
		}
		ranThenDropped(w, r, func() { ce.sb.ServeHTTP(httptest.NewRecorder(), r) })
		return true
	}
	ce.intercept.Store(&f)
	res, err := callWithin(ce.c, 20*time.Second, "device_command_send", send(sandbox.DemoLampID, cmds("switch_led", false)))
	if err != nil {
		t.Fatal(err)
	}
	want := "device_command_send: the outcome is unknown: the request may have reached Tuya but no answer came back, so it was not retried. " +
		"Before trying again, call device_status_get for this device_id to see whether the commands took effect."
	if !res.IsError || tools.ResultText(res) != want {
		t.Errorf("result %q, want %q", tools.ResultText(res), want)
	}
	if n := ce.posts.Load(); n != 1 {
		t.Errorf("%d sends reached the cloud, want 1", n)
	}
	if v := statusValue(ce.sb, sandbox.DemoLampID, "switch_led"); v != "false" {
		t.Errorf("switch_led = %s: the dropped command did not run", v)
	}
}

// TestDeviceCommandSendSafety: under --confirm-destructive a command to a device of a safety
// category asks the user, naming the device and the commands; others do not ask.
func TestDeviceCommandSendSafety(t *testing.T) {
	sb, s := confirmSandbox(t, true)
	tests := []struct {
		name     string
		device   string
		action   mcp.ElicitationResponseAction
		asked    bool
		question string
		ran      bool
		// code is the data point commanded; default switch_1 (garage door) or switch_led (lamp).
		code string
	}{
		{name: "garage door, accepted", device: sandbox.DemoGarageDoorID, action: mcp.ElicitationResponseActionAccept, asked: true, ran: true,
			question: `Send to garage door or gate opener "Garage Door" (id ` + sandbox.DemoGarageDoorID + `), of category ckmkzq, which controls access or safety: switch_1 = true?`},
		{name: "garage door, declined", device: sandbox.DemoGarageDoorID, action: mcp.ElicitationResponseActionDecline, asked: true},
		{name: "lamp, not asked", device: sandbox.DemoLampID, action: mcp.ElicitationResponseActionDecline, ran: true},
		{name: "garage door, refused by its specification, not asked", device: sandbox.DemoGarageDoorID, code: "doorcontact_state",
			action: mcp.ElicitationResponseActionAccept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			el := answering(tt.action, map[string]any{"confirm": true})
			c := inProcess(t, s, el)
			start(t, c, legacyVersion)
			before := sb.Stats().ByRoute["POST /v1.0/devices/{device_id}/commands"]
			code := tt.code
			if code == "" {
				code = map[bool]string{true: "switch_1", false: "switch_led"}[tt.device == sandbox.DemoGarageDoorID]
			}
			res := tooltest.Call(t, c, "device_command_send", send(tt.device, cmds(code, true)))
			qs := el.questions()
			if tt.asked != (len(qs) == 1) {
				t.Fatalf("asked %d questions, want asked=%v", len(qs), tt.asked)
			}
			if tt.question != "" && qs[0].Message != tt.question {
				t.Errorf("question %q, want %q", qs[0].Message, tt.question)
			}
			ran := sb.Stats().ByRoute["POST /v1.0/devices/{device_id}/commands"] > before
			if ran != tt.ran || res.IsError == tt.ran {
				t.Errorf("ran %v, isError %v (%s), want ran %v", ran, res.IsError, tools.ResultText(res), tt.ran)
			}
		})
	}
}
