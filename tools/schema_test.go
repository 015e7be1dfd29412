package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"
)

// checkPortable walks a JSON Schema and reports every construct some model provider rejects.
// input says whether every property needs a description (the model reads them to fill
// arguments).
func checkPortable(raw json.RawMessage, input bool) []string {
	var root any
	if err := json.Unmarshal(raw, &root); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	report := func(path, format string, args ...any) {
		problems = append(problems, path+": "+fmt.Sprintf(format, args...))
	}
	var walk func(path string, node any, isProperty bool)
	walk = func(path string, node any, isProperty bool) {
		s, ok := node.(map[string]any)
		if !ok {
			report(path, "schema is %T, not an object (boolean schemas are not portable)", node)
			return
		}
		// anyOf is portable in the one form the MCP Inspector's lint recommends for a value of
		// several types: branches that each give one type and nothing else.
		_, hasAnyOf := s["anyOf"]
		if hasAnyOf && !typeBranches(s["anyOf"]) {
			report(path, "anyOf is not a list of single-type branches")
		}
		for _, k := range []string{"$ref", "$defs", "definitions", "$schema", "$id", "oneOf", "allOf", "not"} {
			if _, ok := s[k]; ok {
				report(path, "has %s", k)
			}
		}
		typ, hasType := s["type"]
		if hasType {
			if _, ok := typ.(string); !ok {
				report(path, "type is %v, not a single string", typ)
			}
		} else if _, hasDesc := s["description"]; !hasAnyOf || len(s) > 2 || len(s) == 2 && !hasDesc {
			report(path, "a schema without type must be an anyOf of types, with at most a description")
		}
		if input && isProperty {
			if d, _ := s["description"].(string); d == "" {
				report(path, "property has no description")
			}
		}
		if f, ok := s["format"]; ok && f != "date-time" {
			report(path, "format %v", f)
		}
		if e, ok := s["enum"]; ok {
			for _, v := range e.([]any) {
				if _, ok := v.(string); !ok {
					report(path, "enum value %v is not a string", v)
				}
			}
		}
		if ap, ok := s["additionalProperties"]; ok {
			report(path, "has additionalProperties %v", ap)
		}
		if typ == "array" {
			items, ok := s["items"]
			if !ok {
				report(path, "array without items")
			} else {
				walk(path+".items", items, false)
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for name, p := range props {
				walk(path+"."+name, p, true)
			}
		}
	}
	m, _ := root.(map[string]any)
	if m == nil || m["type"] != "object" {
		return []string{"root is not an object schema"}
	}
	walk("$", root, false)
	return problems
}

// typeBranches reports whether v is a non-empty list of schemas that are each {"type": T}.
func typeBranches(v any) bool {
	branches, ok := v.([]any)
	if !ok || len(branches) == 0 {
		return false
	}
	for _, b := range branches {
		m, _ := b.(map[string]any)
		if _, ok := m["type"].(string); !ok || len(m) != 1 {
			return false
		}
	}
	return true
}

func TestSchemasPortable(t *testing.T) {
	nameRE := regexp.MustCompile(`^[a-z0-9_]{1,40}$`)
	for _, info := range Catalogue() {
		if !nameRE.MatchString(info.Name) {
			t.Errorf("tool name %q does not match %s", info.Name, nameRE)
		}
		for _, p := range checkPortable(info.InputSchema, true) {
			t.Errorf("%s input schema: %s", info.Name, p)
		}
		for _, p := range checkPortable(info.OutputSchema, false) {
			t.Errorf("%s output schema: %s", info.Name, p)
		}
	}
}

func TestCheckPortableCatches(t *testing.T) {
	tests := []struct {
		name, schema string
		input        bool
	}{
		{"ref", `{"type":"object","properties":{"a":{"$ref":"#/$defs/x","description":"d"}}}`, false},
		{"defs", `{"type":"object","$defs":{}}`, false},
		{"schema", `{"type":"object","$schema":"x"}`, false},
		{"id", `{"type":"object","$id":"x"}`, false},
		{"anyOf with more", `{"type":"object","properties":{"a":{"anyOf":[{"type":"string","minLength":1}]}}}`, false},
		{"anyOf untyped", `{"type":"object","properties":{"a":{"anyOf":[{"description":"d"}]}}}`, false},
		{"anyOf empty", `{"type":"object","properties":{"a":{"anyOf":[]}}}`, false},
		{"typeless", `{"type":"object","properties":{"a":{"description":"d"}}}`, false},
		{"type array", `{"type":"object","properties":{"a":{"type":["string","null"]}}}`, false},
		{"bool schema", `{"type":"object","properties":{"a":true}}`, false},
		{"array without items", `{"type":"object","properties":{"a":{"type":"array"}}}`, false},
		{"number enum", `{"type":"object","properties":{"a":{"type":"integer","enum":[1,2]}}}`, false},
		{"format", `{"type":"object","properties":{"a":{"type":"string","format":"email"}}}`, false},
		{"root", `{"type":"string"}`, false},
		{"no description", `{"type":"object","properties":{"a":{"type":"string"}}}`, true},
		{"untyped with more", `{"type":"object","properties":{"a":{"description":"d","minimum":1}}}`, false},
		{"additionalProperties", `{"type":"object","additionalProperties":false}`, false},
	}
	for _, tt := range tests {
		if p := checkPortable(json.RawMessage(tt.schema), tt.input); len(p) == 0 {
			t.Errorf("%s: checkPortable found nothing in %s", tt.name, tt.schema)
		}
	}
}

// TestCatalogue pins every tool's toolset, alias and annotations, in catalogue order: a new
// tool adds its row here, where its catalogue line goes.
func TestCatalogue(t *testing.T) {
	type entry struct {
		name, toolset, alias              string
		readOnly, destructive, idempotent bool
	}
	want := []entry{
		{"user_sync", "users", "", false, true, true},
		{"user_list", "users", "", true, false, true},
		{"user_get", "users", "", true, false, true},
		{"device_get", "devices", "", true, false, true},
		{"device_list", "devices", "", true, false, true},
		{"user_device_list", "devices", "", true, false, true},
		{"device_log_list", "devices", "", true, false, true},
		{"device_rename", "devices", "", false, false, true},
		{"device_function_rename", "devices", "", false, false, true},
		{"device_factory_reset", "devices", "", false, true, true},
		{"device_delete", "devices", "", false, true, true},
		{"device_sub_device_list", "devices", "", true, false, true},
		{"device_factory_info_list", "devices", "", true, false, true},
		{"device_outlet_name_set", "devices", "", false, false, true},
		{"device_outlet_name_list", "devices", "", true, false, true},
		{"device_user_add", "device_users", "deviceUser.add", false, false, false},
		{"device_user_edit", "device_users", "deviceUser.edit", false, false, true},
		{"device_user_delete", "device_users", "deviceUser.delete", false, true, true},
		{"device_user_get", "device_users", "deviceUser.info", true, false, true},
		{"device_user_list", "device_users", "deviceUser.list", true, false, true},
		{"device_status_get", "device_control", "", true, false, true},
		{"device_specification_get", "device_control", "", true, false, true},
		{"category_function_list", "device_control", "", true, false, true},
		{"device_command_send", "device_control", "", false, false, false},
	}
	cat := Catalogue()
	var got []entry
	for _, info := range cat {
		got = append(got, entry{info.Name, info.Toolset, info.Alias, info.ReadOnly, info.Destructive, info.Idempotent})
		if !info.OpenWorld || info.Title == "" || info.Description == "" {
			t.Errorf("%s: open world %v, title %q, description %q", info.Name, info.OpenWorld, info.Title, info.Description)
		}
		if info.ReadOnly && info.Destructive {
			t.Errorf("%s is read-only and destructive", info.Name)
		}
	}
	for i := 0; i < max(len(got), len(want)); i++ {
		switch {
		case i >= len(want):
			t.Errorf("catalogue entry %d: unexpected tool %+v (add its row to TestCatalogue)", i+1, got[i])
		case i >= len(got):
			t.Errorf("catalogue entry %d: missing, want %+v", i+1, want[i])
		case got[i] != want[i]:
			t.Errorf("catalogue entry %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
	if got := ToolsetNames(); !slices.Equal(got, []string{"users", "devices", "device_users", "device_control"}) {
		t.Errorf("ToolsetNames() = %v", got)
	}
}

// TestSchemaProperties pins the arguments a model sees for a few tools, in order.
func TestSchemaProperties(t *testing.T) {
	props := func(raw json.RawMessage) []string {
		var s struct {
			Properties json.RawMessage `json:"properties"`
			Required   []string        `json:"required"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(s.Properties))
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, tok.(string))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		}
		return append(keys, "required:"+fmt.Sprint(s.Required))
	}
	want := map[string][]string{
		"device_user_add": {"device_id", "nick_name", "sex", "birthday", "height", "weight", "contact", "required:[device_id nick_name sex]"},
		"device_user_edit": {"device_id", "user_id", "nick_name", "sex", "birthday", "height", "weight",
			"required:[device_id user_id nick_name sex]"},
		"user_list":           {"schema", "page_no", "page_size", "start_time", "end_time", "required:[]"},
		"device_command_send": {"device_id", "commands", "required:[device_id commands]"},
		"device_log_list": {"device_id", "type", "start_time", "end_time", "codes", "size", "query_type",
			"start_row_key", "last_row_key", "last_event_time", "required:[device_id]"},
	}
	for _, info := range Catalogue() {
		w, ok := want[info.Name]
		if !ok {
			continue
		}
		if got := props(info.InputSchema); !slices.Equal(got, w) {
			t.Errorf("%s properties = %v, want %v", info.Name, got, w)
		}
	}
}
