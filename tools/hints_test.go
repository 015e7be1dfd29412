package tools

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// errorTable is Tuya's global error table and the subscription codes, with their documented
// messages (tuya-protocol.md, "Error codes").
var errorTable = map[int]string{
	500: "system error, please contact the admin", 1000: "data not exist", 1001: "secret invalid",
	1002: "access_token is null", 1003: "grant type invalid", 1004: "sign invalid", 1005: "clientId invalid",
	1006: "not support content type", 1007: "not support key", 1008: "invalid access", 1010: "token is expired",
	1011: "token invalid", 1012: "token status is invalid", 1013: "request time is invalid", 1100: "param is empty",
	1101: "params range invalid", 1102: "param is null", 1103: "commands issue error", 1104: "type is incorrect",
	1105: "missing the header", 1106: "permission deny", 1107: "code invalid", 1108: "uri path invalid",
	1109: "param is illegal, please check it", 1110: "concurrent request over limit",
	1111: "system is busy, please retry later", 1112: "the user is syncing in the background, please try again later",
	1113: "do not repeat the operation in a short time", 1114: "your ip(1.2.3.4) don't have access to this API",
	1199: "your requests are too frequent", 1400: "token invalid", 2001: "device is offline",
	2002: "this user doesn't have any devices", 2003: "function not support", 2004: "not support the lock type",
	2005: "product not exist", 2006: "user not exist", 2007: "device token expired", 2008: "command or value not support",
	2009: "not support this device", 2010: "device not exist", 2012: "application not support", 2013: "add timer failed",
	2014: "this device doesn't have any timers", 2015: "this category is not supported",
	2016: "remote control is removed or does not exist", 2017: "schema does not exist", 2018: "data decrypt failed",
	2019: "time over two hours", 2020: "only third-party clouds are supported", 2021: "illegal email", 2022: "illegal phone",
	2023: "user exist", 2024: "device file path is not standardized", 2025: "device and file path mismatch",
	2026: "ip failed to get", 2027: "size too large", 2401: "username or password wrong", 2402: "country code invalid",
	2403: "country code not supported in this data centre", 2405: "ticket invalid", 28841001: "No permissions",
	28841002: "No permissions. Your subscription to cloud development plan has expired.",
	28841004: "No permissions. Your quota of Trial Edition is used up.",
	28841101: "No permissions. This API is not subscribed.",
	28841105: "No permissions. This project is not authorized to call this API.",
	28841106: "No permissions. This API is not subscribed.",
}

// TestEveryCodeExplained walks every code of the error table through a tool and requires
// advice of its own, not the fallback for unknown codes.
func TestEveryCodeExplained(t *testing.T) {
	const fallback = "see the message"
	for code, msg := range errorTable {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFakeCloud(t, failEnvelope(code, msg, "t1"))
			res := callTool(t, newServer(t, f.URL, Options{}), "device_log_list", map[string]any{"device_id": "d1"})
			text := ResultText(res)
			prefix := fmt.Sprintf("Tuya error %d (%s) on GET /v1.0/devices/{device_id}/logs: ", code, msg)
			if !res.IsError || !strings.HasPrefix(text, prefix) || strings.Contains(text, fallback) ||
				len(strings.TrimPrefix(text, prefix)) < 20 {
				t.Errorf("%q, want advice after %q", text, prefix)
			}
		})
	}
}

// rawServer serves MCP over a client of a cloud that answers every request, token requests
// included, with answer.
func rawServer(t *testing.T, answer http.HandlerFunc, cfg func(*client.Config)) *mcpclient.Client {
	t.Helper()
	cloud := httptest.NewServer(answer)
	t.Cleanup(cloud.Close)
	cc := client.Config{AccessID: "id", AccessSecret: "secret", Endpoint: cloud.URL, MaxAttempts: 1, MaxRateLimited: 1}
	if cfg != nil {
		cfg(&cc)
	}
	c, err := client.New(cc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	s, err := NewServer(c, Options{CallTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, s)
}

// tokenThen grants tokens and answers the business requests with answer.
func tokenThen(answer http.HandlerFunc) http.HandlerFunc {
	grant := okEnvelope(`{"access_token":"at","refresh_token":"rt","expire_time":"7200","uid":"u"}`)
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1.0/token") {
			grant(w, r)
			return
		}
		answer(w, r)
	}
}

func status(code int, contentType, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// TestAdviceFollowsTheAnswer checks advice that depends on more than the code: the cloud's
// message, which request failed, and answers that are not Tuya envelopes or never came.
func TestAdviceFollowsTheAnswer(t *testing.T) {
	short := func(cfg *client.Config) { cfg.RequestTimeout = 150 * time.Millisecond }
	tests := []struct {
		name   string
		answer http.HandlerFunc
		cfg    func(*client.Config)
		want   []string
		not    []string
	}{
		{name: "1110 about something else", answer: tokenThen(failEnvelope(1110, "illegal param", "t")),
			want: []string{"Tuya error 1110 (illegal param)", `reads as code 1109 ("param is illegal, please check it"): a parameter is not valid`},
			not:  []string{"rate limited"}},
		{name: "1106 about the IP allowlist", answer: tokenThen(failEnvelope(1106, "your ip(9.9.9.9) don't have access to this API", "t")),
			want: []string{"reads as code 1114", "allowlist"}, not: []string{"app schema"}},
		{name: "2010 about an offline device", answer: tokenThen(failEnvelope(2010, "Device is offline", "t")),
			want: []string{"reads as code 2001", "the device is offline"}, not: []string{"check device_id"}},
		{name: "28841105 about a busy system", answer: tokenThen(failEnvelope(28841105, "system busy", "t")),
			want: []string{"reads as code 1111", "busy: retry later"}, not: []string{"authorise"}},
		{name: "1000 about a subscription", answer: tokenThen(failEnvelope(1000, "No permissions. This API is not subscribed.", "t")),
			want: []string{"reads as code 28841101", "subscribe to IoT Core"}, not: []string{"does not exist"}},
		{name: "2001 in other words", answer: tokenThen(failEnvelope(2001, "the device went OFFLINE", "t")),
			want: []string{"the device is offline: it must be powered"}, not: []string{"reads as"}},
		{name: "a message no code uses keeps the code's meaning", answer: tokenThen(failEnvelope(2001, "未知错误", "t")),
			want: []string{"the device is offline: it must be powered"}, not: []string{"act on the message", "reads as"}},
		{name: "2010 in Chinese", answer: tokenThen(failEnvelope(2010, "设备不存在", "t")),
			want: []string{"check device_id"}, not: []string{"act on the message"}},
		{name: "2010 in German", answer: tokenThen(failEnvelope(2010, "Gerät existiert nicht", "t")),
			want: []string{"check device_id"}, not: []string{"act on the message"}},
		{name: "1106 in Chinese", answer: tokenThen(failEnvelope(1106, "权限不足", "t")),
			want: []string{"permission denied"}, not: []string{"act on the message"}},
		{name: "1004 in Japanese", answer: tokenThen(failEnvelope(1004, "署名が無効です", "t")),
			want: []string{"the signature was refused"}, not: []string{"act on the message"}},
		{name: "28841105 in Chinese", answer: tokenThen(failEnvelope(28841105, "该项目无权调用此接口", "t")),
			want: []string{"authorise the IoT Core service"}, not: []string{"act on the message"}},
		{name: "1110 in no code's words is not a rate limit", answer: tokenThen(failEnvelope(1110, "请求失败", "t")),
			want: []string{`does not say "concurrent request over limit", what this code usually means: act on the message`}, not: []string{"rate limited"}},
		{name: "code 0 on a read reads the message", answer: tokenThen(failEnvelope(0, "device not exist", "t")),
			want: []string{`reads as code 2010`, "check device_id"}, not: []string{"write was not confirmed"}},
		{name: "code 0 in no code's words", answer: tokenThen(failEnvelope(0, "oops", "t")),
			want: []string{"Tuya error 0 (oops) on GET /v1.0/devices/{device_id}. (tid t)"}, not: []string{"write was not confirmed"}},
		{name: "no code, a message that reads as one", answer: tokenThen(status(200, "application/json", `{"success":false,"msg":"device not exist"}`)),
			want: []string{"refused without an error code on GET /v1.0/devices/{device_id}: device not exist: the message reads as code 2010"}},
		{name: "500 bad gateway", answer: tokenThen(failEnvelope(500, "bad gateway", "t")),
			want: []string{"the cloud failed temporarily: retry later"}, not: []string{"act on the message", "reads as"}},
		{name: "500 service unavailable", answer: tokenThen(failEnvelope(500, "Service Unavailable", "t")),
			want: []string{"the cloud failed temporarily: retry later"}, not: []string{"act on the message", "reads as"}},
		{name: "1110 rate limit", answer: tokenThen(failEnvelope(1110, "concurrent request over limit", "t")),
			want: []string{"rate limited: slow down"}},
		{name: "1199 in other words", answer: tokenThen(failEnvelope(1199, "Request Too Frequently", "t")),
			want: []string{"rate limited"}},
		{name: "28841105 without its period", answer: tokenThen(failEnvelope(28841105, "No permissions. This project is not authorized to call this API", "t")),
			want: []string{"authorise the IoT Core service for the project"}, not: []string{"reads as"}},
		{name: "28841105 with a trailing space, other case", answer: tokenThen(failEnvelope(28841105, "no permissions.  THIS project is not authorized to call this API. ", "t")),
			want: []string{"authorise the IoT Core service for the project"}, not: []string{"reads as"}},
		{name: "28841105 names the service", answer: tokenThen(failEnvelope(28841105, "No permissions. This project is not authorized to call this API.", "t")),
			want: []string{"authorise the IoT Core service for the project"}},
		{name: "1114 on the token request", answer: failEnvelope(1114, "your ip(203.0.113.9) don't have access to this API", "t"),
			want: []string{"on GET /v1.0/token", "the request for an access token was refused", "public IP address to the allowlist", "remove the allowlist"}},
		{name: "1004 on the token request", answer: failEnvelope(1004, "sign invalid", "t"),
			want: []string{"the request for an access token was refused: the signature was refused"}},
		{name: "502", answer: tokenThen(status(502, "text/plain", "bad gateway")),
			want: []string{"HTTP 502", "did not answer in time", "transient: retry later"}, not: []string{"Check the endpoint"}},
		{name: "503", answer: tokenThen(status(503, "", "")), want: []string{"HTTP 503", "did not answer in time"}, not: []string{"Check the endpoint"}},
		{name: "504 html", answer: tokenThen(status(504, "text/html", "<html>timeout</html>")), want: []string{"HTTP 504", "did not answer in time"}},
		{name: "408 with an empty body", answer: tokenThen(status(408, "", "")), want: []string{"HTTP 408", "did not answer in time", "retry later"},
			not: []string{"Check the endpoint", "check the endpoint"}},
		{name: "503 asking for ten minutes", answer: tokenThen(status(503, "", "", "Retry-After", "600")),
			want: []string{"HTTP 503", "asked to wait 10 minutes: retry after that"}},
		{name: "503 asking for an hour by date", answer: tokenThen(status(503, "", "", "Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))),
			want: []string{"HTTP 503", "asked to wait 60 minutes: retry after that"}},
		{name: "429 asking for 90 seconds", answer: tokenThen(status(429, "", "", "Retry-After", "90")),
			want: []string{"HTTP 429", "asked to wait 90 s"}},
		{name: "redirect", answer: status(302, "", "", "Location", "https://login.example.com/"),
			want: []string{"redirected to https://login.example.com/", "Check the endpoint"}},
		{name: "HTML page", answer: tokenThen(status(200, "text/html; charset=utf-8", "<html><body>Sign in</body></html>")),
			want: []string{"HTML page", "proxy"}},
		{name: "HTML page without a content type", answer: tokenThen(status(404, "", "<!DOCTYPE html><html></html>")),
			want: []string{"HTML page"}},
		{name: "no answer to the call", answer: tokenThen(hang), cfg: short,
			want: []string{"the call (GET /v1.0/devices/{device_id}) got no answer within its 150ms limit"}},
		{name: "no answer to the token request", answer: hang, cfg: short,
			want: []string{"the request for an access token (GET /v1.0/token) got no answer within its 150ms limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := callTool(t, rawServer(t, tt.answer, tt.cfg), "device_get", map[string]any{"device_id": "d1"})
			text := ResultText(res)
			if !res.IsError {
				t.Fatalf("not an error: %s", text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(text, n) {
					t.Errorf("%q contains %q", text, n)
				}
			}
		})
	}
}

// TestAdviceFollowsTheMessage sends every code of the error table with every code's documented
// message. With its own message a code keeps its advice; with another's the advice is the other
// code's (or the same, when both mean the same). 1110 and 1199 follow the client's reading.
func TestAdviceFollowsTheMessage(t *testing.T) {
	answer := func(w http.ResponseWriter, r *http.Request) {
		// The device id is "code-message code".
		var code, of int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/v1.0/devices/"), "%d-%d", &code, &of)
		failEnvelope(code, errorTable[of], "t")(w, r)
	}
	for code, h := range codeHints() {
		if _, ok := errorTable[code]; !ok || len(h.about) == 0 {
			t.Errorf("code %d: not in the error table, or without the words of its messages", code)
		}
	}
	c := rawServer(t, tokenThen(answer), nil)
	advice := func(code, of int) string {
		text := ResultText(callTool(t, c, "device_get", map[string]any{"device_id": fmt.Sprintf("%d-%d", code, of)}))
		_, after, ok := strings.Cut(text, fmt.Sprintf("(%s) on GET /v1.0/devices/{device_id}: ", errorTable[of]))
		if !ok {
			t.Fatalf("%d with %q: %s", code, errorTable[of], text)
		}
		return after
	}
	own := map[int]string{}
	for code := range errorTable {
		own[code] = advice(code, code)
		if strings.Contains(own[code], "act on the message") || strings.Contains(own[code], "reads as") {
			t.Errorf("%d with its own message: %s", code, own[code])
		}
	}
	for code := range errorTable {
		for of, msg := range errorTable {
			got, want := advice(code, of), own[of]
			if (&client.APIError{Code: code, Msg: msg}).RateLimited() {
				want = own[code]
			}
			if !strings.HasSuffix(got, want) {
				t.Errorf("%d with %q: %s\nwant the advice of %d: %s", code, msg, got, of, want)
			}
		}
	}
}

// TestWriteWithoutResult: a write answered success with result true, null or missing is done;
// false is not.
func TestWriteWithoutResult(t *testing.T) {
	tests := []struct {
		envelope string
		ok       bool
	}{
		{`{"success":true,"result":true,"tid":"t"}`, true},
		{`{"success":true,"result":null,"tid":"t"}`, true},
		{`{"success":true,"tid":"t"}`, true},
		{`{"success":true,"result":1,"tid":"t"}`, true},
		{`{"success":true,"result":"true","tid":"t"}`, true},
		{`{"success":true,"result":false,"tid":"t"}`, false},
		{`{"success":true,"result":0,"tid":"t"}`, false},
	}
	for _, tt := range tests {
		for tool, args := range map[string]map[string]any{
			"device_rename":      {"device_id": "d1", "name": "N"},
			"device_user_delete": {"device_id": "d1", "user_id": "5"},
		} {
			t.Run(tool+tt.envelope, func(t *testing.T) {
				f := newFakeCloud(t, status(200, "application/json", tt.envelope))
				res := callTool(t, newServer(t, f.URL, Options{}), tool, args)
				if text := ResultText(res); res.IsError == tt.ok || tt.ok && !strings.Contains(text, `"ok":true`) {
					t.Errorf("%s = %v %s, want ok %v", tt.envelope, res.IsError, text, tt.ok)
				}
			})
		}
	}
}
