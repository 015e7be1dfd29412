package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceFactoryReset(t *testing.T) {
	runCases(t, "device_factory_reset", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoStripID}, want: map[string]any{"ok": true},
			check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				if d, _ := sb.Device(sandbox.DemoStripID); len(d.OutletNames) > 0 {
					t.Errorf("outlet names %v survive a factory reset", d.OutletNames)
				}
			}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "no id", sendsNothing: true, err: "invalid arguments for device_factory_reset: device_id: required"},
	})
}
