package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceUserEdit(t *testing.T) {
	user := map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID}
	runCases(t, "device_user_edit", []toolCase{
		{name: "success", args: with(user, map[string]any{"nick_name": "Conf2", "sex": "male", "height": float64(171)}),
			want: map[string]any{"ok": true}, check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				for _, u := range sb.DeviceUsers(sandbox.DemoScaleID) {
					if u.UserID == sandbox.DemoScaleUserID && (u.NickName != "Conf2" || u.Sex != 1 || u.Height != 171) {
						t.Errorf("the sandbox holds %+v", u)
					}
				}
			}},
		{name: "user not exist", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "99999999", "nick_name": "X", "sex": "male"},
			err: "Tuya error 2006 (user not exist) on PUT /v1.0/devices/{device_id}/users/{user_id}: check user_id; device_user_list lists the device's users"},
		{name: "contact is not an argument: ignored, the rest edited", args: with(user, map[string]any{"nick_name": "X", "sex": "male", "contact": "x"}),
			want: map[string]any{"ok": true}, check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				for _, u := range sb.DeviceUsers(sandbox.DemoScaleID) {
					if u.UserID == sandbox.DemoScaleUserID && (u.NickName != "X" || u.Contact == "x") {
						t.Errorf("the sandbox holds %+v", u)
					}
				}
			}},
	})
}
