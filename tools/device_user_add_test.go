package tools_test

import (
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceUserAdd(t *testing.T) {
	runCases(t, "device_user_add", []toolCase{
		{name: "full profile", args: map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "Conf", "sex": "female",
			"birthday": "1990-04-01", "height": "170", "weight": float64(60000), "contact": "conf@example.com"},
			check: func(t *testing.T, res map[string]any, sb *sandbox.Server) {
				for _, u := range sb.DeviceUsers(sandbox.DemoScaleID) {
					if u.UserID == res["user_id"] {
						want := time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
						if u.Sex != 2 || u.Birthday != want || u.Height != 170 || u.Weight != 60000 || u.Contact != "conf@example.com" {
							t.Errorf("the sandbox holds %+v", u)
						}
						return
					}
				}
				t.Errorf("device user %v is not in the sandbox", res["user_id"])
			}},
		{name: "by alias", args: map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "Two", "sex": float64(1)}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice, "nick_name": "X", "sex": "male"},
			err: "Tuya error 2010"},
		{name: "bad sex", args: map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "X", "sex": "other"}, sendsNothing: true,
			err: "sex: must be one of male, female (or 1 to 2)"},
		{name: "no profile", args: map[string]any{"device_id": sandbox.DemoScaleID}, sendsNothing: true,
			err: "nick_name: required; sex: required"},
	})
}
