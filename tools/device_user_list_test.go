package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

func TestDeviceUserList(t *testing.T) {
	runCases(t, "device_user_list", []toolCase{
		{name: "scale", args: map[string]any{"device_id": sandbox.DemoScaleID},
			check: func(t *testing.T, res map[string]any, sb *sandbox.Server) {
				if got, want := len(tooltest.Items(t, res, "device_users")), len(sb.DeviceUsers(sandbox.DemoScaleID)); got != want || got < 2 {
					t.Errorf("%d device users, the sandbox has %d", got, want)
				}
			}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "no id", sendsNothing: true, err: "invalid arguments for device_user_list: device_id: required"},
	})
}
