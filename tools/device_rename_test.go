package tools_test

import (
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceRename(t *testing.T) {
	runCases(t, "device_rename", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoStripID, "name": "Desk strip"},
			want: map[string]any{"ok": true}, check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				if d, _ := sb.Device(sandbox.DemoStripID); d.Name != "Desk strip" {
					t.Errorf("the sandbox names the strip %q", d.Name)
				}
			}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice, "name": "X"},
			err: "Tuya error 2010 (device not exist) on PUT /v1.0/devices/{device_id}: check device_id"},
		{name: "no name", args: map[string]any{"device_id": sandbox.DemoStripID}, sendsNothing: true, err: "name: required"},
		{name: "name too long", args: map[string]any{"device_id": sandbox.DemoStripID, "name": strings.Repeat("n", 51)},
			sendsNothing: true, err: "name: must be 1 to 50 characters (got 51)"},
	})
}
