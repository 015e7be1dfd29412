package jsonrpc

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		batch    bool
		items    int    // messages returned
		itemErrs int    // batch items refused
		code     int    // the error answering the whole message, or 0
		id       string // its id, or "" for none
		msg      string // a substring of its message
	}{
		{name: "request", in: `{"jsonrpc":"2.0","id":1,"method":"ping"}`, items: 1},
		{name: "surrounding whitespace", in: " \t{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}\r\n", items: 1},
		{name: "notification", in: `{"jsonrpc":"2.0","method":"notifications/initialized"}`, items: 1},
		{name: "response", in: `{"jsonrpc":"2.0","id":3,"result":{}}`, items: 1},
		{name: "error response", in: `{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"x"}}`, items: 1},
		{name: "escaped pair", in: `{"jsonrpc":"2.0","id":1,"method":"m","params":{"s":"\ud83d\ude00 \\ud800"}}`, items: 1},
		{name: "batch", in: `[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"n"}]`, batch: true, items: 2},
		{name: "batch with bad items", in: `[{"jsonrpc":"2.0","id":null,"method":"ping"},1,{},{"jsonrpc":"2.0","id":2,"method":"ping"}]`,
			batch: true, items: 4, itemErrs: 3},
		{name: "empty", in: " \n", code: CodeParseError, msg: "empty message"},
		{name: "not JSON", in: `not json`, code: CodeParseError, msg: "invalid character 'o' in literal null (expecting 'u') (at offset 2)"},
		{name: "cut", in: `{"id":1`, code: CodeParseError, msg: "unexpected end of JSON input"},
		{name: "two messages", in: `{"id":1,"method":"a"}{"id":2,"method":"b"}`, code: CodeParseError},
		{name: "byte 0xFF", in: "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"m\",\"params\":{\"s\":\"\xff\"}}", code: CodeParseError,
			id: "7", msg: "not valid UTF-8 (byte 0xFF at offset 52)"},
		{name: "byte 0xFF in broken JSON", in: "{\"id\":7,\"s\":\"\xff", code: CodeParseError, msg: "not valid UTF-8"},
		{name: "byte 0xFF in a batch", in: "[{\"id\":7,\"method\":\"m\",\"s\":\"\xff\"}]", code: CodeParseError, msg: "not valid UTF-8"},
		{name: "lone surrogate", in: `{"id":7,"method":"m","params":{"s":"a\udfff"}}`, code: CodeParseError,
			id: "7", msg: `the escape \udfff at offset 37`},
		{name: "high surrogate then a letter", in: `{"id":7,"method":"m","params":{"s":"\ud800\u0041"}}`, code: CodeParseError,
			id: "7", msg: `the escape \ud800`},
		{name: "lone surrogate in a key", in: `{"id":7,"method":"m","params":{"\uD800":1}}`, code: CodeParseError, id: "7"},
		{name: "low then high surrogate", in: `{"id":"s","method":"m","params":{"s":"\uDFFF\uD800"}}`, code: CodeParseError, id: `"s"`},
		{name: "high surrogate then x", in: `{"method":"m","params":{"s":"\ud800x"},"id":8}`, code: CodeParseError, id: "8"},
		{name: "lone surrogate in the id", in: `{"id":"\ud800","method":"m"}`, code: CodeParseError},
		{name: "huge id", in: `{"jsonrpc":"2.0","id":1e400,"method":"ping"}`, code: CodeInvalidRequest, msg: "id 1e400 is beyond"},
		{name: "huge negative id", in: `{"jsonrpc":"2.0","id":-2e308,"method":"ping"}`, code: CodeInvalidRequest, msg: "beyond"},
		{name: "large integer id", in: `{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}`, items: 1},
		{name: "batch with a huge id", in: `[{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","id":1e400,"method":"ping"}]`,
			batch: true, items: 2, itemErrs: 1},
		{name: "initialize in a batch", in: `[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}},{"jsonrpc":"2.0","id":2,"method":"ping"}]`,
			batch: true, items: 2, itemErrs: 1},
		{name: "null id", in: `{"jsonrpc":"2.0","id":null,"method":"ping"}`, code: CodeInvalidRequest, msg: "got null"},
		{name: "boolean id", in: `{"jsonrpc":"2.0","id":false,"method":"ping"}`, code: CodeInvalidRequest, msg: "got a boolean"},
		{name: "number", in: `42`, code: CodeInvalidRequest, msg: "got a number"},
		{name: "empty batch", in: `[ ]`, batch: true, code: CodeInvalidRequest, msg: "empty batch"},
		{name: "no method", in: `{"jsonrpc":"2.0","id":"x"}`, code: CodeInvalidRequest, id: `"x"`},
		{name: "method not a string", in: `{"jsonrpc":"2.0","id":1,"method":["a"]}`, code: CodeInvalidRequest, id: "1",
			msg: "got an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, batch, err := Parse([]byte(tt.in))
			if tt.code != 0 {
				if err == nil || err.Code != tt.code || string(err.ID) != tt.id || !strings.Contains(err.Message, tt.msg) {
					t.Fatalf("error %+v, want code %d, id %q, message with %q", err, tt.code, tt.id, tt.msg)
				}
				return
			}
			if err != nil || batch != tt.batch || len(msgs) != tt.items {
				t.Fatalf("%d messages, batch %v, error %v", len(msgs), batch, err)
			}
			refused := 0
			for _, m := range msgs {
				if m.Err != nil {
					refused++
				}
			}
			if refused != tt.itemErrs {
				t.Errorf("%d items refused, want %d", refused, tt.itemErrs)
			}
		})
	}
}

func TestErrorEncode(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{Code: CodeParseError, Message: "Parse error: x"}, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error: x"}}`},
		{Error{ID: json.RawMessage(`"a"`), Code: CodeInvalidRequest, Message: "m"}, `{"jsonrpc":"2.0","id":"a","error":{"code":-32600,"message":"m"}}`},
	} {
		if got := string(tt.e.Encode()); got != tt.want {
			t.Errorf("%s, want %s", got, tt.want)
		}
	}
}

func TestIDKey(t *testing.T) {
	same := [][2]string{{`7`, `7.0`}, {`7`, `7e0`}, {`"a"`, `"\u0061"`}}
	for _, p := range same {
		if idKey([]byte(p[0])) != idKey([]byte(p[1])) {
			t.Errorf("%s and %s differ", p[0], p[1])
		}
	}
	same = append(same, [2]string{`-0.5`, `-5e-1`}, [2]string{`0`, `-0.0e7`}, [2]string{`1200`, `12e2`}, [2]string{`1.5E+3`, `1500.000`})
	for _, p := range same {
		if idKey([]byte(p[0])) != idKey([]byte(p[1])) {
			t.Errorf("%s and %s differ", p[0], p[1])
		}
	}
	differ := [][2]string{{`7`, `"7"`}, {`"12"`, `12`}, {`123456789012345678901234567890`, `123456789012345678901234567891`},
		{`9007199254740993`, `9007199254740992`}, {`1`, `-1`}, {`0.1`, `1`}}
	for _, p := range differ {
		if idKey([]byte(p[0])) == idKey([]byte(p[1])) {
			t.Errorf("%s and %s are the same id", p[0], p[1])
		}
	}
}

func TestQuoteHugeNumbers(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"a":1e400}`, `{"a":"1e400"}`},
		{`{"a":[1,-1E309,2.5e308,1e308],"b":"1e400"}`, `{"a":[1,"-1E309","2.5e308",1e308],"b":"1e400"}`},
		{`{"s":"x\"1e400","n":123456789012345678901234567890}`, `{"s":"x\"1e400","n":123456789012345678901234567890}`},
		{`{"tiny":1e-400}`, `{"tiny":1e-400}`},
	} {
		if got := string(quoteHugeNumbers([]byte(tt.in))); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestQuotedNumbersListed: the strings the front makes of huge numbers inside a tools/call's
// arguments are listed in params._meta, replacing a client's own list; the rest is kept.
func TestQuotedNumbersListed(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string // the list in _meta, nil for none
		keep     string   // text the message must still hold
	}{
		{"top level", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"name":1e400,"n":1}}}`,
			[]string{"/name"}, `"name":"1e400"`},
		{"nested, escaped keys", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a/b":[0,{"~x":-2e999}],"c":1E309}}}`,
			[]string{"/a~1b/1/~0x", "/c"}, `"~x":"-2e999"`},
		{"a client's list replaced, other _meta kept", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"v":1e400},` +
			`"_meta":{"progressToken":7,"` + QuotedNumbersKey + `":["/other"]}}}`, []string{"/v"}, `"progressToken":7`},
		{"outside the arguments", `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"x":1e400}}}`, nil, `"x":"1e400"`},
		{"no huge number", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"v":1e300}}}`, nil, `"v":1e300`},
	} {
		msgs, _, err := Parse([]byte(tt.in))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var m struct {
			Params struct {
				Meta map[string][]string `json:"_meta"`
			} `json:"params"`
		}
		raw := msgs[0].Raw
		_ = json.Unmarshal(raw, &m)
		got := m.Params.Meta[QuotedNumbersKey]
		if strings.Join(got, " ") != strings.Join(tt.want, " ") || !strings.Contains(string(raw), tt.keep) || !json.Valid(raw) {
			t.Errorf("%s: %s, want the list %q", tt.name, raw, tt.want)
		}
	}
}

func TestReplaceID(t *testing.T) {
	for _, tt := range []struct{ in, id, want string }{
		{`{"jsonrpc":"2.0","id":"tuya-mcp-front-1","result":{"id":2}}`, `123456789012345678901234567890`,
			`{"jsonrpc":"2.0","id":123456789012345678901234567890,"result":{"id":2}}`},
		{`{"result":{"id":2}, "id" : 7 }`, `"a\u0062"`, `{"result":{"id":2}, "id" : "a\u0062" }`},
		{`{"result":{}}`, `1`, `{"result":{}}`},
	} {
		if got := string(replaceID([]byte(tt.in), []byte(tt.id))); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzParse: nothing panics; text that is not UTF-8 is always refused; every answer the front
// writes is valid JSON-RPC with no null id; what it passes on is a valid message.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`, `[{"jsonrpc":"2.0","id":2,"method":"ping"}]`, `{"id":null}`, `[]`, `[1,{}]`,
		"{\"id\":1,\"s\":\"\xff\"}", `{"s":"\ud800\udc00"}`, `{"s":"\\ud800"}`, `{"s":"\ud800"}`, `"x"`, ``, `{"id":1,"method":2}`,
		`{"id":1e400,"method":"ping"}`, `[{"id":3,"method":"ping"},{"id":1e400,"method":"ping"}]`, `{"id":1,"method":"m","params":{"x":-1e400}}`,
		`{"id":"\udc00","method":"m","params":{"s":"\ud800x"}}`, `[{"id":1,"method":"initialize"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, _, err := Parse(data)
		if err != nil {
			checkAnswer(t, err.Encode())
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("accepted text that is not UTF-8: %q", data)
		}
		for _, m := range msgs {
			if m.Err != nil {
				checkAnswer(t, m.Err.Encode())
				continue
			}
			if !json.Valid(m.Raw) || m.ID != nil && checkID(m.ID) != nil || m.Method == "" && m.ID == nil {
				t.Fatalf("passed on %q", m.Raw)
			}
			// mcp-go decodes what it gets into Go values: that must not fail.
			var v any
			if err := json.Unmarshal(m.Raw, &v); err != nil {
				t.Fatalf("passed on %q, which Go cannot decode: %v", m.Raw, err)
			}
		}
	})
}

// checkAnswer checks an error answer of the front.
func checkAnswer(t *testing.T, b []byte) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || !utf8.Valid(b) {
		t.Fatalf("answer %q is not JSON: %v", b, err)
	}
	if id, ok := m["id"]; ok && checkID(id) != nil {
		t.Fatalf("answer %s has id %s", b, id)
	}
	if string(m["jsonrpc"]) != `"2.0"` || m["error"] == nil {
		t.Fatalf("answer %s", b)
	}
}
