package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceDelete(t *testing.T) {
	runCases(t, "device_delete", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoOfflineDeviceID}, want: map[string]any{"ok": true},
			check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				if _, ok := sb.Device(sandbox.DemoOfflineDeviceID); ok {
					t.Error("the device is still in the sandbox")
				}
			}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice},
			err: "Tuya error 2010 (device not exist) on DELETE /v1.0/devices/{device_id}"},
		{name: "bad id", args: map[string]any{"device_id": "../x"}, sendsNothing: true, err: "device_id: must be 1 to 64 letters"},
	})
}
