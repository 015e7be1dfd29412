package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceUserList(t *testing.T) {
	runCases(t, "device_user_list", []toolCase{
		{name: "scale", args: map[string]any{"device_id": sandbox.DemoScaleID},
			check: holds("device_users", 2, func(sb *sandbox.Server) int { return len(sb.DeviceUsers(sandbox.DemoScaleID)) })},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "no id", sendsNothing: true, err: "invalid arguments for device_user_list: device_id: required"},
	})
}
