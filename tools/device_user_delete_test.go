package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceUserDelete(t *testing.T) {
	runCases(t, "device_user_delete", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID},
			want: map[string]any{"ok": true}, check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				for _, u := range sb.DeviceUsers(sandbox.DemoScaleID) {
					if u.UserID == sandbox.DemoScaleUserID {
						t.Error("the device user is still in the sandbox")
					}
				}
			}},
		{name: "user not exist", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "99999999"},
			err: "Tuya error 2006 (user not exist)"},
		{name: "no user id", args: map[string]any{"device_id": sandbox.DemoScaleID}, sendsNothing: true, err: "user_id: required"},
	})
}
