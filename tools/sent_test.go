package tools

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestNothingInvented: what the tools add to an answer never replaces a field the cloud sent
// and is never made up from a field it did not send; an id a write's answer lacks stays
// absent, with a note, and a write answered false fails.
func TestNothingInvented(t *testing.T) {
	const absent = "(absent)"
	tests := []struct {
		name, tool string
		args       map[string]any
		result     string
		want       map[string]any // result path (dots) -> value, or absent
		note       string
		err        string
	}{
		{name: "log with its own event_type", tool: "device_log_list", args: map[string]any{"device_id": "d1"},
			result: `{"logs":[{"code":"c","event_id":7,"event_type":"custom"}]}`,
			want:   map[string]any{"logs.0.event_type": "custom", "logs.0.event_id": json.Number("7")}},
		{name: "log with an event_type of another type", tool: "device_log_list", args: map[string]any{"device_id": "d1"},
			result: `{"logs":[{"event_id":1,"event_type":{"kind":"x"}}]}`,
			want:   map[string]any{"logs.0.event_type": map[string]any{"kind": "x"}}},
		{name: "log without event_id", tool: "device_log_list", args: map[string]any{"device_id": "d1"},
			result: `{"logs":[{"code":"c","event_time":1}]}`,
			want:   map[string]any{"logs.0.event_type": absent, "logs.0.event_id": absent}},
		{name: "log with a null event_id", tool: "device_log_list", args: map[string]any{"device_id": "d1"},
			result: `{"logs":[{"code":"c","event_id":null}]}`, want: map[string]any{"logs.0.event_type": absent}},
		{name: "log with an event_id", tool: "device_log_list", args: map[string]any{"device_id": "d1"},
			result: `{"logs":[{"event_id":"2"},{"event_id":42}]}`,
			want:   map[string]any{"logs.0.event_type": "offline", "logs.1.event_type": "42"}},
		{name: "sync answered {}", tool: "user_sync", args: syncArgs, result: `{}`,
			want: map[string]any{"uid": absent}, note: "without a uid"},
		{name: "sync answered a null uid", tool: "user_sync", args: syncArgs, result: `{"uid":null,"new":true}`,
			want: map[string]any{"uid": absent, "new": true}, note: "without a uid"},
		{name: "sync answered a uid", tool: "user_sync", args: syncArgs, result: `{"uid":"u9"}`, want: map[string]any{"uid": "u9"}},
		{name: "add answered null", tool: "device_user_add", args: addArgs, result: `null`,
			want: map[string]any{"user_id": absent}, note: "without the new user's id"},
		{name: "add answered true", tool: "device_user_add", args: addArgs, result: `true`,
			want: map[string]any{"user_id": absent}, note: "without the new user's id"},
		{name: "add answered false", tool: "device_user_add", args: addArgs, result: `false`,
			err: "result false on POST /v1.0/devices/{device_id}/user: the operation was not done: the write was not confirmed: call device_user_list"},
		{name: "add answered 0", tool: "device_user_add", args: addArgs, result: `0`,
			err: "result false on POST /v1.0/devices/{device_id}/user: the operation was not done: the write was not confirmed: call device_user_list"},
		{name: "add answered \"0\"", tool: "device_user_add", args: addArgs, result: `"0"`,
			err: "result false on POST /v1.0/devices/{device_id}/user: the operation was not done: the write was not confirmed: call device_user_list"},
		{name: "add answered an id", tool: "device_user_add", args: addArgs, result: `52`, want: map[string]any{"user_id": "52"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, okEnvelope(tt.result))
			res := callTool(t, newServer(t, f.URL, Options{}), tt.tool, tt.args)
			text := ResultText(res)
			if res.IsError != (tt.err != "") || !strings.Contains(text, tt.err) {
				t.Fatalf("%s, want error %q", text, tt.err)
			}
			if tt.err != "" {
				return
			}
			got := decodeNumbers(t, text)
			for path, want := range tt.want {
				v, found := at(got, split(path))
				if want == absent && found || want != absent && !reflect.DeepEqual(v, want) {
					t.Errorf("%s = %#v (found %v), want %v: %s", path, v, found, want, text)
				}
			}
			if notes := tt.note; (notes != "") != strings.Contains(text, `"_notes"`) ||
				!strings.Contains(text, notes) {
				t.Errorf("%s, want a note %q", text, tt.note)
			}
		})
	}
}

var (
	syncArgs = map[string]any{"country_code": "1", "username": "ann", "password": "pw", "schema": "app"}
	addArgs  = map[string]any{"device_id": "sc", "nick_name": "Bo", "sex": "male"}
)

// TestLocalKeysInText: a local key inside JSON text that a field carries (a values document, a
// Json data point's value, text within that text) is removed like any other unless local keys
// are exposed; the rest of the text stays, and text without one is kept as sent, as are values
// sent as an object and fields not sent.
func TestLocalKeysInText(t *testing.T) {
	const key = "S3cretLocalKey"
	valuesText := func(spelling string) string {
		doc, _ := json.Marshal(map[string]any{"unit": "%", "min": 0, spelling: key,
			"nested": `{"a":[{"` + spelling + `":"` + key + `"}],"b":"x&y"}`})
		text, _ := json.Marshal(string(doc))
		return string(text)
	}
	// What valuesText holds once its local keys are removed.
	redacted := map[string]any{"unit": "%", "min": json.Number("0"), "nested": `{"a":[{}],"b":"x&y"}`}
	const plain = `{"unit":"%",  "min":0, "note":"local & <remote>"}`
	plainJSON, _ := json.Marshal(plain)
	tests := []struct {
		name, tool string
		args       map[string]any
		result     string
		redacted   []string       // paths of texts whose local keys are removed
		kept       map[string]any // paths of values kept as sent
	}{
		{name: "specification values", tool: "device_specification_get", args: map[string]any{"device_id": "d1"},
			result: `{"category":"dj","functions":[{"code":"c","type":"Integer","values":` + valuesText("localKey") + `},
				{"code":"p","type":"Integer","values":` + string(plainJSON) + `},{"values":{"a":1}}],
				"status":[{"code":"s","type":"Json","values":` + valuesText("local_key") + `}]}`,
			redacted: []string{"functions.0.values", "status.0.values"},
			kept: map[string]any{"functions.1.values": plain, "functions.2.values": map[string]any{"a": json.Number("1")},
				"functions.2.code": nil}},
		{name: "category function values", tool: "category_function_list", args: map[string]any{"category": "dj"},
			result:   `{"category":"dj","functions":[{"code":"c","type":"Json","values":` + valuesText("LocalKey") + `}]}`,
			redacted: []string{"functions.0.values"}},
		{name: "Json data point value", tool: "device_status_get", args: map[string]any{"device_id": "d1"},
			result:   `[{"code":"cfg","value":` + valuesText("local-key") + `},{"code":"t","value":` + string(plainJSON) + `}]`,
			redacted: []string{"status.0.value"}, kept: map[string]any{"status.1.value": plain}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, okEnvelope(tt.result))
			for _, expose := range []bool{false, true} {
				res := callTool(t, newServer(t, f.URL, Options{ExposeLocalKeys: expose}), tt.tool, tt.args)
				text := ResultText(res)
				if res.IsError || strings.Contains(text, key) != expose {
					t.Fatalf("expose %v: %s", expose, text)
				}
				got := decodeNumbers(t, text)
				for path, want := range tt.kept {
					if v, _ := at(got, split(path)); !reflect.DeepEqual(v, want) {
						t.Errorf("expose %v: %s = %#v, want %#v as sent", expose, path, v, want)
					}
				}
				if expose {
					continue
				}
				for _, path := range tt.redacted {
					v, _ := at(got, split(path))
					s, _ := v.(string)
					if doc := decodeNumbers(t, s); !reflect.DeepEqual(doc, redacted) {
						t.Errorf("%s = %s, want %v", path, s, redacted)
					}
				}
			}
		})
	}
}
