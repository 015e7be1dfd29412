package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"
)

// withoutRecords clears every Record in v (a pointer or slice of result types), in place, and
// returns v: for comparing the typed fields of a decoded result with a literal.
func withoutRecords(v any) any {
	clearType(reflect.ValueOf(v), recordType)
	return v
}

// clearType zeroes every value of type typ in v, in place.
func clearType(v reflect.Value, typ reflect.Type) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			clearType(v.Elem(), typ)
		}
	case reflect.Slice:
		for i := range v.Len() {
			clearType(v.Index(i), typ)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.Type() == typ {
				f.SetZero()
			} else if f.CanSet() {
				clearType(f, typ)
			}
		}
	}
}

// TestDecodeResult feeds the tolerant decoder answers of each kind the real cloud gives and
// checks the typed values, the notes and that encoding gives back every field sent, normalised.
func TestDecodeResult(t *testing.T) {
	tests := []struct {
		name   string
		result string
		into   func() any
		want   string // the encoding of what was decoded
		notes  []string
	}{
		{name: "online as 1", result: `{"id":"d1","online":1,"sub":"false"}`, into: func() any { return new(Device) },
			want: `{"id":"d1","sub":false,"online":true}`},
		{name: "numbers as strings and strings as numbers", result: `{"id":123,"active_time":"1700000000","biz_type":"0","uid":7}`,
			into: func() any { return new(Device) }, want: `{"id":"123","uid":"7","active_time":1700000000,"biz_type":0}`},
		{name: "zero values and undocumented fields stay", result: `{"id":"d","model":"","biz_type":0,"lat":"30.1","lon":120.2,"ext":{"a":[1,null]}}`,
			into: func() any { return new(Device) }, want: `{"id":"d","model":"","biz_type":0,"lat":"30.1","lon":120.2,"ext":{"a":[1,null]}}`},
		{name: "nulls", result: `{"id":null,"status":null,"name":"n","online":null}`, into: func() any { return new(Device) },
			want: `{"name":"n","status":[]}`},
		{name: "booleans and empty strings are not integers", result: `{"id":"d","active_time":true,"create_time":"true","biz_type":false,"update_time":""}`,
			into: func() any { return new(Device) }, want: `{"id":"d"}`,
			notes: []string{"result.active_time: true is not an integer; left out", `result.create_time: "true" is not an integer; left out`,
				"result.biz_type: false is not an integer; left out", `result.update_time: "" is not an integer; left out`}},
		{name: "sex true is not male", result: `{"user_id":"u","sex":true,"height":"true","note":""}`,
			into: func() any { return new(DeviceUser) }, want: `{"user_id":"u","note":""}`,
			notes: []string{"result.sex: true is not an integer; left out", `result.height: "true" is not an integer; left out`}},
		{name: "lone surrogate noted", result: `{"id":"a\ud800b","name":"ok \ud83d\ude00 \ufffd"}`,
			into: func() any { return new(Device) }, want: "{\"id\":\"a\ufffdb\",\"name\":\"ok \U0001F600 \ufffd\"}",
			notes: []string{"result.id: a character that is not valid Unicode (a lone UTF-16 surrogate or a malformed byte) was replaced by U+FFFD"}},
		{name: "an object where a time is expected", result: `{"id":"d","active_time":{"sec":1},"name":"n"}`,
			into: func() any { return new(Device) }, want: `{"id":"d","name":"n"}`,
			notes: []string{`result.active_time: an object with 1 member is not an integer; left out`}},
		{name: "dropped objects and lists are described, never quoted", result: `{"id":["a","b","c"],"status":{"x":"SEC1"},"name":{}}`,
			into: func() any { return new(Device) }, want: `{}`,
			notes: []string{`result.id: a list of 3 items is not a string; left out`, `result.status: an object with 1 member is not a list; left out`,
				`result.name: an object with 0 members is not a string; left out`}},
		{name: "a dropped value under or naming a local key is not quoted", result: `{"id":"d1","local_key":{"v":"SEC8"},"name":["SECA"],"owner_id":{"local_key":"SECB"},"model":"true","active_time":"localkey SECC"}`,
			into: func() any { return new(Device) }, want: `{"id":"d1","model":"true"}`,
			notes: []string{`result.local_key: an object with 1 member is not a string; left out`, `result.name: a list of 1 item is not a string; left out`,
				`result.owner_id: an object with 1 member is not a string; left out`, `result.active_time: a string of 13 bytes is not an integer; left out`}},
		{name: "a scalar under a local-key path is not quoted", result: `{"id":"d1","local_key":true}`,
			into: func() any {
				return new(struct {
					ID       string `json:"id"`
					LocalKey struct {
						V string `json:"v"`
					} `json:"local_key"`
				})
			}, want: `{"id":"d1","local_key":{"v":""}}`,
			notes: []string{`result.local_key: a value is not an object; left out`}},
		{name: "a success without a result is noted", result: `null`, into: func() any { return new(Device) }, want: `{}`,
			notes: []string{"the cloud answered success without a result"}},
		{name: "data point values of any type", result: `{"status":[{"code":"a","value":{"x":[1]}},{"code":"b","value":null},{"code":"c"},7]}`,
			into:  func() any { return new(Device) },
			want:  `{"status":[{"code":"a","value":{"x":[1]}},{"code":"b","value":null},{"code":"c"}]}`,
			notes: []string{`result.status[3]: 7 is not an object; left out`}},
		{name: "log fields as numbers or strings", result: `{"logs":[{"code":"c","value":true,"event_time":"1700000000123","event_from":1,"event_id":"7"}],"has_next":"true","count":"2"}`,
			into: func() any { return new(DeviceLogs) },
			want: `{"logs":[{"code":"c","value":"true","event_time":1700000000123,"event_from":"1","event_id":7}],"has_next":true,"count":2}`},
		{name: "user info keeps what it does not declare", result: `{"uid":"u","email":"","user_properties":[{"code":"k"}],"time_zone_id":"UTC","temp_unit":1}`,
			into: func() any { return new(UserInfo) }, want: `{"uid":"u","email":"","user_properties":[{"code":"k"}],"time_zone_id":"UTC","temp_unit":1}`},
		{name: "a bare list with null items", result: `[null,{"id":"s","online":"1"}]`, into: func() any { return new([]SubDevice) },
			want: `[{"id":"s","online":true}]`, notes: []string{"result: item 0 was null; left out"}},
		{name: "null items in nested lists", result: `{"id":"d","status":[null,{"code":"c","value":1},null]}`, into: func() any { return new(Device) },
			want: `{"id":"d","status":[{"code":"c","value":1}]}`, notes: []string{"result.status: item 0 was null; left out", "result.status: item 2 was null; left out"}},
		{name: "a number too large", result: `{"total":1e300,"has_more":2}`, into: func() any { return new(DeviceList) }, want: `{}`,
			notes: []string{`result.total: 1e300 is not an integer; left out`, `result.has_more: 2 is not a boolean; left out`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.into()
			notes := decodeResult(json.RawMessage(tt.result), out)
			got, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || !slices.Equal(notes, tt.notes) {
				t.Errorf("got %s, notes %q\nwant %s, notes %q", got, notes, tt.want, tt.notes)
			}
		})
	}
}

// FuzzDecodeResult decodes any JSON into every result type: it never panics, what it encodes
// is valid JSON that decodes again without notes into the same encoding, and every member of
// an object that its type does not declare comes back as sent.
func FuzzDecodeResult(f *testing.F) {
	for _, s := range []string{
		`{"id":"d1","online":1,"status":[{"code":"a","value":true}],"lat":"1"}`, `[{"id":2,"sub":"true"}]`,
		`{"devices":[{"id":"x","active_time":"17"}],"total":"3","has_more":0,"extra":{"a":null}}`,
		`{"logs":[{"event_time":1.7e12,"event_id":"7","value":5}],"has_next":"false"}`,
		`null`, `"x"`, `{"id":{"a":1}}`, `{"uid":"u","uid":7}`, `{"x":1,"x":2}`, `[null,[],{}]`,
		`{"active_time":true,"create_time":"true","biz_type":false,"update_time":""}`,
		`[{"sex":true,"birthday":"","height":"true","weight":false}]`, `{"logs":[{"event_time":true,"event_id":""}]}`,
		`{"id":"a\ud800b","name":"\udc00\ud83d\ude00","uid":"\ufffd"}`,
	} {
		f.Add([]byte(s))
	}
	types := []func() any{
		func() any { return new(Device) }, func() any { return new(DeviceList) }, func() any { return new(UserList) },
		func() any { return new(UserInfo) }, func() any { return new(DeviceLogs) }, func() any { return new([]SubDevice) },
		func() any { return new([]DeviceUser) }, func() any { return new(SyncUserResult) }, func() any { return new(*bool) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		for _, newOut := range types {
			out := newOut()
			decodeResult(data, out)
			first, err := json.Marshal(out)
			if err != nil {
				t.Fatalf("%T of %s: %v", out, data, err)
			}
			again := newOut()
			if notes := decodeResult(first, again); notes != nil {
				t.Fatalf("%T: %s encoded as %s, which decodes with notes %q", out, data, first, notes)
			}
			second, err := json.Marshal(again)
			if err != nil || !bytes.Equal(first, second) {
				t.Fatalf("%T: %s encoded as %s, then %s (%v)", out, data, first, second, err)
			}
			var sent, kept map[string]json.RawMessage
			typ := reflect.TypeOf(out).Elem()
			if typ.Kind() != reflect.Struct || json.Unmarshal(data, &sent) != nil || json.Unmarshal(first, &kept) != nil {
				continue
			}
			fields, _ := structFields(typ)
			for name, raw := range sent {
				if slices.ContainsFunc(fields, func(f field) bool { return f.name == name }) {
					continue
				}
				if utf8.Valid(raw) && !reflect.DeepEqual(numbered(raw), numbered(kept[name])) {
					t.Fatalf("%T: undocumented %q sent as %s, kept as %s", out, name, raw, kept[name])
				}
			}
		}
	})
}

// numbered decodes JSON keeping numbers as written, for comparing values however escaped.
func numbered(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return v
}
