package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

func TestDeviceOutletNameList(t *testing.T) {
	runCases(t, "device_outlet_name_list", []toolCase{
		{name: "power strip", args: map[string]any{"device_id": sandbox.DemoStripID},
			check: func(t *testing.T, res map[string]any, sb *sandbox.Server) {
				if got, want := len(tooltest.Items(t, res, "outlets")), len(sb.OutletNames(sandbox.DemoStripID)); got != want || got < 3 {
					t.Errorf("%d outlets, the sandbox has %d", got, want)
				}
			}},
		{name: "not supported", args: map[string]any{"device_id": sandbox.DemoScaleID},
			err: "Tuya error 2009 (not support this device)"},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "no id", sendsNothing: true, err: "device_id: required"},
	})
}
