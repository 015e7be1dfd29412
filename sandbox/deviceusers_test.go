package sandbox

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

func TestDeviceUsers(t *testing.T) {
	c := client(t, Options{})
	base := "/v1.0/devices/" + DemoScaleID
	var demo []DeviceUser
	c.ok("GET", base+"/users", nil, &demo)
	if len(demo) < 2 || !slices.ContainsFunc(demo, func(u DeviceUser) bool { return u.UserID == DemoScaleUserID }) {
		t.Fatalf("demo users %+v", demo)
	}
	// Every documented key is there, zero values included.
	var raw map[string]json.RawMessage
	c.ok("GET", base+"/users/"+DemoScaleUserID, nil, &raw)
	for _, k := range []string{"device_id", "user_id", "nick_name", "sex", "birthday", "height", "weight", "contact"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("device user lacks %q", k)
		}
	}

	// Add is not idempotent: the same body twice makes two users with new numeric ids.
	body := map[string]any{"nick_name": "Leo", "sex": 1, "birthday": 1544996327422, "height": 178, "weight": 72000, "contact": "leo@example.com"}
	var id1, id2 string
	c.ok("POST", base+"/user", body, &id1)
	c.ok("POST", base+"/user", body, &id2)
	if id1 == id2 {
		t.Fatalf("two adds gave one id %s", id1)
	}
	for _, id := range []string{id1, id2} {
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			t.Errorf("id %q is not numeric", id)
		}
	}
	var got DeviceUser
	c.ok("GET", base+"/users/"+id1, nil, &got)
	want := DeviceUser{DeviceID: DemoScaleID, UserID: id1, NickName: "Leo", Sex: 1, Birthday: 1544996327422, Height: 178, Weight: 72000, Contact: "leo@example.com"}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	var list []DeviceUser
	c.ok("GET", base+"/users", nil, &list)
	if len(list) != len(demo)+2 || list[len(list)-2].UserID != id1 || list[len(list)-1].UserID != id2 {
		t.Fatalf("list %+v", list)
	}

	// Edit replaces nick_name and sex, and the optional fields sent.
	c.ok("PUT", base+"/users/"+id1, map[string]any{"nick_name": "Leonard", "sex": 1, "weight": 71000}, nil)
	c.ok("GET", base+"/users/"+id1, nil, &got)
	want.NickName, want.Weight = "Leonard", 71000
	if got != want {
		t.Fatalf("after edit %+v, want %+v", got, want)
	}

	c.ok("DELETE", base+"/users/"+id1, nil, nil)
	c.fail(codeUserNotExist, "GET", base+"/users/"+id1, nil)
	c.fail(codeUserNotExist, "DELETE", base+"/users/"+id1, nil)
	if us := c.srv.DeviceUsers(DemoScaleID); len(us) != len(demo)+1 || us[len(us)-1].UserID != id2 {
		t.Fatalf("after delete %+v", us)
	}
	// Other devices have users too when added, and their own list.
	var lampUser string
	c.ok("POST", "/v1.0/devices/"+DemoStripID+"/user", map[string]any{"nick_name": "Kid", "sex": 2}, &lampUser)
	c.fail(codeUserNotExist, "GET", base+"/users/"+lampUser, nil)
}

func TestDeviceUserErrors(t *testing.T) {
	c := client(t, Options{})
	base := "/v1.0/devices/" + DemoScaleID
	unknown := "/v1.0/devices/bf00000000000000000000"
	ok := map[string]any{"nick_name": "A", "sex": 2}
	tests := []struct {
		name, method, path string
		body               any
		code               int
	}{
		{"add: no nick_name", "POST", base + "/user", map[string]any{"sex": 1}, codeEmpty},
		{"add: blank nick_name", "POST", base + "/user", map[string]any{"nick_name": " ", "sex": 1}, codeEmpty},
		{"add: no sex", "POST", base + "/user", map[string]any{"nick_name": "A"}, codeEmpty},
		{"add: sex 3", "POST", base + "/user", map[string]any{"nick_name": "A", "sex": 3}, codeIllegal},
		{"add: sex a word", "POST", base + "/user", map[string]any{"nick_name": "A", "sex": "male"}, codeIllegal},
		{"add: negative height", "POST", base + "/user", map[string]any{"nick_name": "A", "sex": 1, "height": -1}, codeIllegal},
		{"add: negative weight", "POST", base + "/user", map[string]any{"nick_name": "A", "sex": 1, "weight": -5}, codeIllegal},
		{"add: fractional weight", "POST", base + "/user", map[string]any{"nick_name": "A", "sex": 1, "weight": 1.5}, codeIllegal},
		{"add: malformed", "POST", base + "/user", `{"nick_name":`, codeIllegal},
		{"add: unknown device", "POST", unknown + "/user", ok, codeDeviceNotExist},
		{"edit: unknown user", "PUT", base + "/users/99999999", ok, codeUserNotExist},
		{"edit: unknown device", "PUT", unknown + "/users/" + DemoScaleUserID, ok, codeDeviceNotExist},
		{"edit: no sex", "PUT", base + "/users/" + DemoScaleUserID, map[string]any{"nick_name": "A"}, codeEmpty},
		{"edit: no nick_name", "PUT", base + "/users/" + DemoScaleUserID, map[string]any{"sex": 1}, codeEmpty},
		{"get: unknown user", "GET", base + "/users/99999999", nil, codeUserNotExist},
		{"get: unknown device", "GET", unknown + "/users/" + DemoScaleUserID, nil, codeDeviceNotExist},
		{"list: unknown device", "GET", unknown + "/users", nil, codeDeviceNotExist},
		{"delete: unknown device", "DELETE", unknown + "/users/" + DemoScaleUserID, nil, codeDeviceNotExist},
		{"add: plural path", "POST", base + "/users", ok, codePath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { c.fail(tt.code, tt.method, tt.path, tt.body) })
	}
	if n := len(c.srv.DeviceUsers(DemoScaleID)); n != 3 {
		t.Errorf("%d device users after failed calls, want 3", n)
	}
}
