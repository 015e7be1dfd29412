package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceOutletNameList(t *testing.T) {
	runCases(t, "device_outlet_name_list", []toolCase{
		{name: "power strip", args: map[string]any{"device_id": sandbox.DemoStripID},
			check: holds("outlets", 3, func(sb *sandbox.Server) int { return len(sb.OutletNames(sandbox.DemoStripID)) })},
		{name: "not supported", args: map[string]any{"device_id": sandbox.DemoScaleID},
			err: "Tuya error 2009 (not support this device)"},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "no id", sendsNothing: true, err: "device_id: required"},
	})
}
