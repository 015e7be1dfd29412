package sandbox

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	c := client(t, Options{})
	dev := "/v1.0/devices/" + DemoStripID
	list := "/v1.0/devices" + q("page_no", "1", "page_size", "20", "device_ids", DemoStripID+","+DemoScaleID, "schema", DemoSchema)
	tests := []struct {
		name         string
		method, path string
		body         string
		// What was signed, when it differs from what is sent.
		signMethod, signPath, signBody string
		o                              signed
		secret                         string
		noToken                        bool
		hdr                            func(http.Header)
		want                           int
	}{
		{name: "plain GET", method: "GET", path: dev},
		{name: "GET with {} body", method: "GET", path: dev, body: "{}"},
		{name: "{} body on a GET with a query", method: "GET", path: list, body: "{}"},
		{name: "no nonce header", method: "GET", path: dev, o: signed{noNonce: true}},
		{name: "empty Signature-Headers", method: "GET", path: dev, o: signed{emptySigHeaders: true}},
		{name: "extra signed headers", method: "GET", path: dev,
			o: signed{sigHeaders: [][2]string{{"area_id", "29a33e8796834b1efa6"}, {"call_id", "8afdb70ab2ed11eb85290242ac130003"}}}},
		{name: "query with encoded values", method: "GET", path: list},
		{name: "token call", method: "GET", path: "/v1.0/token?grant_type=1", noToken: true},
		{name: "PUT with body", method: "PUT", path: dev, body: `{"name":"Office Strip"}`},

		{name: "tampered body", method: "PUT", path: dev, body: `{"name":"Evil"}`, signBody: `{"name":"Fine"}`, want: codeSign},
		{name: "tampered query", method: "GET", path: list + "&last_id=x", signPath: list, want: codeSign},
		{name: "tampered query value", method: "GET", path: strings.Replace(list, "page_size=20", "page_size=21", 1), signPath: list, want: codeSign},
		{name: "tampered method", method: "DELETE", path: "/v1.0/devices/" + DemoScaleID, signMethod: "GET", want: codeSign},
		{name: "tampered path", method: "GET", path: "/v1.0/devices/" + DemoScaleID, signPath: dev, want: codeSign},
		{name: "{} body sent, empty body signed", method: "GET", path: dev, body: "{}", signBody: "-", want: codeSign},
		{name: "tampered signed header", method: "GET", path: dev,
			o:   signed{sigHeaders: [][2]string{{"area_id", "a"}}},
			hdr: func(h http.Header) { h.Set("area_id", "b") }, want: codeSign},
		{name: "unlisted header change is fine", method: "GET", path: dev,
			o:   signed{sigHeaders: [][2]string{{"area_id", "a"}}},
			hdr: func(h http.Header) { h.Set("call_id", "b") }},
		{name: "wrong secret", method: "GET", path: dev, secret: "0123456789abcdef0123456789abcdef", want: codeSign},
		{name: "wrong secret on token call", method: "GET", path: "/v1.0/token?grant_type=1", noToken: true, secret: "x", want: codeSign},
		{name: "token call signed with a token", method: "GET", path: "/v1.0/token?grant_type=1", noToken: true,
			o: signed{token: "0123"}, want: codeSign},
		{name: "lower-case sign", method: "GET", path: dev,
			hdr: func(h http.Header) { h.Set("sign", strings.ToLower(h.Get("sign"))) }, want: codeSign},
		{name: "sign_method HMAC-MD5", method: "GET", path: dev,
			hdr: func(h http.Header) { h.Set("sign_method", "HMAC-MD5") }, want: codeSign},
		{name: "no sign", method: "GET", path: dev, hdr: func(h http.Header) { h.Del("sign") }, want: codeSign},
		{name: "stale t", method: "GET", path: dev, o: signed{t: testEpoch.Add(-6 * time.Minute)}, want: codeTime},
		{name: "future t", method: "GET", path: dev, o: signed{t: testEpoch.Add(6 * time.Minute)}, want: codeTime},
		{name: "t 4 minutes off is fine", method: "GET", path: dev, o: signed{t: testEpoch.Add(-4 * time.Minute)}},
		{name: "t in seconds", method: "GET", path: dev,
			hdr: func(h http.Header) { h.Set("t", h.Get("t")[:10]) }, want: codeTime},
		{name: "no t", method: "GET", path: dev, hdr: func(h http.Header) { h.Del("t") }, want: codeTime},
		{name: "wrong client_id", method: "GET", path: dev, hdr: func(h http.Header) { h.Set("client_id", "someoneelse") }, want: codeClientID},
		{name: "client_id checked before t", method: "GET", path: dev, o: signed{t: testEpoch.Add(-time.Hour)},
			hdr: func(h http.Header) { h.Del("client_id") }, want: codeClientID},
		{name: "t checked before token", method: "GET", path: dev, o: signed{t: testEpoch.Add(-time.Hour)}, noToken: true, want: codeTime},
		{name: "no token", method: "GET", path: dev, noToken: true, want: codeToken},
		{name: "unknown token", method: "GET", path: dev, noToken: true, o: signed{token: "00000000000000000000000000000000"}, want: codeToken},
		{name: "token checked before sign", method: "GET", path: dev, noToken: true, secret: "x", want: codeToken},
		{name: "unknown path", method: "GET", path: "/v1.0/devicez", want: codePath},
		{name: "unknown version", method: "GET", path: "/v2.0/devices/" + DemoStripID, want: codePath},
		{name: "wrong method on a known path", method: "POST", path: "/v1.0/devices" + q("page_no", "1", "page_size", "1"), want: codePath},
		{name: "HEAD", method: "HEAD", path: dev, want: -1},
		{name: "trailing slash", method: "GET", path: dev + "/", want: codePath},
		{name: "double slash", method: "GET", path: "/v1.0//devices/" + DemoStripID, want: codePath},
		{name: "body over 1 MiB", method: "PUT", path: dev, body: `{"name":"` + strings.Repeat("a", maxBody) + `"}`, want: codeIllegal},
		{name: "malformed query", method: "GET", path: dev + "?a=%zz", want: codeIllegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signMethod, signPath, signBody := or(tt.signMethod, tt.method), or(tt.signPath, tt.path), or(tt.signBody, tt.body)
			if signBody == "-" {
				signBody = ""
			}
			o := tt.o
			if o.t.IsZero() {
				o.t = c.clk.Now()
			}
			if !tt.noToken {
				o.token = c.token
			}
			if o.nonce == "" && !o.noNonce {
				o.nonce = "0d8ecd8a-1a9b-4a5f-a4a7-6cbc0b5e8c51"
			}
			ts := c.ts
			if tt.secret != "" {
				ts.secret = tt.secret
			}
			req, err := http.NewRequest(tt.method, c.srv.URL+tt.path, bytes.NewReader([]byte(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = ts.sign(signMethod, c.srv.URL+signPath, []byte(signBody), o)
			if tt.hdr != nil {
				tt.hdr(req.Header)
			}
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == -1 { // HEAD: no body can come back, only the status
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				return
			}
			env := c.decode(resp)
			if len(env.Tid) != 32 || strings.Trim(env.Tid, "0123456789abcdef") != "" {
				t.Errorf("tid %q is not 32 hex digits", env.Tid)
			}
			if env.T != c.clk.Now().UnixMilli() {
				t.Errorf("t = %d, want %d", env.T, c.clk.Now().UnixMilli())
			}
			switch {
			case tt.want == 0 && !env.Success:
				t.Fatalf("rejected: %d %s", env.Code, env.Msg)
			case tt.want != 0 && (env.Success || env.Code != tt.want):
				t.Fatalf("got success=%v code %d %q, want %d", env.Success, env.Code, env.Msg, tt.want)
			}
		})
	}
	// The rejected writes changed nothing.
	if d, _ := c.srv.Device(DemoStripID); d.Name == "Evil" {
		t.Error("a tampered body renamed the device")
	}
	if _, ok := c.srv.Device(DemoScaleID); !ok {
		t.Error("a request signed as GET deleted a device")
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestVerifyOtherCredentials checks that Options credentials replace the demo ones.
func TestVerifyOtherCredentials(t *testing.T) {
	srv, clk := start(t, Options{AccessID: "myprojectid", AccessSecret: "myprojectsecret"})
	c := newTC(t, srv, clk)
	c.fail(codeClientID, "GET", "/v1.0/token?grant_type=1", nil)
	c.ts = testSigner{"myprojectid", "myprojectsecret"}
	c.grant()
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		path, rawQuery, want string
	}{
		{"/v1.0/devices", "", "/v1.0/devices"},
		{"/v1.0/devices", "page_size=20&page_no=1", "/v1.0/devices?page_no=1&page_size=20"},
		{"/v1.0/devices", "device_ids=a%2Cb&Z=1&a=", "/v1.0/devices?Z=1&a=&device_ids=a,b"},
		{"/v1.0/x", "k=2&k=1", "/v1.0/x?k=2&k=1"},
		{"/v1.0/x", "name=a+b%26c", "/v1.0/x?name=a b&c"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("GET", "http://h"+tt.path+"?"+tt.rawQuery, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalURL(req.URL.EscapedPath(), req.URL.Query()); got != tt.want {
			t.Errorf("canonicalURL(%s?%s) = %q, want %q", tt.path, tt.rawQuery, got, tt.want)
		}
	}
}

// TestSignVector checks the verifier against signatures computed outside Go (Python's hmac),
// so that verifier and test signer cannot drift together.
func TestSignVector(t *testing.T) {
	at := time.UnixMilli(1748779200000)
	s := New(Options{Now: func() time.Time { return at }})
	const token = "3f8a1b2c3d4e5f60718293a4b5c6d7e8"
	s.tokens.access[token] = &tokenPair{access: token, expires: at.Add(time.Hour)}
	tests := []struct {
		name, method, url, body, token, sign string
		headers                              map[string]string
	}{
		{name: "token call", method: "GET", url: "/v1.0/token?grant_type=1",
			headers: map[string]string{"nonce": "nonce1"},
			sign:    "62F9EEEB201DED4AB85368BE35367D06D943617C41DA3B1EBDA4A52FE9E5C684"},
		{name: "business call with signed headers", method: "PUT", url: "/v1.0/devices/abc?device_ids=x%2Cy&b=2",
			body: `{"name":"Desk"}`, token: token,
			headers: map[string]string{"Signature-Headers": "area_id:call_id", "area_id": "29a33e8796834b1efa6", "call_id": "8afdb70a"},
			sign:    "696076D551F7B75F62E2E11407659A65735FD689D4F738A050450F9F0CBD4D5B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			req.Header.Set("client_id", DemoAccessID)
			req.Header.Set("t", "1748779200000")
			req.Header.Set("sign_method", "HMAC-SHA256")
			req.Header.Set("sign", tt.sign)
			req.Header.Set("access_token", tt.token)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rt, _ := s.routes.match(req.Method, req.URL.EscapedPath())
			if err := s.verify(req, []byte(tt.body), req.URL.Query(), rt, at); err != nil {
				t.Fatalf("verify: %v", err)
			}
			req.Header.Set("sign", tt.sign[:63]+"0")
			if err := s.verify(req, []byte(tt.body), req.URL.Query(), rt, at); err != errSignInvalid {
				t.Fatalf("verify with a changed sign: %v, want 1004", err)
			}
		})
	}
}
