package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/tuya-mcp/tuya-mcp/client"
)

// answerCase is one read operation with a complete answer: every documented field, zero values
// among them, and undocumented ones at every depth.
type answerCase struct {
	tool string
	args map[string]any
	// result is the answer's result.
	result string
	// moves map where a part of the answer lands in the tool's result: the first move whose
	// answer prefix matches a path replaces it with the result prefix.
	moves [][2]string
	// derived are result paths computed from the varied answer field, ignored when it varies.
	derived map[string][]string
	// converted are result paths the tool rewrites from the answer (sex numbers to words);
	// TestDeviceUserSex checks them.
	converted []string
	// notValues are variants that are not a value of the whole result (an id that is true or
	// empty): left out, with the tool's own note. refused are variants that make the call fail
	// (a write's id that is false). TestWriteIDs checks both.
	notValues, refused []string
}

const (
	answerDevice = `{"id":"d1","name":"Lamp","uid":"u1","local_key":"k3y","category":"dj","product_id":"p1",
		"product_name":"Bulb","model":"","sub":false,"uuid":"uu1","owner_id":"h1","online":true,
		"status":[{"code":"switch_led","value":true,"type":"Boolean","t":1700000000000},{"code":"bright","value":{"v":5}}],
		"active_time":1700000000,"create_time":1690000000,"update_time":1700000001,"biz_type":0,"icon":"smart/icon.png",
		"ip":"1.2.3.4","time_zone":"+08:00","lat":"30.27","lon":"120.15","extend":{"localKey":"k3y","nested":[{"LocalKey":"k3y","n":0}]}}`
	answerDeviceUser = `{"device_id":"sc","user_id":"51","nick_name":"Bo","sex":1,"birthday":631152000000,"height":180,
		"weight":70000,"contact":"","avatar":"a.png"}`
)

func answerCases() []answerCase {
	return []answerCase{
		{tool: "device_get", args: map[string]any{"device_id": "d1"}, result: answerDevice},
		{tool: "device_list", args: map[string]any{"schema": "app"},
			result:  `{"devices":[` + answerDevice + `],"total":1,"has_more":false,"last_id":"d1","page_no":1}`,
			derived: map[string][]string{"has_more": {"next_page"}, "last_id": {"next_page"}}},
		{tool: "user_device_list", args: map[string]any{"uid": "u1"}, result: `[` + answerDevice + `]`, moves: [][2]string{{"", "devices"}}},
		{tool: "user_get", args: map[string]any{"uid": "u1"},
			result: `{"uid":"u1","username":"ann","country_code":"86","avatar":"","mobile":"","email":"","nick_name":"Ann",
				"create_time":1690000000,"update_time":1700000000,"user_properties":[{"code":"k","value":"v"}],
				"time_zone_id":"Asia/Shanghai","temp_unit":1}`},
		{tool: "user_list", args: map[string]any{"schema": "app"},
			result: `{"list":[{"uid":"u1","username":"ann","mobile":"","email":"a@b.co","country_code":"1","create_time":1690000000,
				"update_time":1700000000}],"has_more":true,"total":11,"page":{"no":1}}`, moves: [][2]string{{"list", "users"}},
			derived: map[string][]string{"has_more": {"next_page"}}},
		{tool: "device_log_list", args: map[string]any{"device_id": "d1"},
			result: `{"logs":[{"code":"switch_1","value":"true","event_time":1700000000123,"event_from":"1","event_id":7,
				"status":"1","row":"r1","extra":{"a":null}}],"has_next":true,"device_id":"d1","current_row_key":"c",
				"next_row_key":"n","count":0}`,
			derived: map[string][]string{"logs.0.event_id": {"logs.0.event_type"},
				"has_next": {"has_more", "next_page"}, "next_row_key": {"next_page"}}},
		{tool: "device_sub_device_list", args: map[string]any{"device_id": "g1"},
			result: `[{"id":"s1","name":"Leak","online":false,"owner_id":"h1","category":"sj","product_id":"p2","active_time":1,
				"update_time":0,"node_id":"0x12","local_key":"sk"}]`, moves: [][2]string{{"", "sub_devices"}}},
		{tool: "device_factory_info_list", args: map[string]any{"device_ids": []any{"d1"}},
			result: `[{"id":"d1","uuid":"uu1","sn":"","mac":"aa:bb","chip":"bk7231"}]`, moves: [][2]string{{"", "factory_infos"}}},
		{tool: "device_outlet_name_list", args: map[string]any{"device_id": "d1"},
			result: `[{"identifier":"switch_1","name":"Kettle","index":1}]`, moves: [][2]string{{"", "outlets"}}},
		{tool: "device_user_get", args: map[string]any{"device_id": "sc", "user_id": "51"}, result: answerDeviceUser,
			converted: []string{"sex"}},
		{tool: "device_user_list", args: map[string]any{"device_id": "sc"}, result: `[` + answerDeviceUser + `]`,
			moves: [][2]string{{"", "device_users"}}, converted: []string{"device_users.0.sex"}},
		{tool: "user_sync", args: map[string]any{"country_code": "1", "username": "ann", "password": "pw", "schema": "app"},
			result: `{"uid":"u1","new":false}`},
		{tool: "device_user_add", args: map[string]any{"device_id": "sc", "nick_name": "Bo", "sex": "male"}, result: `"51"`,
			moves: [][2]string{{"", "user_id"}}, notValues: []string{`true`, `""`}, refused: []string{`"false"`, `0`}},
	}
}

// variants are what a field is sent as, besides its documented form.
var variants = []string{`"7"`, `7`, `1.7e9`, `true`, `0`, `1`, `"false"`, `""`, `null`, `{"x":1}`, `[2]`, ``}

// TestFaithfulResults feeds every read tool a complete answer, then the same answer with each
// documented field sent as each variant (absent included), and checks that no call fails, that
// every result validates against the tool's output schema, that every field sent reaches the
// result under its own name, normalised to the schema's type, that a value that cannot be is
// left out with a note, and that nothing else changes. Local keys are hidden at any depth.
func TestFaithfulResults(t *testing.T) {
	schemas := map[string]map[string]any{}
	compiled := map[string]*jsonschema.Schema{}
	comp := jsonschema.NewCompiler()
	for _, info := range Catalogue() {
		var doc map[string]any
		if err := json.Unmarshal(info.OutputSchema, &doc); err != nil {
			t.Fatal(err)
		}
		schemas[info.Name] = doc
		url := "mem:///" + info.Name
		if err := comp.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		s, err := comp.Compile(url)
		if err != nil {
			t.Fatal(err)
		}
		compiled[info.Name] = s
	}
	for _, tc := range append(answerCases(), controlAnswerCases()...) {
		t.Run(tc.tool, func(t *testing.T) {
			var answer atomic.Pointer[string]
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) {
				okEnvelope(*answer.Load())(w, r)
			})
			// One clock for every call: default windows, which next_page names, must not differ.
			now := func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }
			hidden := newServer(t, f.URL, Options{Now: now})
			exposed := newServer(t, f.URL, Options{ExposeLocalKeys: true, Now: now})
			call := func(t *testing.T, expose bool, result string) map[string]any {
				t.Helper()
				answer.Store(&result)
				c := hidden
				if expose {
					c = exposed
				}
				res := callTool(t, c, tc.tool, tc.args)
				text := ResultText(res)
				if res.IsError {
					t.Fatalf("result %s: isError %s", result, text)
				}
				out := decodeNumbers(t, text)
				if err := compiled[tc.tool].Validate(out); err != nil {
					t.Fatalf("result %s: %s does not match the output schema: %v", result, text, err)
				}
				return out.(map[string]any)
			}
			base := decodeNumbers(t, tc.result)
			for _, expose := range []bool{false, true} {
				got := call(t, expose, tc.result)
				if notes, ok := got["_notes"]; ok {
					t.Errorf("complete answer: notes %v", notes)
				}
				for _, p := range leaves(base, nil) {
					want, _ := at(base, p)
					if len(p) > 0 && client.IsLocalKeyName(p[len(p)-1]) && !expose {
						if v, found := at(got, tc.move(p)); found {
							t.Errorf("%s: local key %v present", strings.Join(tc.move(p), "."), v)
						}
						continue
					}
					if slices.Contains(tc.converted, strings.Join(tc.move(p), ".")) {
						continue
					}
					if v, found := at(got, tc.move(p)); !found || !reflect.DeepEqual(v, want) {
						t.Errorf("expose %v: %s = %v (found %v), want %v as sent", expose, strings.Join(tc.move(p), "."), v, found, want)
					}
				}
			}
			gotBase := call(t, false, tc.result)
			for _, p := range documented(base, nil, schemas[tc.tool], tc) {
				if len(p) > 0 && client.IsLocalKeyName(p[len(p)-1]) || slices.Contains(tc.converted, strings.Join(tc.move(p), ".")) {
					continue
				}
				rp := tc.move(p)
				typ, required := schemaAt(schemas[tc.tool], rp)
				for _, variant := range variants {
					name := strings.Join(p, ".") + "=" + variant
					if variant == "" {
						name = strings.Join(p, ".") + " absent"
					}
					t.Run(name, func(t *testing.T) {
						sent := with(t, base, p, variant)
						b, _ := json.Marshal(sent)
						if slices.Contains(tc.refused, variant) {
							answer.Store(new(string(b)))
							if res := callTool(t, hidden, tc.tool, tc.args); !res.IsError {
								t.Errorf("%s: not refused: %s", b, ResultText(res))
							}
							return
						}
						got := call(t, false, string(b))
						notes, _ := got["_notes"].([]any)
						delete(got, "_notes")
						want, keep, noted := normalise(typ, variant)
						if !keep && required {
							want, keep = zeroOf(typ), true
						}
						if slices.Contains(tc.notValues, variant) {
							keep = false
						}
						v, found := at(got, rp)
						switch {
						case found != keep:
							t.Errorf("%s present %v (%v), want %v", strings.Join(rp, "."), found, v, keep)
						case keep && !reflect.DeepEqual(v, want):
							t.Errorf("%s = %#v, want %#v", strings.Join(rp, "."), v, want)
						}
						// A note names the value left out: the field, or an item of it.
						wantNote := "result" + notePath(p)
						hasNote := slices.ContainsFunc(notes, func(n any) bool {
							rest, ok := strings.CutPrefix(fmt.Sprint(n), wantNote)
							return ok && (strings.HasPrefix(rest, ": ") || strings.HasPrefix(rest, "["))
						})
						if hasNote != noted {
							t.Errorf("notes %v, want one for %s: %v", notes, wantNote, noted)
						}
						// Nothing else changes.
						rest, baseRest := clone(t, got), clone(t, gotBase)
						for _, q := range append([]string{strings.Join(rp, ".")}, tc.derived[strings.Join(p, ".")]...) {
							remove(rest, split(q))
							remove(baseRest, split(q))
						}
						if !reflect.DeepEqual(rest, baseRest) {
							t.Errorf("other fields changed:\n%v\nwant\n%v", rest, baseRest)
						}
					})
				}
			}
		})
	}
}

// normalise says what a field of schema type typ sent as variant should become: keep is false
// when it is left out, noted when with a note.
func normalise(typ, variant string) (want any, keep, noted bool) {
	if variant == "" {
		return nil, false, false
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(variant))
	dec.UseNumber()
	dec.Decode(&v)
	if typ == "" {
		return v, true, false
	}
	if v == nil {
		if typ == "array" {
			return []any{}, true, false
		}
		return nil, false, false
	}
	switch typ {
	case "string":
		switch x := v.(type) {
		case string:
			return x, true, false
		case json.Number:
			return x.String(), true, false
		case bool:
			return strconv.FormatBool(x), true, false
		}
	case "integer":
		// A boolean is not a number, nor is "": both are left out with a note.
		if _, isBool := v.(bool); isBool {
			break
		}
		s := strings.TrimSpace(fmt.Sprint(v))
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
			return json.Number(strconv.FormatInt(int64(f), 10)), true, false
		}
	case "boolean":
		if b, err := strconv.ParseBool(strings.TrimSpace(fmt.Sprint(v))); err == nil {
			return b, true, false
		}
	case "array":
		// The documented lists are lists of objects: other items are left out, with a note.
		if l, ok := v.([]any); ok {
			objects := slices.DeleteFunc(slices.Clone(l), func(e any) bool { _, ok := e.(map[string]any); return !ok })
			return objects, true, len(objects) < len(l)
		}
	case "object":
		if m, ok := v.(map[string]any); ok {
			return m, true, false
		}
	}
	return nil, false, true
}

func zeroOf(typ string) any {
	switch typ {
	case "string":
		return ""
	case "integer":
		return json.Number("0")
	case "boolean":
		return false
	case "array":
		return []any{}
	}
	return nil
}

// move maps an answer path to the result path.
func (tc answerCase) move(p []string) []string {
	joined := strings.Join(p, ".")
	for _, m := range tc.moves {
		if m[0] == "" {
			return append(split(m[1]), p...)
		}
		if joined == m[0] || strings.HasPrefix(joined, m[0]+".") {
			return append(split(m[1]), p[len(split(m[0])):]...)
		}
	}
	return p
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ".")
}

// notePath writes an answer path as the client's notes do: .devices[0].id.
func notePath(p []string) string {
	var b strings.Builder
	for _, s := range p {
		if _, err := strconv.Atoi(s); err == nil {
			fmt.Fprintf(&b, "[%s]", s)
		} else {
			b.WriteString("." + s)
		}
	}
	return b.String()
}

// leaves returns the paths of every scalar and empty container in v.
func leaves(v any, prefix []string) [][]string {
	var out [][]string
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			out = append(out, leaves(c, append(slices.Clone(prefix), k))...)
		}
	case []any:
		for i, c := range x {
			out = append(out, leaves(c, append(slices.Clone(prefix), strconv.Itoa(i)))...)
		}
	default:
		out = append(out, prefix)
	}
	return out
}

// documented returns the paths in the answer of the members the output schema declares, and
// the root when the result is a bare scalar.
func documented(v any, prefix []string, schema map[string]any, tc answerCase) [][]string {
	var out [][]string
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := append(slices.Clone(prefix), k)
			if typ, _ := schemaAt(schema, tc.move(p)); typ != "-" {
				out = append(out, p)
			}
			out = append(out, documented(c, p, schema, tc)...)
		}
	case []any:
		for i, c := range x {
			out = append(out, documented(c, append(slices.Clone(prefix), strconv.Itoa(i)), schema, tc)...)
		}
	default:
		if len(prefix) == 0 {
			out = append(out, prefix)
		}
	}
	return out
}

// schemaAt returns the type the schema declares at a result path ("" for any type, "-" for a
// member it does not declare) and whether the member is required.
func schemaAt(schema map[string]any, path []string) (typ string, required bool) {
	s := schema
	for _, seg := range path {
		if _, err := strconv.Atoi(seg); err == nil {
			items, ok := s["items"].(map[string]any)
			if !ok {
				return "-", false
			}
			s, required = items, false
			continue
		}
		props, _ := s["properties"].(map[string]any)
		next, ok := props[seg].(map[string]any)
		if !ok {
			return "-", false
		}
		req, _ := s["required"].([]any)
		required = slices.Contains(req, any(seg))
		s = next
	}
	typ, _ = s["type"].(string)
	return typ, required
}

func at(v any, path []string) (any, bool) {
	for _, seg := range path {
		switch x := v.(type) {
		case map[string]any:
			c, ok := x[seg]
			if !ok {
				return nil, false
			}
			v = c
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// with returns a copy of v with the member at path set to variant ("" removes it).
func with(t *testing.T, v any, path []string, variant string) any {
	t.Helper()
	c := clone(t, v)
	if len(path) == 0 {
		if variant == "" {
			return nil
		}
		return decodeNumbers(t, variant)
	}
	parent, _ := at(c, path[:len(path)-1])
	last := path[len(path)-1]
	switch x := parent.(type) {
	case map[string]any:
		if variant == "" {
			delete(x, last)
		} else {
			x[last] = decodeNumbers(t, variant)
		}
	default:
		t.Fatalf("path %v: parent %T", path, parent)
	}
	return c
}

func remove(v any, path []string) {
	if len(path) == 0 {
		return
	}
	if parent, ok := at(v, path[:len(path)-1]); ok {
		if m, ok := parent.(map[string]any); ok {
			delete(m, path[len(path)-1])
		}
	}
}

func clone(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeNumbers(t, string(b))
}

// decodeNumbers decodes JSON keeping numbers as written.
func decodeNumbers(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

// TestDeviceUserSex: results give a device user's sex in the sex argument's words; a number
// without a word (0, not set) is kept as the cloud's number, as text; an absent one stays absent.
func TestDeviceUserSex(t *testing.T) {
	tests := []struct {
		sent string // the answer's sex member, "" for none
		want any    // nil: absent
	}{
		{`"sex":1,`, "male"},
		{`"sex":2,`, "female"},
		{`"sex":"2",`, "female"},
		{`"sex":0,`, "0"},
		{`"sex":7,`, "7"},
		{``, nil},
	}
	var answer atomic.Pointer[string]
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request) { okEnvelope(*answer.Load())(w, r) })
	c := newServer(t, f.URL, Options{})
	for _, tt := range tests {
		user := `{` + tt.sent + `"device_id":"sc","user_id":"51","nick_name":"Bo"}`
		for _, call := range []struct {
			tool, answer string
			args         map[string]any
			user         func(map[string]any) map[string]any
		}{
			{"device_user_get", user, map[string]any{"device_id": "sc", "user_id": "51"},
				func(m map[string]any) map[string]any { return m }},
			{"device_user_list", "[" + user + "]", map[string]any{"device_id": "sc"}, func(m map[string]any) map[string]any {
				us, _ := m["device_users"].([]any)
				if len(us) != 1 {
					return nil
				}
				u, _ := us[0].(map[string]any)
				return u
			}},
		} {
			answer.Store(&call.answer)
			res := callTool(t, c, call.tool, call.args)
			if res.IsError {
				t.Fatalf("%s with %s: %s", call.tool, call.answer, ResultText(res))
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(ResultText(res)), &m); err != nil {
				t.Fatal(err)
			}
			got, found := call.user(m)["sex"]
			if found != (tt.want != nil) || got != tt.want {
				t.Errorf("%s with %s: sex = %#v (found %v), want %#v", call.tool, call.answer, got, found, tt.want)
			}
		}
	}
}
