package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestUserDeviceList(t *testing.T) {
	runCases(t, "user_device_list", []toolCase{
		{name: "home and sharing", args: map[string]any{"uid": sandbox.DemoUserUID}, check: count("devices", 1, -1)},
		// The cloud does not say whether more exists: a full page says more may, with the next page.
		{name: "full page", args: map[string]any{"uid": sandbox.DemoUserUID, "page_size": float64(1)},
			want: map[string]any{"has_more": true, "next_page": map[string]any{"page_no": 2, "page_size": 1}}},
		{name: "last page", args: map[string]any{"uid": sandbox.DemoUserUID, "page_size": float64(100)},
			want: map[string]any{"has_more": false}, check: absent("next_page")},
		{name: "sharing", args: map[string]any{"uid": sandbox.DemoUserUID, "from": "sharing"}, check: count("devices", 1, -1)},
		{name: "user not exist", args: map[string]any{"uid": noSuchUser}, err: "Tuya error 2006 (user not exist)"},
		{name: "bad from", args: map[string]any{"uid": sandbox.DemoUserUID, "from": "friends"}, sendsNothing: true,
			err: "from: must be one of home, sharing"},
		{name: "no uid", sendsNothing: true, err: "invalid arguments for user_device_list: uid: required"},
	})
}
