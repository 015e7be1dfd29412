package sandbox

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// validName reports whether a fuzzed header name can be signed without clashing with the
// protocol's own headers.
func validName(n string) bool {
	if n == "" || strings.Trim(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
		return false
	}
	switch strings.ToLower(n) {
	case "client_id", "t", "sign", "sign_method", "nonce", "access_token", "signature-headers", "content-type":
		return false
	}
	return true
}

// FuzzVerify checks the verifier against the independent test signer: whatever the method,
// path, query, body, signed headers and nonce, a correctly signed request passes, and the same
// request with one thing changed after signing fails with 1004.
func FuzzVerify(f *testing.F) {
	f.Add("GET", "/v1.0/devices/abc", "page_no=1&page_size=20", []byte(""), "area_id:call_id", "5138cc3a", false, uint8(0))
	f.Add("GET", "/v1.0/token", "grant_type=1", []byte("{}"), "", "", true, uint8(1))
	f.Add("PUT", "/v1.0/devices/a%2Fb", "", []byte(`{"name":"x"}`), "", "n", false, uint8(2))
	f.Add("POST", "/v1.0/apps/x/user", "b=2&a=1&a=0&c=%20", []byte(`{"country_code":"86"}`), "x", "", false, uint8(3))
	f.Add("DELETE", "/v1.0/devices/é", "k=v%26w", []byte(nil), "a:b:c", "nonce\n", false, uint8(4))
	at := time.UnixMilli(1748779200000)
	s := New(Options{Now: func() time.Time { return at }})
	const token = "3f8a1b2c3d4e5f60718293a4b5c6d7e8"
	s.tokens.access[token] = &tokenPair{access: token, expires: at.Add(time.Hour)}
	ts := testSigner{DemoAccessID, DemoAccessSecret}
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, body []byte, names, nonce string, tokenCall bool, change uint8) {
		u, err := url.Parse("http://h" + path)
		if err != nil || u.Host != "h" || u.RawQuery != "" || u.Fragment != "" {
			t.Skip()
		}
		u.RawQuery = rawQuery
		query, err := url.ParseQuery(rawQuery)
		if err != nil || method == "" {
			t.Skip()
		}
		o := signed{t: at, nonce: nonce, noNonce: nonce == ""}
		if !tokenCall {
			o.token = token
		}
		for n := range strings.SplitSeq(names, ":") {
			if validName(n) {
				// Names are case-insensitive: a repeated name must sign one value.
				o.sigHeaders = append(o.sigHeaders, [2]string{n, "v-" + http.CanonicalHeaderKey(n)})
			}
		}
		req := &http.Request{Method: method, URL: u, Header: ts.signURL(method, u, body, o)}
		rt := &route{token: tokenCall}
		if err := s.verify(req, body, query, rt, at); err != nil {
			t.Fatalf("a signed request failed: %v", err)
		}
		switch change % 5 {
		case 0:
			body = append(body, ' ')
		case 1:
			query.Add("extra", "1")
		case 2:
			req.Method += "X"
		case 3:
			req.Header.Set("nonce", nonce+"x")
		case 4:
			req.URL = &url.URL{Path: u.Path + "x"}
		}
		if err := s.verify(req, body, query, rt, at); !errors.Is(err, errSignInvalid) {
			t.Fatalf("change %d: err %v, want 1004", change%5, err)
		}
	})
}

// FuzzRequest feeds arbitrary paths, queries and bodies to every operation: each answer is a
// result or a documented *apiError, never a panic or another error, and matched routes give
// back their parameters. Reads share the demo store; each write gets a fresh one, so that
// every input meets the same state.
func FuzzRequest(f *testing.F) {
	now := testEpoch
	f.Add("GET", "/v1.0/devices/"+DemoStripID+"/logs", "type=1,7&end_time="+millis(now)+"&size=5", []byte(nil))
	f.Add("GET", "/v1.0/devices/"+DemoStripID+"/logs", "type=7&end_time="+millis(now)+"&query_type=2&last_row_key=a_1_2_3", []byte(nil))
	f.Add("GET", "/v1.0/devices/"+DemoStripID+"/logs", "type=7&end_time="+millis(now)+"&start_row_key=YV8xXzJfMw==", []byte(nil))
	f.Add("GET", "/v1.0/devices", "page_no=1&page_size=3&last_id=bf&start_time="+secs(now.Add(-day))+"&end_time="+secs(now), []byte(nil))
	f.Add("GET", "/v2.0/apps/demoapp/users", "page_no=2&page_size=0&start_time=1700000000&end_time=1700000001", []byte(nil))
	f.Add("GET", "/v1.0/users/"+DemoUserUID+"/devices", "from=sharing&page_size=1", []byte(nil))
	f.Add("GET", "/v1.0/devices/factory-infos", "device_ids=,,"+DemoStripID, []byte(nil))
	f.Add("POST", "/v1.0/apps/demoapp/user", "", []byte(`{"country_code":"86","username":"a@b.c","password":"x","username_type":2}`))
	f.Add("POST", "/v1.0/devices/"+DemoScaleID+"/user", "", []byte(`{"nick_name":"a","sex":1,"height":1e3}`))
	f.Add("PUT", "/v1.0/devices/"+DemoScaleID+"/users/"+DemoScaleUserID, "", []byte(`{"nick_name":"a","sex":2,"weight":null}`))
	f.Add("PUT", "/v1.0/devices/"+DemoStripID+"/multiple-name", "", []byte(`{"identifier":"switch_1","name":"n"}`))
	f.Add("PUT", "/v1.0/devices/"+DemoStripID+"/functions/switch_1", "", []byte(`{"name":1}`))
	f.Add("PUT", "/v1.0/devices/"+DemoGatewayID+"/reset-factory", "", []byte(`[]`))
	f.Add("DELETE", "/v1.0/devices/"+DemoSubDeviceID, "", []byte(`{}`))
	f.Add("GET", "/v1.0/token/abc", "grant_type=1", []byte(nil))
	f.Add("POST", "/v1.0/devices/"+DemoLampID+"/commands", "", []byte(`{"commands":[{"code":"colour_data_v2","value":{"h":1}},{"code":"bright_value_v2","value":1e2}]}`))
	f.Add("POST", "/v1.0/devices/"+DemoGatewayID+"/commands", "", []byte(`{"commands":[{"code":null},{"code":"alarm_active","value":"\u00e9"}]}`))
	f.Add("GET", "/v1.0/devices/"+DemoClimateSensorID+"/specifications", "", []byte(nil))
	f.Add("GET", "/v1.0/functions/dj", "", []byte(nil))
	s := New(Options{Now: func() time.Time { return now }})
	s.mu.Lock() // held by New until the demo data is built
	pristine := s.st
	s.mu.Unlock()
	f.Fuzz(func(t *testing.T, method, path, rawQuery string, body []byte) {
		rt, params := s.routes.match(method, path)
		if rt == nil {
			return
		}
		filled := rt.pattern
		for k, v := range params {
			filled = strings.Replace(filled, "{"+k+"}", url.PathEscape(v), 1)
		}
		if again, _ := s.routes.match(method, filled); again != rt {
			t.Fatalf("%s %s matched %s, but its filled pattern %s does not", method, path, rt.pattern, filled)
		}
		query, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		c := &call{params: params, query: query, body: body, now: now}
		s.mu.Lock()
		defer s.mu.Unlock()
		if method != "GET" {
			s.st = demoStore(now)
			defer func() { s.st = pristine }()
		}
		_, err = rt.h(s, c)
		var ae *apiError
		if err != nil && !errors.As(err, &ae) {
			t.Fatalf("%s %s: error %v is not an API error", method, path, err)
		}
	})
}
