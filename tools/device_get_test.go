package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceGet(t *testing.T) {
	runCases(t, "device_get", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoStripID},
			want: map[string]any{"id": sandbox.DemoStripID},
			check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				count("status", 1, -1)(t, res, nil)
				if _, ok := res["local_key"]; ok {
					t.Error("the local key is shown by default")
				}
			}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice},
			err: "Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}: check device_id; device_list finds devices. (tid "},
		{name: "bad id", args: map[string]any{"device_id": "a/b"}, sendsNothing: true,
			err: "invalid arguments for device_get: device_id: must be 1 to 64 letters"},
		{name: "no id", sendsNothing: true, err: "invalid arguments for device_get: device_id: required"},
	})
}
