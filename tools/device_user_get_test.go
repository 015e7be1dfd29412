package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceUserGet(t *testing.T) {
	runCases(t, "device_user_get", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID},
			want: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID, "sex": "female"}},
		{name: "user not exist", args: map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "99999999"},
			err: "Tuya error 2006 (user not exist) on GET /v1.0/devices/{device_id}/users/{user_id}: check user_id"},
		{name: "no user id", args: map[string]any{"device_id": sandbox.DemoScaleID}, sendsNothing: true,
			err: "invalid arguments for device_user_get: user_id: required"},
	})
}
