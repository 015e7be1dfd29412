package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestUserDeviceList(t *testing.T) {
	some := func(t *testing.T, res map[string]any, _ *sandbox.Server) {
		if len(items(t, res, "devices")) == 0 {
			t.Error("no devices")
		}
	}
	runCases(t, "user_device_list", []toolCase{
		{name: "home and sharing", args: map[string]any{"uid": sandbox.DemoUserUID}, check: some},
		{name: "sharing", args: map[string]any{"uid": sandbox.DemoUserUID, "from": "sharing"}, check: some},
		{name: "user not exist", args: map[string]any{"uid": noSuchUser}, err: "Tuya error 2006 (user not exist)"},
		{name: "bad from", args: map[string]any{"uid": sandbox.DemoUserUID, "from": "friends"}, sendsNothing: true,
			err: "from: must be one of home, sharing"},
		{name: "no uid", sendsNothing: true, err: "invalid arguments for user_device_list: uid: required"},
	})
}
