package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

type wireSpec struct {
	Category  string     `json:"category"`
	Functions []specItem `json:"functions"`
	Status    []specItem `json:"status"`
}

func TestSpecifications(t *testing.T) {
	c := client(t, Options{})
	tests := []struct {
		id, category   string
		fn, st         []string
		notFn, notStat []string
	}{
		{DemoLampID, "dj", []string{"switch_led", "bright_value_v2", "colour_data_v2", "control_data"}, []string{"switch_led", "colour_data_v2"}, nil, []string{"control_data"}},
		{DemoPlugID, "cz", []string{"switch_1", "countdown_1"}, []string{"switch_1", "cur_power", "fault"}, []string{"cur_power", "add_ele"}, nil},
		{DemoClimateSensorID, "wsdcg", []string{}, []string{"va_temperature", "va_humidity", "battery_state"}, nil, nil},
		{DemoGatewayID, "wg2", []string{"switch_alarm_sound", "master_state", "factory_reset", "alarm_active"}, []string{"alarm_msg"}, []string{"alarm_msg"}, nil},
		{DemoScaleID, "tzc1", []string{"unit_switch"}, []string{"weight", "lefthand_r", "righthand_r", "leftleg_r", "rightleg_r"}, []string{"weight"}, nil},
		{DemoGarageDoorID, "ckmkzq", []string{"switch_1"}, []string{"doorcontact_state"}, []string{"doorcontact_state"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.category, func(t *testing.T) {
			var sp wireSpec
			c.ok("GET", "/v1.0/devices/"+tt.id+"/specifications", nil, &sp)
			fn, st := codesOf(sp.Functions), codesOf(sp.Status)
			if sp.Category != tt.category || sp.Functions == nil || sp.Status == nil {
				t.Fatalf("%+v", sp)
			}
			if len(tt.fn) == 0 && len(fn) != 0 {
				t.Errorf("functions %v, want none", fn)
			}
			for _, code := range tt.fn {
				if !slices.Contains(fn, code) {
					t.Errorf("functions %v lack %s", fn, code)
				}
			}
			for _, code := range tt.st {
				if !slices.Contains(st, code) {
					t.Errorf("status %v lacks %s", st, code)
				}
			}
			for _, code := range tt.notFn {
				if slices.Contains(fn, code) {
					t.Errorf("report-only %s in functions", code)
				}
			}
			for _, code := range tt.notStat {
				if slices.Contains(st, code) {
					t.Errorf("write-only %s in status", code)
				}
			}
			// values is JSON text, and the device's status has exactly the status codes.
			for _, it := range append(sp.Functions, sp.Status...) {
				if !json.Valid([]byte(it.Values)) {
					t.Errorf("%s values %q", it.Code, it.Values)
				}
			}
			var status []DP
			c.ok("GET", "/v1.0/devices/"+tt.id+"/status", nil, &status)
			if got := codesOf(status); !slices.Equal(got, st) {
				t.Errorf("status codes %v, specification's %v", got, st)
			}
		})
	}
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/bf00000000000000000000/specifications", nil)
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/bf00000000000000000000/status", nil)
}

// TestDemoStatusFitsSpec checks every demo device's status against its specification: the
// value has the DP's type and lies in its range.
func TestDemoStatusFitsSpec(t *testing.T) {
	s := New(Options{Now: newClock().Now})
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.st.sortedDevices() {
		spec := s.spec(d)
		for _, dp := range d.Status {
			i := slices.IndexFunc(spec, func(sp dpSpec) bool { return sp.Code == dp.Code })
			if i < 0 {
				t.Errorf("%s: %s has no specification", d.ID, dp.Code)
				continue
			}
			sp := spec[i]
			if sp.Type == dpInteger {
				// Reported meters need not lie on the step grid.
				sp.Values = strings.Replace(sp.Values, `"step":100`, `"step":1`, 1)
			}
			if _, err := checkValue(sp, dp.Value); err != nil {
				t.Errorf("%s: %s = %s: %v", d.ID, dp.Code, dp.Value, err)
			}
		}
	}
}

func codesOf[T any](items []T) []string {
	out := []string{}
	for _, it := range items {
		switch v := any(it).(type) {
		case specItem:
			out = append(out, v.Code)
		case DP:
			out = append(out, v.Code)
		case functionItem:
			out = append(out, v.Code)
		}
	}
	return out
}

func TestFunctions(t *testing.T) {
	c := client(t, Options{})
	c.ok("PUT", "/v1.0/devices/"+DemoPlugID+"/functions/switch_1", map[string]string{"name": "Coffee"}, nil)
	var fs functionSet
	c.ok("GET", "/v1.0/devices/"+DemoPlugID+"/functions", nil, &fs)
	if fs.Category != "cz" || !slices.Equal(codesOf(fs.Functions), []string{"switch_1", "countdown_1", "relay_status", "child_lock"}) ||
		fs.Functions[0].Name != "Coffee" {
		t.Errorf("%+v", fs)
	}
	c.ok("GET", "/v1.0/devices/"+DemoClimateSensorID+"/functions", nil, &fs)
	if fs.Category != "wsdcg" || fs.Functions == nil || len(fs.Functions) != 0 {
		t.Errorf("sensor functions %+v", fs)
	}
	c.ok("GET", "/v1.0/functions/cz", nil, &fs)
	if fs.Category != "cz" || !slices.IsSorted(codesOf(fs.Functions)) || !slices.Contains(codesOf(fs.Functions), "switch_1") ||
		slices.Contains(codesOf(fs.Functions), "cur_power") || fs.Functions[0].Desc == "" {
		t.Errorf("cz functions %+v", fs)
	}
	// A category no demo device has still has its standard set.
	c.ok("GET", "/v1.0/functions/kg", nil, &fs)
	if fs.Category != "kg" || !slices.Contains(codesOf(fs.Functions), "switch_6") || !slices.Contains(codesOf(fs.Functions), "countdown_6") {
		t.Errorf("kg functions %+v", fs)
	}
	c.fail(codeCategoryUnknown, "GET", "/v1.0/functions/nosuchcategory", nil)
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/bf00000000000000000000/functions", nil)
}

func TestCommands(t *testing.T) {
	cmds := func(kv ...any) map[string]any {
		var list []map[string]any
		for i := 0; i < len(kv); i += 2 {
			list = append(list, map[string]any{"code": kv[i], "value": kv[i+1]})
		}
		return map[string]any{"commands": list}
	}
	lamp := "/v1.0/devices/" + DemoLampID + "/commands"
	tests := []struct {
		name string
		path string
		body any
		code int
		msg  string
	}{
		{"unknown code", lamp, cmds("switch", true), codeCommandNotSup, "switch is not a function"},
		{"report-only code", "/v1.0/devices/" + DemoPlugID + "/commands", cmds("cur_power", 10), codeCommandNotSup, "cur_power is not a function"},
		{"boolean as a string", lamp, cmds("switch_led", "true"), codeCommandNotSup, "not a boolean"},
		{"integer as a string", lamp, cmds("bright_value_v2", "500"), codeCommandNotSup, "not an integer"},
		{"above max", lamp, cmds("bright_value_v2", 1500), codeCommandNotSup, "1500 is out of range 10..1000"},
		{"below min", lamp, cmds("bright_value_v2", 5), codeCommandNotSup, "out of range"},
		{"fraction", lamp, cmds("bright_value_v2", 50.5), codeCommandNotSup, "not an integer"},
		{"off the step", "/v1.0/devices/bfh8kq3tzx0m6ayc2r9dle/commands", cmds("temp_set", 222), codeCommandNotSup, "step 5"},
		{"enum out of range", lamp, cmds("work_mode", "disco"), codeCommandNotSup, "not one of white, colour"},
		{"json not an object", lamp, cmds("colour_data_v2", "hello"), codeCommandNotSup, "not a JSON object"},
		{"json field out of range", lamp, cmds("colour_data_v2", map[string]any{"h": 999, "s": 1, "v": 1}), codeCommandNotSup,
			"command or value not support: colour_data_v2: field h: 999 is out of range 0..360"},
		{"json field of the wrong type", lamp, cmds("colour_data_v2", `{"h":"120","s":500,"v":500}`), codeCommandNotSup,
			`command or value not support: colour_data_v2: field h: "120" is not an integer`},
		{"json field missing", lamp, cmds("colour_data_v2", `{"h":120}`), codeCommandNotSup,
			"command or value not support: colour_data_v2: field s is missing"},
		{"json unknown field", lamp, cmds("colour_data_v2", map[string]any{"x": 1}), codeCommandNotSup,
			"command or value not support: colour_data_v2: field x is not one of h, s, v"},
		{"json enum field", lamp, cmds("control_data", map[string]any{"change_mode": "jump", "bright": 0, "temperature": 0}), codeCommandNotSup,
			`command or value not support: control_data: field change_mode: "jump" is not one of direct, gradient`},
		{"raw not base64", lamp, cmds("rhythm_mode", "not base64 !!"), codeCommandNotSup,
			`command or value not support: rhythm_mode: "not base64 !!" is not base64`},
		{"string too long", "/v1.0/devices/" + DemoGatewayID + "/commands", cmds("alarm_active", strings.Repeat("x", 256)), codeCommandNotSup, "at most 255"},
		{"one bad command fails all", lamp, cmds("switch_led", false, "bright_value_v2", 0), codeCommandNotSup, "bright_value_v2"},
		{"null code", lamp, map[string]any{"commands": []map[string]any{{"code": nil, "value": true}}}, codeEmpty, "code"},
		{"missing value", lamp, map[string]any{"commands": []map[string]any{{"code": "switch_led"}}}, codeCommandNotSup, "missing"},
		{"no commands", lamp, map[string]any{"commands": []any{}}, codeEmpty, "commands"},
		{"not JSON", lamp, "{", codeIllegal, "not a JSON object"},
		{"offline", "/v1.0/devices/" + DemoOfflineDeviceID + "/commands", cmds("motion_switch", false), codeOffline, "offline"},
		{"unknown device", "/v1.0/devices/bf00000000000000000000/commands", cmds("switch", true), codeDeviceNotExist, ""},
	}
	c := client(t, Options{})
	before := c.srv.Logs(DemoLampID)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := c.fail(tt.code, "POST", tt.path, tt.body)
			if !strings.Contains(env.Msg, tt.msg) {
				t.Errorf("msg %q lacks %q", env.Msg, tt.msg)
			}
		})
	}
	if d, _ := c.srv.Device(DemoLampID); len(c.srv.Logs(DemoLampID)) != len(before) || string(statusOf(d, "switch_led")) != "true" {
		t.Fatal("a refused command changed the lamp")
	}

	var ok bool
	c.ok("POST", lamp, cmds("switch_led", false, "bright_value_v2", 300, "colour_data_v2", map[string]int{"h": 120, "s": 500, "v": 700},
		"control_data", `{"change_mode":"direct","bright":500,"temperature":0}`, "rhythm_mode", "AAAPfwQABh4A"), &ok)
	if !ok {
		t.Fatal("result is not true")
	}
	var status []DP
	c.ok("GET", "/v1.0/devices/"+DemoLampID+"/status", nil, &status)
	want := map[string]string{"switch_led": "false", "bright_value_v2": "300", "colour_data_v2": `"{\"h\":120,\"s\":500,\"v\":700}"`}
	for _, dp := range status {
		if w, ok := want[dp.Code]; ok && string(dp.Value) != w {
			t.Errorf("%s = %s, want %s", dp.Code, dp.Value, w)
		}
		if dp.Code == "control_data" {
			t.Error("a write-only DP appeared in the status")
		}
	}
	// device_get shows the same status.
	var d deviceJSON
	c.ok("GET", "/v1.0/devices/"+DemoLampID, nil, &d)
	if !slices.EqualFunc(d.Status, status, func(a, b DP) bool { return a.Code == b.Code && string(a.Value) == string(b.Value) }) {
		t.Errorf("device status %v, status %v", d.Status, status)
	}
	// Five instructions (type 5), then three reports (type 7): the write-only DPs report nothing.
	logs := c.srv.Logs(DemoLampID)[len(before):]
	var got []string
	for _, l := range logs {
		got = append(got, l.Code+"/"+l.Value+"/"+l.EventFrom+"/"+string(rune('0'+l.EventID)))
	}
	wantLogs := []string{"switch_led/false/3/5", "bright_value_v2/300/3/5", `colour_data_v2/{"h":120,"s":500,"v":700}/3/5`,
		`control_data/{"change_mode":"direct","bright":500,"temperature":0}/3/5`, "rhythm_mode/AAAPfwQABh4A/3/5", "switch_led/false/1/7", "bright_value_v2/300/1/7", `colour_data_v2/{"h":120,"s":500,"v":700}/1/7`}
	if !slices.Equal(got, wantLogs) {
		t.Errorf("logs %q, want %q", got, wantLogs)
	}
}

func statusOf(d Device, code string) json.RawMessage {
	for _, dp := range d.Status {
		if dp.Code == code {
			return dp.Value
		}
	}
	return nil
}

// TestCheckJSONFields: a Json value holds each declared field and no other; Integer and Enum
// fields are checked, fields with other constraints (a list of scene units) only present.
func TestCheckJSONFields(t *testing.T) {
	scene := jsonDP("scene_data_v2", modeRW, `{"scene_num":{"min":1,"max":8,"scale":0,"step":1},`+
		`"scene_units":{"unit_change_mode":{"range":["static","jump","gradient"]},"bright":{"min":0,"max":1000}}}`, "")
	tests := []struct {
		value string
		err   string
	}{
		{`{"scene_num":2,"scene_units":[{"unit_change_mode":"jump","bright":500}]}`, ""},
		{`"{\"scene_num\":2,\"scene_units\":[]}"`, ""},
		{`{"scene_num":9,"scene_units":[]}`, "field scene_num: 9 is out of range 1..8"},
		{`{"scene_num":2}`, "field scene_units is missing"},
		{`{"scene_num":2,"scene_units":[],"speed":1}`, "field speed is not one of scene_num, scene_units"},
	}
	for _, tt := range tests {
		_, err := checkValue(scene, json.RawMessage(tt.value))
		if got := fmt.Sprint(err); (err == nil) != (tt.err == "") || (err != nil && got != tt.err) {
			t.Errorf("%s: error %v, want %q", tt.value, err, tt.err)
		}
	}
}
