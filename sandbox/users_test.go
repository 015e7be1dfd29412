package sandbox

import (
	"slices"
	"testing"
	"time"
)

const md5Hex = "e10adc3949ba59abbe56e057f20f883e"

func TestSyncUserErrors(t *testing.T) {
	c := client(t, Options{})
	path := "/v1.0/apps/" + DemoSchema + "/user"
	body := func(kv ...any) map[string]any {
		m := map[string]any{"country_code": "86", "username": "13912345678", "password": md5Hex, "username_type": 1}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	tests := []struct {
		name string
		path string
		body any
		code int
	}{
		{"unknown schema", "/v1.0/apps/nosuchapp/user", body(), codePermission},
		{"no country_code", path, body("country_code", nil), codeEmpty},
		{"empty country_code", path, body("country_code", ""), codeEmpty},
		{"no username", path, body("username", nil), codeEmpty},
		{"no password", path, body("password", nil), codeEmpty},
		{"empty body", path, "", codeEmpty},
		{"unsupported country", path, body("country_code", "999"), codeCountry},
		{"country code as a number", path, body("country_code", 86), codeIllegal},
		{"mobile with letters", path, body("username", "1391234abcd"), codeMobile},
		{"mobile too short", path, body("username", "1234"), codeMobile},
		{"mobile too long", path, body("username", "1234567890123456"), codeMobile},
		{"email without @", path, body("username_type", 2, "username", "someone.example.com"), codeEmail},
		{"email without domain dot", path, body("username_type", 2, "username", "someone@example"), codeEmail},
		{"email with space", path, body("username_type", 2, "username", "some one@example.com"), codeEmail},
		{"username_type 4", path, body("username_type", 4), codeIllegal},
		{"username_type as a string", path, body("username_type", "1"), codeIllegal},
		{"malformed JSON", path, `{"country_code":"86",`, codeIllegal},
		{"JSON array", path, `[]`, codeIllegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.fail(tt.code, "POST", tt.path, tt.body)
		})
	}
	if n := len(c.srv.Users(DemoSchema)); n != 30 {
		t.Errorf("%d users after failed syncs, want the 30 demo users", n)
	}
}

func TestSyncUser(t *testing.T) {
	c := client(t, Options{})
	path := "/v1.0/apps/" + DemoSchema + "/user"
	tests := []struct {
		name, cc, username string
		typ                any
	}{
		{"mobile", "86", "13912345678", 1},
		{"mobile with plus", "44", "+447700900123", 1},
		{"email", "49", "max.mustermann@example.de", 2},
		{"other", "1", "maxm", 3},
		{"type absent means other", "33", "jdupont", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{"country_code": tt.cc, "username": tt.username, "password": md5Hex,
				"nick_name": "First", "time_zone_id": "Europe/Paris"}
			if tt.typ != nil {
				body["username_type"] = tt.typ
			}
			var res struct{ UID string }
			c.ok("POST", path, body, &res)
			if len(res.UID) != 21 || res.UID[:2] != "ay" {
				t.Fatalf("uid %q", res.UID)
			}
			u, ok := c.srv.User(res.UID)
			wantType := 3
			if tt.typ != nil {
				wantType = tt.typ.(int)
			}
			if !ok || u.Username != tt.username || u.UsernameType != wantType || u.NickName != "First" ||
				u.CreateTime != c.clk.Now().Unix() || u.Schema != DemoSchema {
				t.Fatalf("stored user %+v", u)
			}
			// The same username updates that user.
			c.clk.Advance(time.Minute)
			body["password"], body["nick_name"] = "0cc175b9c0f1b6a831c399e269772661", "Second"
			delete(body, "time_zone_id")
			var again struct{ UID string }
			c.ok("POST", path, body, &again)
			if again.UID != res.UID {
				t.Fatalf("second sync uid %s, want %s", again.UID, res.UID)
			}
			u2, _ := c.srv.User(res.UID)
			if u2.Password != "0cc175b9c0f1b6a831c399e269772661" || u2.NickName != "Second" ||
				u2.TimeZoneID != "Europe/Paris" || u2.CreateTime != u.CreateTime || u2.UpdateTime != c.clk.Now().Unix() {
				t.Fatalf("updated user %+v", u2)
			}
		})
	}
	// The same username in another app is another user.
	var other struct{ UID string }
	c.ok("POST", "/v1.0/apps/"+OtherSchema+"/user", map[string]any{"country_code": "86", "username": "13912345678",
		"password": md5Hex, "username_type": 1}, &other)
	if u, _ := c.srv.User(other.UID); u.Schema != OtherSchema {
		t.Fatalf("user %+v", u)
	}
	if n := len(c.srv.Users(DemoSchema)); n != 30+len(tests) {
		t.Errorf("%d users, want %d", n, 30+len(tests))
	}
}

// TestSyncUserDeterministic checks that new uids come from a sequence, not from chance.
func TestSyncUserDeterministic(t *testing.T) {
	var uids []string
	for range 2 {
		c := client(t, Options{})
		var res struct{ UID string }
		c.ok("POST", "/v1.0/apps/"+DemoSchema+"/user", map[string]any{"country_code": "1", "username": "x1",
			"password": md5Hex}, &res)
		uids = append(uids, res.UID)
	}
	if uids[0] != uids[1] {
		t.Fatalf("uids %v differ", uids)
	}
}

type userListRes struct {
	List []struct {
		UID         string `json:"uid"`
		Username    string `json:"username"`
		Mobile      string `json:"mobile"`
		Email       string `json:"email"`
		CountryCode string `json:"country_code"`
	} `json:"list"`
	HasMore bool `json:"has_more"`
	Total   int  `json:"total"`
}

func TestListUsers(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	path := func(schema string, kv ...string) string { return "/v2.0/apps/" + schema + "/users" + q(kv...) }
	last30 := []string{"start_time", secs(now.Add(-30 * day)), "end_time", secs(now)}
	tests := []struct {
		name       string
		path       string
		wantN      int
		wantTotal  int
		wantMore   bool
		wantSchema string
	}{
		{"first page", path(DemoSchema, append([]string{"page_no", "1", "page_size", "20"}, last30...)...), 20, 22, true, DemoSchema},
		{"second page", path(DemoSchema, append([]string{"page_no", "2", "page_size", "20"}, last30...)...), 2, 22, false, DemoSchema},
		{"past the end", path(DemoSchema, append([]string{"page_no", "3", "page_size", "20"}, last30...)...), 0, 22, false, DemoSchema},
		{"page size 0", path(DemoSchema, append([]string{"page_no", "1", "page_size", "0"}, last30...)...), 0, 22, true, DemoSchema},
		{"page size 100", path(DemoSchema, append([]string{"page_no", "1", "page_size", "100"}, last30...)...), 22, 22, false, DemoSchema},
		{"older window", path(DemoSchema, "page_no", "1", "page_size", "100", "start_time", secs(now.Add(-80*day)),
			"end_time", secs(now.Add(-50*day))), 2, 2, false, DemoSchema},
		{"other app", path(OtherSchema, append([]string{"page_no", "1", "page_size", "20"}, last30...)...), 3, 3, false, OtherSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res userListRes
			c.ok("GET", tt.path, nil, &res)
			if len(res.List) != tt.wantN || res.Total != tt.wantTotal || res.HasMore != tt.wantMore {
				t.Fatalf("got %d users, total %d, has_more %v", len(res.List), res.Total, res.HasMore)
			}
			var created []int64
			for _, lu := range res.List {
				u, ok := c.srv.User(lu.UID)
				if !ok || u.Schema != tt.wantSchema || lu.CountryCode != u.CountryCode {
					t.Fatalf("listed %+v, stored %+v", lu, u)
				}
				switch u.UsernameType {
				case usernameMobile:
					if lu.Mobile != u.CountryCode+"-"+u.Username || lu.Username != lu.Mobile || lu.Email != "" {
						t.Errorf("mobile user listed as %+v", lu)
					}
				case usernameEmail:
					if lu.Email != u.Username || lu.Mobile != "" {
						t.Errorf("email user listed as %+v", lu)
					}
				}
				created = append(created, u.CreateTime)
			}
			if !slices.IsSorted(created) {
				t.Errorf("not in creation order: %v", created)
			}
		})
	}
	// The demo data has every username type in the window.
	var res userListRes
	c.ok("GET", path(DemoSchema, append([]string{"page_no", "1", "page_size", "100"}, last30...)...), nil, &res)
	var mobile, email, other int
	for _, lu := range res.List {
		switch {
		case lu.Mobile != "":
			mobile++
		case lu.Email != "":
			email++
		default:
			other++
		}
	}
	if mobile == 0 || email == 0 || other == 0 {
		t.Errorf("username types: %d mobile, %d email, %d other", mobile, email, other)
	}
}

func TestListUsersErrors(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	s, e := secs(now.Add(-day)), secs(now)
	path := func(kv ...string) string { return "/v2.0/apps/" + DemoSchema + "/users" + q(kv...) }
	tests := []struct {
		name string
		path string
		code int
	}{
		{"unknown schema", "/v2.0/apps/nosuchapp/users" + q("page_no", "1", "page_size", "20", "start_time", s, "end_time", e), codeSchema},
		{"no page_no", path("page_size", "20", "start_time", s, "end_time", e), codeEmpty},
		{"no page_size", path("page_no", "1", "start_time", s, "end_time", e), codeEmpty},
		{"no start_time", path("page_no", "1", "page_size", "20", "end_time", e), codeEmpty},
		{"no end_time", path("page_no", "1", "page_size", "20", "start_time", s), codeEmpty},
		{"page_no 0", path("page_no", "0", "page_size", "20", "start_time", s, "end_time", e), codeRange},
		{"page_size 101", path("page_no", "1", "page_size", "101", "start_time", s, "end_time", e), codeRange},
		{"page_size -1", path("page_no", "1", "page_size", "-1", "start_time", s, "end_time", e), codeRange},
		{"page_size not a number", path("page_no", "1", "page_size", "x", "start_time", s, "end_time", e), codeIllegal},
		{"window over 30 days", path("page_no", "1", "page_size", "20", "start_time", secs(now.Add(-30*day-time.Second)), "end_time", e), codeRange},
		{"end before start", path("page_no", "1", "page_size", "20", "start_time", e, "end_time", s), codeRange},
		{"milliseconds", path("page_no", "1", "page_size", "20", "start_time", millis(now.Add(-day)), "end_time", millis(now)), codeIllegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.fail(tt.code, "GET", tt.path, nil)
		})
	}
	// Exactly 30 days is allowed.
	c.ok("GET", path("page_no", "1", "page_size", "20", "start_time", secs(now.Add(-30*day)), "end_time", e), nil, nil)
}

func TestGetUser(t *testing.T) {
	c := client(t, Options{})
	type info struct {
		UID         string `json:"uid"`
		Username    string `json:"username"`
		CountryCode string `json:"country_code"`
		Mobile      string `json:"mobile"`
		Email       string `json:"email"`
		NickName    string `json:"nick_name"`
		CreateTime  int64  `json:"create_time"`
		UpdateTime  int64  `json:"update_time"`
	}
	tests := []struct {
		uid  string
		want info
	}{
		{DemoUserUID, info{UID: DemoUserUID, Username: "86-13800138000", CountryCode: "86", Mobile: "86-13800138000", NickName: "Chen Wei"}},
		{DemoOtherUserUID, info{UID: DemoOtherUserUID, Username: "giulia.romano@example.com", CountryCode: "39",
			Email: "giulia.romano@example.com", NickName: "Giulia"}},
	}
	for _, tt := range tests {
		var got info
		c.ok("GET", "/v1.0/users/"+tt.uid+"/infos", nil, &got)
		u, _ := c.srv.User(tt.uid)
		tt.want.CreateTime, tt.want.UpdateTime = u.CreateTime, u.UpdateTime
		if got != tt.want || got.CreateTime == 0 {
			t.Errorf("got %+v, want %+v", got, tt.want)
		}
	}
	c.fail(codeUserNotExist, "GET", "/v1.0/users/ay0000000000000nobody/infos", nil)
}
