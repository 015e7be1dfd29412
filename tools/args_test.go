package tools

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseInstant(t *testing.T) {
	may1 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   any
		want time.Time
		err  string
	}{
		{"rfc3339 utc", "2024-05-01T00:00:00Z", may1, ""},
		{"rfc3339 offset", "2024-05-01T08:00:00+08:00", may1, ""},
		{"rfc3339 fraction", "2024-05-01T00:00:00.250Z", may1.Add(250 * time.Millisecond), ""},
		{"date", "2024-05-01", may1, ""},
		{"seconds number", float64(may1.Unix()), may1, ""},
		{"millis number", float64(may1.UnixMilli()), may1, ""},
		{"seconds string", "1714521600", may1, ""},
		{"millis string", "1714521600000", may1, ""},
		{"json number", json.Number("1714521600"), may1, ""},
		{"go int", 1714521600, may1, ""},
		{"epoch", float64(0), time.Unix(0, 0).UTC(), ""},
		{"birthday before 1970", "1960-02-29", time.Date(1960, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"word", "yesterday", time.Time{}, "must be an RFC 3339 time"},
		{"empty", "", time.Time{}, "must be an RFC 3339 time"},
		{"bad date", "2024-02-30", time.Time{}, "must be an RFC 3339 time"},
		{"fraction", 1.5, time.Time{}, "must be an RFC 3339 time"},
		{"bool", true, time.Time{}, "must be an RFC 3339 time"},
		{"too late", "2300-01-01", time.Time{}, "between 1900 and 2200"},
		{"micro seconds", float64(1714521600000000), time.Time{}, "between 1900 and 2200"},
		{"rfc3339 without zone", "2024-05-01T00:00:00", time.Time{}, "must be an RFC 3339 time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseInstant(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseInstant(%v) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseInstant(%v): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("parseInstant(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	now := time.Date(2024, 5, 31, 12, 0, 0, 500e6, time.UTC)
	nowS := now.Truncate(time.Second)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name           string
		start, end     time.Time
		span, limit    time.Duration
		wantS, wantE   time.Time
		wantProblemHas string
	}{
		{"defaults", time.Time{}, time.Time{}, listWindow, listWindow, nowS.Add(-listWindow), nowS, ""},
		{"end only", time.Time{}, at("2024-05-10T00:00:00Z"), listWindow, listWindow, at("2024-04-10T00:00:00Z"), at("2024-05-10T00:00:00Z"), ""},
		{"recent start", at("2024-05-20T00:00:00Z"), time.Time{}, listWindow, listWindow, at("2024-05-20T00:00:00Z"), nowS, ""},
		{"old start", at("2024-01-01T00:00:00Z"), time.Time{}, listWindow, listWindow, at("2024-01-01T00:00:00Z"), at("2024-01-31T00:00:00Z"), ""},
		{"future start", at("2024-06-10T00:00:00Z"), time.Time{}, logWindow, 0, at("2024-06-10T00:00:00Z"), at("2024-06-17T00:00:00Z"), ""},
		{"old start without limit", at("2024-01-01T00:00:00Z"), time.Time{}, logWindow, 0, at("2024-01-01T00:00:00Z"), nowS, ""},
		{"exactly 30 days", at("2024-04-01T00:00:00Z"), at("2024-05-01T00:00:00Z"), listWindow, listWindow, at("2024-04-01T00:00:00Z"), at("2024-05-01T00:00:00Z"), ""},
		{"over 30 days", at("2024-04-01T00:00:00Z"), at("2024-05-01T00:00:01Z"), listWindow, listWindow, time.Time{}, time.Time{}, "at most 30 days (got 30 days)"},
		{"45 days", at("2024-04-01T00:00:00Z"), at("2024-05-16T00:00:00Z"), listWindow, listWindow, time.Time{}, time.Time{}, "at most 30 days (got 45 days)"},
		{"end before start", at("2024-05-02T00:00:00Z"), at("2024-05-01T00:00:00Z"), listWindow, listWindow, time.Time{}, time.Time{}, "end_time: must not be before start_time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, e, problems := window(tt.start, tt.end, now, time.Second, tt.span, tt.limit)
			if tt.wantProblemHas != "" {
				if len(problems) != 1 || !strings.Contains(problems[0], tt.wantProblemHas) {
					t.Fatalf("problems = %q, want one containing %q", problems, tt.wantProblemHas)
				}
				return
			}
			if len(problems) > 0 {
				t.Fatalf("unexpected problems %q", problems)
			}
			if !s.Equal(tt.wantS) || !e.Equal(tt.wantE) {
				t.Errorf("window = %v .. %v, want %v .. %v", s, e, tt.wantS, tt.wantE)
			}
		})
	}
}

func TestIDParse(t *testing.T) {
	tests := []struct {
		in   any
		want string
		err  string
	}{
		{"vdevo153490924188132", "vdevo153490924188132", ""},
		{"switch_1", "switch_1", ""},
		{"a.b-c_D9", "a.b-c_D9", ""},
		{float64(5121231), "5121231", ""},
		{"", "", "must not be empty"},
		{"a/b", "", "letters, digits"},
		{"a b", "", "letters, digits"},
		{"a?b", "", "letters, digits"},
		{"a#b", "", "letters, digits"},
		{"a%2Fb", "", "letters, digits"},
		{"..\n", "", "letters, digits"},
		{"ab\u00e9", "", "letters, digits"},
		{strings.Repeat("a", 65), "", "1 to 64"},
		{strings.Repeat("a", 64), strings.Repeat("a", 64), ""},
		{1.5, "", "must be an integer"},
		{true, "", "must be a string (got a boolean)"},
	}
	for _, tt := range tests {
		var v id
		err := v.parseArg(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("id(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || string(v) != tt.want {
			t.Errorf("id(%q) = %q, %v; want %q", tt.in, v, err, tt.want)
		}
	}
}

func TestEnumParse(t *testing.T) {
	tests := []struct {
		in   any
		want int
		ok   bool
	}{
		{"male", 1, true},
		{"Female", 2, true},
		{float64(1), 1, true},
		{"2", 2, true},
		{float64(3), 0, false},
		{"0", 0, false},
		{"m", 0, false},
		{1.5, 0, false},
		{nil, 0, false},
	}
	for _, tt := range tests {
		var s enum[sexWords]
		err := s.parseArg(tt.in)
		if (err == nil) != tt.ok || int(s) != tt.want {
			t.Errorf("sex(%v) = %d, %v; want %d ok=%v", tt.in, s, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "must be one of male, female (or 1 to 2)") {
			t.Errorf("sex(%v) error %q does not list the words", tt.in, err)
		}
	}
}

func TestEventTypesParse(t *testing.T) {
	tests := []struct {
		in   any
		want eventTypes
		err  string
	}{
		{[]any{"online", "dp_report"}, eventTypes{1, 7}, ""},
		{[]any{float64(1), "2", "timing"}, eventTypes{1, 2, 10}, ""},
		{"online, offline", eventTypes{1, 2}, ""},
		{"7", eventTypes{7}, ""},
		{float64(4), eventTypes{4}, ""},
		{[]any{"reset", "reset", float64(4)}, eventTypes{4}, ""},
		{[]any{}, nil, "at least one"},
		{[]any{"boot"}, nil, "must be one of online, offline"},
		{[]any{float64(11)}, nil, "or 1 to 10"},
	}
	for _, tt := range tests {
		var e eventTypes
		err := e.parseArg(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("eventTypes(%v) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(e, tt.want) {
			t.Errorf("eventTypes(%v) = %v, %v; want %v", tt.in, e, err, tt.want)
		}
	}
}

func TestCountryCodeParse(t *testing.T) {
	tests := []struct {
		in   any
		want string
		ok   bool
	}{
		{"86", "86", true},
		{"+1", "1", true},
		{float64(49), "49", true},
		{"1264", "1264", true},
		{"12345", "", false},
		{"", "", false},
		{"8a", "", false},
		{"+", "", false},
	}
	for _, tt := range tests {
		var c countryCode
		err := c.parseArg(tt.in)
		if (err == nil) != tt.ok || string(c) != tt.want {
			t.Errorf("countryCode(%v) = %q, %v; want %q ok=%v", tt.in, c, err, tt.want, tt.ok)
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name string
		ok   func(string) bool
		in   string
		want bool
	}{
		{"mobile", mobileRE().MatchString, "13800138000", true},
		{"mobile plus", mobileRE().MatchString, "+8613800138000", true},
		{"mobile short", mobileRE().MatchString, "1234", false},
		{"mobile letters", mobileRE().MatchString, "1380013800a", false},
		{"mobile long", mobileRE().MatchString, "1234567890123456", false},
		{"email", emailRE().MatchString, "ann.lee+home@example.com", true},
		{"email no domain dot", emailRE().MatchString, "ann@localhost", false},
		{"email no at", emailRE().MatchString, "ann.example.com", false},
		{"email space", emailRE().MatchString, "ann lee@example.com", false},
		{"email two ats", emailRE().MatchString, "a@b@example.com", false},
		{"tz", timeZoneRE().MatchString, "Asia/Shanghai", true},
		{"tz utc", timeZoneRE().MatchString, "UTC", true},
		{"tz three parts", timeZoneRE().MatchString, "America/Argentina/Buenos_Aires", true},
		{"tz etc", timeZoneRE().MatchString, "Etc/GMT+8", true},
		{"tz offset", timeZoneRE().MatchString, "+08:00", false},
		{"tz space", timeZoneRE().MatchString, "Asia/ Shanghai", false},
		{"md5", md5HexRE().MatchString, "e10adc3949ba59abbe56e057f20f883e", true},
		{"md5 short", md5HexRE().MatchString, "e10adc3949ba59abbe56e057f20f883", false},
		{"md5 not hex", md5HexRE().MatchString, "z10adc3949ba59abbe56e057f20f883e", false},
	}
	for _, tt := range tests {
		if got := tt.ok(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// decodeFor decodes args for the named tool of the catalogue with a fixed configuration.
func decodeFor(t *testing.T, name string, args map[string]any) (any, error) {
	t.Helper()
	return decodeOnly(findTool(t, name), args)
}

// findTool returns the named tool of the catalogue.
func findTool(t *testing.T, name string) tool {
	t.Helper()
	for _, tl := range catalogue() {
		if tl.name != name {
			continue
		}
		if tl.err != nil {
			t.Fatal(tl.err)
		}
		return tl
	}
	t.Fatalf("no tool %s", name)
	return tool{}
}

func TestDecodeArgs(t *testing.T) {
	tests := []struct {
		tool string
		args map[string]any
		want []string // substrings of the error; nil means success
	}{
		{"device_list", map[string]any{"page_size": float64(500)},
			[]string{"invalid arguments for device_list: page_size: must be between 1 and 100 (got 500)"}},
		{"device_list", map[string]any{"page_size": "5", "page_no": "2"}, nil},
		{"device_list", map[string]any{"page_size": 2.5}, []string{"page_size: must be an integer (got 2.5)"}},
		{"device_list", map[string]any{"page_no": float64(0)}, []string{"page_no: must be at least 1 (got 0)"}},
		{"device_list", map[string]any{"page_no": "two"}, []string{`page_no: must be an integer (got "two")`}},
		{"device_list", map[string]any{"page_no": 1e300}, []string{"page_no: is out of range (got 1e+300)"}},
		// Numbers beyond float64 reach the tools as strings (the JSON-RPC front keeps them
		// decodable); past a bound, the bound is what the error says.
		{"device_list", map[string]any{"page_size": "1e400"}, []string{"page_size: must be between 1 and 100 (got 1e400)"}},
		{"device_list", map[string]any{"page_no": "-1E400"}, []string{"page_no: must be at least 1 (got -1E400)"}},
		{"device_list", map[string]any{"page_no": "1e400"}, []string{"page_no: is out of range (got 1e400)"}},
		{"device_list", map[string]any{"page_size": float64(1e20)}, []string{"page_size: must be between 1 and 100 (got 1e+20)"}},
		{"device_log_list", map[string]any{"device_id": "d", "size": "123456789012345678901234567890"},
			[]string{"size: must be between 1 and 100 (got 123456789012345678901234567890)"}},
		{"device_list", map[string]any{"device_ids": []any{}}, []string{"device_ids: must have 1 to 20 items (got 0)"}},
		{"device_list", map[string]any{"device_ids": "a,b , c"}, nil},
		{"device_list", map[string]any{"device_ids": []any{"a", "b/c"}}, []string{"device_ids: item 2 must be 1 to 64 letters"}},
		{"device_list", map[string]any{"pagesize": float64(5), "foo": true},
			[]string{`invalid arguments for device_list: unknown argument "pagesize" (did you mean page_size?)`}},
		{"device_get", map[string]any{}, []string{"invalid arguments for device_get: device_id: required"}},
		{"device_get", map[string]any{"device_id": nil}, []string{"device_id: required"}},
		{"device_get", map[string]any{"device_id": float64(12)}, nil},
		{"device_get", map[string]any{"device_id": []any{"x"}}, []string{"device_id: must be a string (got an array)"}},
		{"device_rename", map[string]any{"device_id": "d1", "name": ""}, []string{"name: must be 1 to 50 characters (got 0)"}},
		{"device_rename", map[string]any{"device_id": "d1", "name": strings.Repeat("é", 50)}, nil},
		{"device_rename", map[string]any{"device_id": "d1", "name": strings.Repeat("é", 51)}, []string{"name: must be 1 to 50 characters (got 51)"}},
		{"device_rename", map[string]any{"device_id": "d1", "name": "a\tb"}, []string{"name: must not contain control characters"}},
		{"device_rename", map[string]any{"name": float64(3)}, []string{"device_id: required", "name: must be a string (got a number)"}},
		{"user_device_list", map[string]any{"uid": "u1", "from": "Sharing"}, nil},
		{"user_device_list", map[string]any{"uid": "u1", "from": "friends"}, []string{`from: must be one of home, sharing (got "friends")`}},
		{"device_log_list", map[string]any{"device_id": "d", "type": "online,dp_report", "size": "100", "query_type": float64(2)}, nil},
		{"device_log_list", map[string]any{"device_id": "d", "size": float64(101)}, []string{"size: must be between 1 and 100 (got 101)"}},
		{"device_log_list", map[string]any{"device_id": "d", "start_time": "2024-05-02", "end_time": "2024-05-01"},
			[]string{"end_time: must not be before start_time"}},
		{"user_list", map[string]any{"start_time": "2024-01-01", "end_time": "2024-03-01"},
			[]string{"invalid arguments for user_list: start_time, end_time: the window must be at most 30 days (got 60 days)"}},
		{"device_user_add", map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "female", "height": "170", "weight": float64(60000), "birthday": "1990-04-01"}, nil},
		{"device_user_add", map[string]any{"device_id": "d", "nick_name": "Ann", "sex": "x", "height": float64(301), "weight": float64(0), "contact": strings.Repeat("c", 101)},
			[]string{"sex: must be one of male, female", "height: must be between 1 and 300 (got 301)", "weight: must be between 1 and 500000 (got 0)", "contact: must be at most 100 characters (got 101)"}},
		{"device_user_edit", map[string]any{"device_id": "d", "user_id": "1", "nick_name": "Ann", "sex": float64(1), "contact": "x"}, nil},
		{"user_sync", map[string]any{"country_code": "+86", "username": "13800138000", "password": "pw", "username_type": "mobile"}, nil},
		{"user_sync", map[string]any{"country_code": "86", "username": "ann", "password": "pw", "username_type": "email"},
			[]string{"username: must be an email address when username_type is email"}},
		{"user_sync", map[string]any{"country_code": "86", "username": "ann", "password": "secret-pw", "password_is_md5": true},
			[]string{"password: must be 32 hex digits when password_is_md5 is true"}},
		{"user_sync", map[string]any{"country_code": "86", "username": "ann", "password": "pw", "time_zone_id": "GMT +8"},
			[]string{"time_zone_id: must be an IANA time zone name"}},
		{"user_sync", map[string]any{"country_code": "86000", "username": "ann", "password": "pw", "password_is_md5": "yes"},
			[]string{"country_code: must be 1 to 4 digits", "password_is_md5: must be true or false"}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			_, err := decodeFor(t, tt.tool, tt.args)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("decode(%v): %v", tt.args, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("decode(%v) succeeded, want %q", tt.args, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("decode(%v) = %q, want it to contain %q", tt.args, err, w)
				}
			}
		})
	}
}

func TestPasswordNeverEchoed(t *testing.T) {
	const pw = "hunter2-very-secret"
	cases := []map[string]any{
		{"country_code": "86", "username": "ann", "password": pw, "password_is_md5": true},
		{"country_code": "86", "username": "ann", "password": pw + strings.Repeat("x", 200)},
		{"country_code": "86", "username": "ann", "password": pw + "\x00"},
		{"country_code": "86", "username": "ann", "password": []any{pw}},
	}
	for _, args := range cases {
		_, err := decodeFor(t, "user_sync", args)
		if err == nil {
			t.Fatalf("decode(%v) succeeded", args)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error %q echoes the password", err)
		}
	}
}

func TestPasswordDigest(t *testing.T) {
	a := userSyncArgs{Password: "123456"}
	if got := a.passwordDigest(); got != "e10adc3949ba59abbe56e057f20f883e" {
		t.Errorf("digest = %s", got)
	}
	a = userSyncArgs{Password: "E10ADC3949BA59ABBE56E057F20F883E", PasswordIsMD5: true}
	if got := a.passwordDigest(); got != a.Password {
		t.Errorf("pre-hashed digest = %s, want it as is", got)
	}
}

// testNow is the clock of the unit tests.
func testNow() time.Time { return time.Date(2024, 5, 31, 12, 0, 0, 0, time.UTC) }

// decodeOnly decodes and resolves args as a call would, without calling Tuya.
func decodeOnly(tl tool, args map[string]any) (any, error) {
	return tl.decode(&env{schema: "demoapp", now: testNow}, args)
}

// TestListArgumentsAsText covers the ways clients send list arguments: arrays, JSON text (Claude
// Code sends every array that way), comma-separated lists and lists in brackets.
func TestListArgumentsAsText(t *testing.T) {
	tests := []struct {
		name, tool, arg string
		value           any
		want            any    // the decoded list, with want set
		err             string // the error, otherwise
	}{
		{"JSON text", "device_list", "device_ids", `["bf01","bf02"]`, []id{"bf01", "bf02"}, ""},
		{"JSON text with spaces", "device_factory_info_list", "device_ids", ` [ "bf01" , "bf02" ] `, []id{"bf01", "bf02"}, ""},
		{"JSON text of numbers", "device_list", "device_ids", `[12, 13]`, []id{"12", "13"}, ""},
		{"comma list", "device_list", "device_ids", "bf01, bf02", []id{"bf01", "bf02"}, ""},
		{"list in brackets", "device_list", "device_ids", "[bf01, bf02]", []id{"bf01", "bf02"}, ""},
		{"one id", "device_list", "device_ids", "bf01", []id{"bf01"}, ""},
		{"strings as JSON text", "device_log_list", "codes", `["switch_1","countdown_1"]`, []id{"switch_1", "countdown_1"}, ""},
		{"event types as JSON text", "device_log_list", "type", `["online", 7]`, eventTypes{1, 7}, ""},
		{"event types in brackets", "device_log_list", "type", `[online,offline]`, eventTypes{1, 2}, ""},
		{"broken JSON text", "device_list", "device_ids", `["bf01","bf02"`, nil,
			"device_ids: must be an array: the string looks like a JSON array but is not one (unexpected end of JSON input at character 14)"},
		{"JSON text with a bad item", "device_list", "device_ids", `["bf01","b/2"]`, nil,
			`device_ids: item 2 must be 1 to 64 letters, digits, '_', '-' or '.' (got "b/2")`},
		{"JSON text holding an object in brackets", "device_list", "device_ids", `[{"a":1}]`, nil,
			"device_ids: item 1 must be a string (got an object)"},
		{"JSON text with a stray quote", "device_log_list", "type", `["online]`, nil,
			"type: must be an array: the string looks like a JSON array but is not one (unexpected end of JSON input at character 9)"},
		{"empty JSON array", "device_list", "device_ids", `[]`, nil, "device_ids: must have 1 to 20 items (got 0)"},
		{"JSON text of an object", "device_list", "device_ids", `{"a":1}`, nil,
			"device_ids: must be an array: the string is JSON text of an object, not of an array"},
		{"JSON text of an object, spaced", "device_factory_info_list", "device_ids", ` { } `, nil,
			"device_ids: must be an array: the string is JSON text of an object, not of an array"},
		{"broken JSON text of an object", "device_log_list", "codes", `{"a":`, nil,
			"codes: must be an array: the string looks like a JSON object but is not one (unexpected end of JSON input at character 5)"},
		{"JSON text of a string", "device_list", "device_ids", `"bf01"`, []id{"bf01"}, ""},
		{"JSON text of a string with a comma", "device_list", "device_ids", `"bf01,bf02"`, nil,
			`device_ids: item 1 must be 1 to 64 letters, digits, '_', '-' or '.' (got "bf01,bf02")`},
		{"JSON text of a string with a comma, spaced", "device_log_list", "codes", ` "switch_1, countdown_1" `, nil,
			`codes: item 1 must be 1 to 64 letters, digits, '_', '-' or '.' (got "switch_1, countdown_1")`},
		{"JSON text of JSON text of an array", "device_list", "device_ids", `"[\"bf01\"]"`, []id{"bf01"}, ""},
		{"event type as JSON text of a string", "device_log_list", "type", `"online"`, eventTypes{1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := map[string]any{tt.arg: tt.value}
			if tt.tool == "device_log_list" {
				args["device_id"] = "d"
			}
			a, err := decodeFor(t, tt.tool, args)
			if tt.err != "" {
				if err == nil || !strings.HasSuffix(err.Error(), ": "+tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			v := reflect.ValueOf(a).Elem()
			var got any
			for _, f := range mustFields(t, v.Type()) {
				if f.name == tt.arg {
					got = v.FieldByIndex(f.index).Interface()
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s = %#v, want %#v", tt.arg, got, tt.want)
			}
		})
	}
}

func mustFields(t *testing.T, typ reflect.Type) []field {
	t.Helper()
	fs, err := fieldsOf(typ)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestUnknownKeys: keys clients add are ignored and named in a note; near misses of an argument
// are errors naming it.
func TestUnknownKeys(t *testing.T) {
	tests := []struct {
		tool string
		args map[string]any
		err  string // the near-miss error, or "" when the call decodes
		note string
	}{
		{"device_get", map[string]any{"device_id": "d", "task_progress": "- [ ] x"}, "",
			`Ignored "task_progress": not an argument of this tool.`},
		{"device_get", map[string]any{"device_id": "d", "_meta": map[string]any{}, "reason": "user asked"}, "",
			`Ignored "_meta", "reason": not arguments of this tool.`},
		{"device_get", map[string]any{"device_id": "d"}, "", ""},
		{"device_get", map[string]any{"deviceid": "d"}, `unknown argument "deviceid" (did you mean device_id?)`, ""},
		{"device_get", map[string]any{"deviceId": "d"}, `unknown argument "deviceId" (did you mean device_id?)`, ""},
		{"device_get", map[string]any{"DEVICE-ID": "d"}, `unknown argument "DEVICE-ID" (did you mean device_id?)`, ""},
		{"device_get", map[string]any{"device_idd": "d"}, `unknown argument "device_idd" (did you mean device_id?)`, ""},
		{"device_get", map[string]any{"devise_ids": "d"}, `unknown argument "devise_ids" (did you mean device_id?)`, ""},
		// A near miss is an error even when the argument it resembles is also given.
		{"device_get", map[string]any{"device_id": "d", "device_ids": "d"}, `unknown argument "device_ids" (did you mean device_id?)`, ""},
		{"device_list", map[string]any{"page-size": 5.0}, `unknown argument "page-size" (did you mean page_size?)`, ""},
		{"device_list", map[string]any{"pageSize": 5.0, "pageNo": 1.0},
			`unknown argument "pageNo" (did you mean page_no?), "pageSize" (did you mean page_size?)`, ""},
		{"device_list", map[string]any{"page_sizes_max": 5.0}, "", `Ignored "page_sizes_max": not an argument of this tool.`},
		{"user_get", map[string]any{"uid": "u", "id": "u"}, `unknown argument "id" (did you mean uid?)`, ""},
		// Inside the objects of an argument, the same rule at any depth.
		{"device_command_send", map[string]any{"device_id": "d", "commands": []any{
			map[string]any{"code": "switch_led", "value": true, "task_progress": "x"}}}, "",
			`Ignored "task_progress" (item 1) in commands: not keys of its items.`},
		{"device_command_send", map[string]any{"device_id": "d", "extra": 1.0, "commands": []any{
			map[string]any{"code": "switch_led", "value": true},
			map[string]any{"code": "bright_value", "value": 10.0, "dp_id": 1.0, "extra": 1.0}}}, "",
			`Ignored "extra": not an argument of this tool. Ignored "dp_id" (item 2), "extra" (item 2) in commands: not keys of its items.`},
		{"device_command_send", map[string]any{"device_id": "d", "commands": `[{"code":"switch_led","value":true,"t":1}]`}, "",
			`Ignored "t" (item 1) in commands: not keys of its items.`},
		{"device_command_send", map[string]any{"device_id": "d", "commands": map[string]any{"code": "switch_led", "value": true, "t": 1.0}}, "",
			`Ignored "t" (item 1) in commands: not keys of its items.`},
		{"device_command_send", map[string]any{"device_id": "d", "commands": []any{
			map[string]any{"Code": "switch_led", "value": true}}}, `commands: item 1 has unknown key "Code" (did you mean code?)`, ""},
		{"device_command_send", map[string]any{"device_id": "d", "commands": []any{
			map[string]any{"code": "switch_led", "value": true}, map[string]any{"code": "x", "val": true}}},
			`commands: item 2 has unknown key "val" (did you mean value?)`, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			tl := findTool(t, tt.tool)
			_, err := decodeOnly(tl, tt.args)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
			if tt.err == "" {
				if got := ignoredNote(tl.fields, tt.args); got != tt.note {
					t.Errorf("note %q, want %q", got, tt.note)
				}
			}
		})
	}
}
