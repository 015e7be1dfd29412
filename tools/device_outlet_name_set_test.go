package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceOutletNameSet(t *testing.T) {
	runCases(t, "device_outlet_name_set", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_2", "name": "Kettle"},
			want: map[string]any{"ok": true}, check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				for _, o := range sb.OutletNames(sandbox.DemoStripID) {
					if o.Identifier == "switch_2" && o.Name != "Kettle" {
						t.Errorf("switch_2 is named %q", o.Name)
					}
				}
			}},
		{name: "unknown outlet", args: map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_99", "name": "X"},
			err: "Tuya error 1109"},
		{name: "no named outlets", args: map[string]any{"device_id": sandbox.DemoScaleID, "identifier": "switch_1", "name": "X"},
			err: "Tuya error 2009"},
		{name: "no name", args: map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_1"}, sendsNothing: true,
			err: "name: required"},
	})
}
