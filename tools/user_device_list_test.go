package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestUserDeviceList(t *testing.T) {
	runCases(t, "user_device_list", []toolCase{
		{name: "home and sharing", args: map[string]any{"uid": sandbox.DemoUserUID}, check: count("devices", 1, -1)},
		{name: "sharing", args: map[string]any{"uid": sandbox.DemoUserUID, "from": "sharing"}, check: count("devices", 1, -1)},
		{name: "user not exist", args: map[string]any{"uid": noSuchUser}, err: "Tuya error 2006 (user not exist)"},
		{name: "bad from", args: map[string]any{"uid": sandbox.DemoUserUID, "from": "friends"}, sendsNothing: true,
			err: "from: must be one of home, sharing"},
		{name: "no uid", sendsNothing: true, err: "invalid arguments for user_device_list: uid: required"},
	})
}
