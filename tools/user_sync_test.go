package tools_test

import (
	"crypto/md5"
	"encoding/hex"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestUserSync(t *testing.T) {
	md5Hex := func(s string) string {
		sum := md5.Sum([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	stored := func(password string, usernameType int) func(*testing.T, map[string]any, *sandbox.Server) {
		return func(t *testing.T, res map[string]any, sb *sandbox.Server) {
			u, ok := sb.User(res["uid"].(string))
			if !ok || u.Password != md5Hex(password) || u.UsernameType != usernameType {
				t.Errorf("the sandbox holds %+v (found %v), want the MD5 of the password and type %d", u, ok, usernameType)
			}
		}
	}
	runCases(t, "user_sync", []toolCase{
		{name: "mobile", args: map[string]any{"country_code": "+86", "username": "13800138000", "username_type": "mobile",
			"password": "Secret-123", "nick_name": "Conf", "time_zone_id": "Asia/Shanghai"}, check: stored("Secret-123", 1)},
		{name: "email, digest given", args: map[string]any{"country_code": "1", "username": "ann@example.com", "username_type": "email",
			"password": md5Hex("pw"), "password_is_md5": true}, check: stored("pw", 2)},
		{name: "permission deny (unknown schema)", args: map[string]any{"schema": "nosuchapp", "country_code": "86", "username": "zed", "password": "pw"},
			err: "Tuya error 1106 (permission deny) on POST /v1.0/apps/{schema}/user: check schema"},
		{name: "country not supported", args: map[string]any{"country_code": "999", "username": "zed", "password": "pw"},
			err: "Tuya error 2403"},
		{name: "not a mobile number", args: map[string]any{"country_code": "86", "username": "ann", "username_type": "mobile", "password": "pw"},
			sendsNothing: true, err: "invalid arguments for user_sync: username: must be a mobile number"},
		{name: "not a digest", args: map[string]any{"country_code": "86", "username": "a", "password": "p", "password_is_md5": true},
			sendsNothing: true, err: "password: must be 32 hex digits"},
		{name: "no password", args: map[string]any{"country_code": "86", "username": "zed"}, sendsNothing: true, err: "password: required"},
	})
}
