package tools

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestParseValues(t *testing.T) {
	tests := []struct {
		typ, text, want string
		// bad is set for a document that is not a JSON object.
		bad bool
	}{
		{"Boolean", `{}`, `{}`, false},
		{"Boolean", `null`, `{}`, false},
		{"Integer", `{"unit":"W","min":0,"max":50000,"scale":1,"step":1}`, `{"unit":"W","min":0,"max":50000,"scale":1,"step":1}`, false},
		{"Integer", `{"min":"25","max":"255","scale":0,"step":1,"type":"value"}`, `{"min":25,"max":255,"scale":0,"step":1}`, false},
		{"Enum", `{"range":["low","high"]}`, `{"range":["low","high"]}`, false},
		{"Enum", `{"range":[1,2]}`, `{"range":["1","2"]}`, false},
		{"String", `{"maxlen":255}`, `{"maxlen":255}`, false},
		{"Bitmap", `{"label":["ov_cr"],"maxlen":1}`, `{"maxlen":1,"label":["ov_cr"]}`, false},
		{"Json", `{"v":{"min":0,"max":1000},"h":{"min":0,"max":360,"unit":""}}`,
			`{"fields":[{"name":"h","min":0,"max":360},{"name":"v","min":0,"max":1000}]}`, false},
		// What is not known is left out here; the result has the cloud's values as sent.
		{"Json", `{"scene_units":{"bright":{"min":0}}}`, `{}`, false},
		{"Integer", `{"min":0,"max":10,"precision":2}`, `{"min":0,"max":10}`, false},
		{"Integer", `{"min":"10","max":"1000","scale":"0","step":"1.0"}`, `{"min":10,"max":1000,"scale":0,"step":1}`, false},
		{"Integer", `not json`, `{}`, true},
		{"Enum", `["a"]`, `{}`, true},
	}
	for _, tt := range tests {
		v, ok := parseValues(dpType(tt.typ), tt.text)
		b, err := json.Marshal(v)
		if err != nil || string(b) != tt.want || ok == tt.bad {
			t.Errorf("%s %s: got %s %v, want %s %v (%v)", tt.typ, tt.text, b, ok, tt.want, !tt.bad, err)
		}
	}
}

func TestDPType(t *testing.T) {
	for in, want := range map[string]string{"Integer": "Integer", "value": "Integer", "BOOLEAN": "Boolean", "bool": "Boolean",
		"fault": "Bitmap", "json": "Json", "raw": "Raw", "ENUM": "Enum", "Float": "Float"} {
		if got := dpType(in); got != want {
			t.Errorf("dpType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckBitmap(t *testing.T) {
	v, _ := parseValues(typeBitmap, `{"label":["a","b","c"]}`)
	if out, p := checkValue(typeBitmap, v, float64(5)); p != "" || out != int64(5) {
		t.Errorf("5: %v %q", out, p)
	}
	if _, p := checkValue(typeBitmap, v, float64(8)); p != "8 is outside 0..7 (a bitmask of a, b, c)" {
		t.Errorf("8: %q", p)
	}
}

// TestControlAdvice: the codes device control calls return in practice get the error table's
// advice through each read tool (the specification tool has its own for 2009), and no advice
// but the advice of the code the cloud's message is about when it is about something else.
func TestControlAdvice(t *testing.T) {
	const offTopic = "illegal param"
	for _, code := range []int{1101, 1104, 1106, 2001, 2003, 2008, 2009} {
		for tool, args := range map[string]map[string]any{
			"device_status_get":        {"device_id": "d1"},
			"device_specification_get": {"device_id": "d1"},
			"category_function_list":   {"category": "dj"},
		} {
			t.Run(fmt.Sprintf("%s/%d", tool, code), func(t *testing.T) {
				want := codeHints()[code].advice
				if tool == "device_specification_get" && code == 2009 {
					want = "this device has no specification in the cloud"
				}
				f := newFakeCloud(t, failEnvelope(code, errorTable[code], "t1"))
				if text := ResultText(callTool(t, newServer(t, f.URL, Options{}), tool, args)); !strings.Contains(text, ": "+want) {
					t.Errorf("%q, want the advice %q", text, want)
				}
				f = newFakeCloud(t, failEnvelope(code, offTopic, "t1"))
				text := ResultText(callTool(t, newServer(t, f.URL, Options{}), tool, args))
				if !strings.Contains(text, "the message reads as code 1109") || strings.Contains(text, want) {
					t.Errorf("%q: advice for a message about something else", text)
				}
			})
		}
	}
}

// TestCheckJSONOpenFields: a Json field whose constraint is more than an Integer or Enum one (a
// list of scene units) must be present and goes out as given; the others are still checked.
func TestCheckJSONOpenFields(t *testing.T) {
	v, _ := parseValues(typeJSON, `{"scene_num":{"min":1,"max":8,"scale":0,"step":1},"scene_units":{"bright":{"min":0,"max":1000}}}`)
	tests := []struct {
		value   any
		want    string
		problem string
	}{
		{`{"scene_num":"2","scene_units":[{"bright":500}]}`, `{"scene_num":2,"scene_units":[{"bright":500}]}`, ""},
		{`{"scene_num":2}`, "", "lacks scene_units (it must hold scene_num, scene_units)"},
		{`{"scene_num":9,"scene_units":[],"speed":1}`, "",
			`scene_num 9 is outside 1..8 (raw units, scale 0), has unknown field "speed" (its fields: scene_num, scene_units)`},
	}
	for _, tt := range tests {
		out, p := checkValue(typeJSON, v, tt.value)
		if p != tt.problem || (p == "" && out != tt.want) {
			t.Errorf("%v: got %v, %q; want %v, %q", tt.value, out, p, tt.want, tt.problem)
		}
	}
}
