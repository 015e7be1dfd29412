package client

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"success":true,"result":{"uid":"ay1"},"t":1591872112140,"tid":"0123"}`,
		`{"success":true,"result":true,"t":1}`,
		`{"success":true,"result":"5121231"}`,
		`{"success":true,"result":[{"id":"a"}]}`,
		`{"success":true,"result":{"id":7,"status":[{"code":1}]}}`,
		`{"result":{"id":"d"},"success":true,"result":{"name":"n"}}`,
		`{"success":false,"code":500,"result":{"id":"junk"}}`,
		`{"success":false,"code":1004,"msg":"sign invalid","t":1658384161392,"tid":"ab"}`,
		`{"success":false,"code":"1010","msg":null}`,
		`{"success":false,"code":1.5}`,
		`{"success":"true"}`,
		`{"result":1}`,
		` {"success":false,"code":28841101,"msg":"No permissions. This API is not subscribed."} `,
		`[]`, `null`, `<html>`, ``, `{`,
		// Metadata as gateways and SDKs send it.
		`{"success":true,"result":{"id":"d1"},"t":1,"tid":12345}`,
		`{"success":true,"result":true,"tid":{"a":[1]},"msg":404,"code":"x"}`,
		`{"success":"false","code":"2010","msg":"device not exist"}`,
		`{"success":0,"code":" 2010 ","msg":{"en":"device not exist"}}`,
		`{"success":1,"result":{"id":"d1"}}`,
		`{"success":false,"code":"2010.0"}`,
		`{"success":false,"errorCode":"1004","errorMsg":"sign invalid"}`,
		`{"success":false,"msg":"no code at all"}`,
		`{"success":true,"result":{}} trailing`,
		`{"success":true,"result":NaN}`,
		`{"success":true,"result":"\ud800"}`,
		"\xef\xbb\xbf{\"success\":true,\"result\":1}",
		strings.Repeat(`{"a":`, 10001) + `1` + strings.Repeat(`}`, 10001),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var result any
		env, notes, err := parseEnvelope(data, &result)
		if err != nil {
			// Errors are in words, not Go's.
			if m := err.Error(); strings.Contains(m, "json") || strings.Contains(m, "Go ") || strings.Contains(m, "unmarshal") {
				t.Fatalf("error in Go's words: %q", m)
			}
			return
		}
		if notes != nil {
			t.Fatalf("a result decoded into any cannot be of the wrong type: %q", notes)
		}
		if !env.Success && result != nil {
			t.Fatalf("failure envelope left result %v", result)
		}
		// What parsed must survive a round trip through the cloud's own shape.
		shape := map[string]any{"success": env.Success, "result": result, "msg": env.Msg, "tid": env.Tid}
		if env.HasCode {
			shape["code"] = env.Code
		}
		out, merr := json.Marshal(shape)
		if merr != nil {
			if !utf8.Valid(data) {
				return
			}
			t.Fatalf("re-marshal: %v", merr)
		}
		var again any
		envAgain, _, err := parseEnvelope(out, &again)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if envAgain != env || !reflect.DeepEqual(again, result) {
			t.Fatalf("round trip changed %+v (result %#v) into %+v (result %#v)", env, result, envAgain, again)
		}
		// A typed result sees the same envelope, and notes only for a success's result.
		var d Device
		envDevice, notes, err := parseEnvelope(data, &d)
		if err != nil || envDevice != env {
			t.Fatalf("decoding into a Device changed the envelope: %+v, %v; want %+v", envDevice, err, env)
		}
		if notes != nil && !env.Success {
			t.Fatalf("failure envelope reported notes: %q", notes)
		}
	})
}

// FuzzRequestPath checks that any id but a blank one or a dot segment reaches the wire as one
// path segment that is not a dot segment, that the path the client signs is exactly what a
// server sees, and that the server decodes the id unchanged.
func FuzzRequestPath(f *testing.F) {
	for _, s := range []string{"bf123", "dev 1/ä?", "a%2Fb", "..", "a;b,c", "x#y", "+", "%", "\x00", "é/../"} {
		f.Add(s, "q v&x=y")
	}
	c, err := New(Config{AccessID: "i", AccessSecret: "s", Endpoint: "http://127.0.0.1:1/prefix"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id, qv string) {
		o, err := newOp("GET", "/v1.0/devices/{device_id}/users/{user_id}", id, "u1")
		if err != nil {
			if strings.TrimSpace(id) != "" && id != "." && id != ".." {
				t.Fatalf("newOp(%q): %v", id, err)
			}
			return
		}
		o.query = url.Values{"codes": {qv}}
		req, signed, err := c.newRequest(t.Context(), o, nil)
		if err != nil {
			t.Fatalf("newRequest(%q): %v", id, err)
		}
		if signed != o.path {
			t.Fatalf("signed path %q, op path %q", signed, o.path)
		}
		// What the server parses from the request line.
		srv, err := url.ParseRequestURI(req.URL.RequestURI())
		if err != nil {
			t.Fatalf("server cannot parse %q: %v", req.URL.RequestURI(), err)
		}
		if got := strings.TrimPrefix(srv.EscapedPath(), "/prefix"); got != signed {
			t.Fatalf("server sees path %q, client signed %q", got, signed)
		}
		segs := strings.Split(strings.TrimPrefix(signed, "/"), "/")
		if len(segs) != 5 || segs[2] == "." || segs[2] == ".." {
			t.Fatalf("id %q split the path or made a dot segment: %q", id, signed)
		}
		if got, err := url.PathUnescape(segs[2]); err != nil || got != id {
			t.Fatalf("server decodes id %q, want %q (%v)", got, id, err)
		}
		if got := srv.Query(); !reflect.DeepEqual(got, o.query) {
			t.Fatalf("server decodes query %v, want %v", got, o.query)
		}
	})
}
