package tools

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// FuzzDecodeArgs feeds arbitrary JSON objects to every tool's argument decoding: it must never
// panic, must report failures as invalid arguments of that tool, and must only accept ids that
// are safe in a URL path.
func FuzzDecodeArgs(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"device_id":"eb4uje5sgz278v65e54x59"}`,
		`{"device_id":"a/b","page_size":500}`,
		`{"page_no":"2","page_size":"20","device_ids":"a,b,c","start_time":"2024-05-01","end_time":1717000000}`,
		`{"device_ids":["x","y"],"schema":"demoapp","last_id":"158493"}`,
		`{"uid":"ay1","from":"sharing","page_no":1e300}`,
		`{"device_id":"d","type":["online",2,"7"],"size":100,"query_type":"paid","last_event_time":"1561779264393"}`,
		`{"device_id":"d","nick_name":"Ann","sex":"female","birthday":"1990-04-01","height":"170","weight":60000,"contact":"x"}`,
		`{"device_id":"d","user_id":5121231,"nick_name":"\u0000","sex":3}`,
		`{"country_code":"+86","username":"13800138000","password":"pw","username_type":"mobile","time_zone_id":"Asia/Shanghai"}`,
		`{"country_code":86,"username":"a@b.co","password":"e10adc3949ba59abbe56e057f20f883e","password_is_md5":"true"}`,
		`{"device_id":"d","function_code":"switch_1","name":"Lamp","identifier":null}`,
		`{"start_time":"2024-05-01T00:00:00+08:00","end_time":-1e20}`,
		`{"type":"","codes":[1,2],"start_row_key":"NjUwODIz=="}`,
		`{"device_id":"d","commands":[{"code":"switch_led","value":"true"},{"code":"c","value":{"h":1}}]}`,
		`{"device_id":"d","commands":"[{\"code\":1,\"value\":null}]","category":"dj"}`,
		`{"device_id":"d","commands":{"code":"x","value":[1],"extra":true}}`,
		`{"device_id":"..","user_id":".","schema":"...","name":"a\u202eb","page_size":"1_0"}`,
		`{"page_no":"1e400","size":"-0","height":"+1","codes":[null,null,null,null,null,null,null]}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	tools := catalogue()
	e := &env{schema: "demoapp", now: testNow}
	f.Fuzz(func(t *testing.T, in string) {
		var args map[string]any
		if json.Unmarshal([]byte(in), &args) != nil {
			return
		}
		for _, tl := range tools {
			a, err := tl.decode(e, args)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "invalid arguments for "+tl.name+": ") {
					t.Fatalf("%s: error %q", tl.name, err)
				}
				// Errors name and clip what they refuse: however big the input, a model gets a
				// short text.
				if len(err.Error()) > maxErrorLen {
					t.Fatalf("%s: %d-byte error for %d bytes of input", tl.name, len(err.Error()), len(in))
				}
				continue
			}
			checkIDs(t, tl.name, reflect.ValueOf(a).Elem())
		}
	})
}

// maxErrorLen bounds an argument error: every tool's arguments, each with a clipped value.
const maxErrorLen = 8 << 10

// checkIDs fails on an id that decoding should have refused.
func checkIDs(t *testing.T, tool string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			checkIDs(t, tool, v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			checkIDs(t, tool, v.Index(i))
		}
	case reflect.String:
		if v.Type() != reflect.TypeFor[id]() || v.String() == "" {
			return
		}
		s := v.String()
		if len(s) > maxIDLen || strings.ContainsFunc(s, func(r rune) bool { return !isIDRune(r) }) || strings.Trim(s, ".") == "" {
			t.Fatalf("%s accepted the id %q", tool, s)
		}
	}
}

// FuzzParseInstant checks that accepted times are within range and that RFC 3339 output of an
// accepted time parses back to the same instant.
func FuzzParseInstant(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024-05-01T00:00:00Z", "1714521600", "1714521600000", "-1", "", "99999999999999999999", "2024-13-01", "1e10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseInstant(s)
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("error is not UTF-8: %q", err)
			}
			return
		}
		if got.Unix() < minInstantUnix || got.Unix() >= maxInstantUnix {
			t.Fatalf("parseInstant(%q) = %v, out of range", s, got)
		}
		back, err := parseInstant(got.Format(time.RFC3339Nano))
		if err != nil || !back.Equal(got) {
			t.Fatalf("round trip of %q: %v, %v", s, back, err)
		}
	})
}

// BenchmarkDecodeArgs measures decoding and checking the richest argument set.
func BenchmarkDecodeArgs(b *testing.B) {
	var tl tool
	for _, c := range catalogue() {
		if c.name == "device_log_list" {
			tl = c
		}
	}
	args := map[string]any{"device_id": "eb4uje5sgz278v65e54x59", "type": []any{"online", "dp_report"},
		"start_time": "2024-05-01T00:00:00Z", "end_time": float64(1717000000000), "codes": "switch_1,switch_2", "size": "50"}
	e := &env{schema: "demoapp", now: testNow}
	for b.Loop() {
		if _, err := tl.decode(e, args); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParseValues feeds arbitrary values documents, as specifications carry them, to the
// decoder and the command check built on it: neither may panic, nothing the cloud said may be
// lost (the cloud's text is kept as sent, with a note when it is not a JSON object), and a value accepted for an Integer lies within
// the decoded bounds.
func FuzzParseValues(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, ``, `{"unit":"W","min":0,"max":50000,"scale":1,"step":1}`, `{"min":"25","max":"255","scale":0,"step":1,"type":"value"}`,
		`{"range":["white","colour","scene","music"]}`, `{"range":[1,2,3]}`, `{"maxlen":255}`, `{"label":["ov_cr","ov_vol"]}`,
		`{"h":{"min":0,"scale":0,"unit":"","max":360,"step":1},"s":{"min":0,"max":1000},"v":{"min":0,"max":1000}}`,
		`{"scene_num":{"min":1,"max":8},"scene_units":{"unit_change_mode":{"range":["static","jump"]}}}`,
		`{"min":1e300,"max":-1,"step":0,"scale":-3}`, `{"min":0,"max":10,"step":-2}`, `[1,2]`, `"text"`, `{"a":1} {"b":2}`, `{"scale":99}`,
	} {
		for _, typ := range []string{"Integer", "Enum", "Json", "Bitmap", "String"} {
			f.Add(typ, s, `5`)
		}
	}
	f.Fuzz(func(t *testing.T, typ, text, value string) {
		// As the cloud sends it: a JSON string (invalid UTF-8 becomes U+FFFD).
		sent, _ := json.Marshal(text)
		json.Unmarshal(sent, &text)
		dp := dataPointOf(client.DPSpec{Code: "c", Type: typ, Values: sent})
		b, err := json.Marshal(dp)
		if err != nil {
			t.Fatalf("decoded values do not encode: %v", err)
		}
		var back struct {
			Values string `json:"values"`
			Note   string `json:"note"`
		}
		if err := json.Unmarshal(b, &back); err != nil || back.Values != text {
			t.Fatalf("%s: values %q, not the cloud's text %q (%v)", b, back.Values, text, err)
		}
		if _, ok := parseValues(dp.typ, text); ok == (back.Note != "") {
			t.Fatalf("%s: note %q for values that decode: %v", b, back.Note, ok)
		}
		v := dp.dpValues
		_ = integerMeaning(v)
		var x any
		if decodeExact(value, &x) != nil {
			x = value
		}
		out, problem := checkValue(dpType(typ), v, x)
		if problem != "" {
			return
		}
		// What is sent passes the check again, unchanged: conversions are done once.
		if again, p := checkValue(dpType(typ), v, out); p != "" || !reflect.DeepEqual(again, out) {
			t.Fatalf("sent %#v, which the check then turns into %#v, %q", out, again, p)
		}
		if dpType(typ) != typeInteger {
			return
		}
		n, ok := out.(int64)
		if !ok || (v.Min != nil && n < *v.Min) || (v.Max != nil && n > *v.Max) {
			t.Fatalf("accepted %v (%T) for %+v", out, out, v)
		}
	})
}

// FuzzDropLocalKeysInText feeds arbitrary text, as a field of the cloud's answer might carry,
// to the local-key removal: text it changes must be JSON with no local key left at any depth
// (text within text included), and text it leaves must be returned as it came.
func FuzzDropLocalKeysInText(f *testing.F) {
	for _, s := range []string{
		`{"localKey":"k"}`, `[{"local_key":"k","a":"{\"LocalKey\":\"k\"}"}]`, ` {"unit":"%","local-key":1} `,
		`{"a":1}`, `local`, `{"localKey":`, `{"localKey":"k"} trailing`, `[]`, `"{\"localKey\":1}"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, changed := dropLocalKeysInText(s)
		if !changed {
			if out != s {
				t.Fatalf("%q unchanged but returned as %q", s, out)
			}
			return
		}
		if again, c := dropLocalKeysInText(out); c || again != out {
			t.Fatalf("%q: a local key is left in %q", s, out)
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("%q: %q is not JSON", s, out)
		}
	})
}
