package tools

import (
	"encoding/json"
	"testing"
)

func TestParseValues(t *testing.T) {
	tests := []struct {
		typ, text, want string
	}{
		{"Boolean", `{}`, `{}`},
		{"Boolean", `null`, `{}`},
		{"Integer", `{"unit":"W","min":0,"max":50000,"scale":1,"step":1}`, `{"unit":"W","min":0,"max":50000,"scale":1,"step":1}`},
		{"Integer", `{"min":"25","max":"255","scale":0,"step":1,"type":"value"}`, `{"min":25,"max":255,"scale":0,"step":1}`},
		{"Enum", `{"range":["low","high"]}`, `{"range":["low","high"]}`},
		{"Enum", `{"range":[1,2]}`, `{"range":["1","2"]}`},
		{"String", `{"maxlen":255}`, `{"maxlen":255}`},
		{"Bitmap", `{"label":["ov_cr"],"maxlen":1}`, `{"maxlen":1,"label":["ov_cr"]}`},
		{"Json", `{"v":{"min":0,"max":1000},"h":{"min":0,"max":360,"unit":""}}`,
			`{"fields":[{"name":"h","min":0,"max":360},{"name":"v","min":0,"max":1000}]}`},
		// What is not decoded is kept as the cloud sent it.
		{"Json", `{"scene_units":{"bright":{"min":0}}}`, `{"values":"{\"scene_units\":{\"bright\":{\"min\":0}}}"}`},
		{"Integer", `{"min":0,"max":10,"precision":2}`, `{"min":0,"max":10,"values":"{\"min\":0,\"max\":10,\"precision\":2}"}`},
		{"Integer", `not json`, `{"values":"not json"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(parseValues(dpType(tt.typ), tt.text))
		if err != nil || string(b) != tt.want {
			t.Errorf("%s %s: got %s, want %s (%v)", tt.typ, tt.text, b, tt.want, err)
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
	v := parseValues(typeBitmap, `{"label":["a","b","c"]}`)
	if out, p := checkValue(typeBitmap, v, float64(5)); p != "" || out != int64(5) {
		t.Errorf("5: %v %q", out, p)
	}
	if _, p := checkValue(typeBitmap, v, float64(8)); p != "8 is outside 0..7 (a bitmask of a, b, c)" {
		t.Errorf("8: %q", p)
	}
}

// TestCheckJSONOpenFields: a Json field whose constraint is more than an Integer or Enum one (a
// list of scene units) must be present and goes out as given; the others are still checked.
func TestCheckJSONOpenFields(t *testing.T) {
	v := parseValues(typeJSON, `{"scene_num":{"min":1,"max":8,"scale":0,"step":1},"scene_units":{"bright":{"min":0,"max":1000}}}`)
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
