package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceFunctionRename(t *testing.T) {
	runCases(t, "device_function_rename", []toolCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoStripID, "function_code": "switch_1", "name": "Lamp"},
			want: map[string]any{"ok": true}, check: func(t *testing.T, _ map[string]any, sb *sandbox.Server) {
				if d, _ := sb.Device(sandbox.DemoStripID); d.FunctionNames["switch_1"] != "Lamp" {
					t.Errorf("the sandbox has function names %v", d.FunctionNames)
				}
			}},
		{name: "param illegal", args: map[string]any{"device_id": sandbox.DemoStripID, "function_code": "nope_9", "name": "X"},
			err: "Tuya error 1109"},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice, "function_code": "switch_1", "name": "X"},
			err: "Tuya error 2010"},
		{name: "no function code", args: map[string]any{"device_id": sandbox.DemoStripID, "name": "X"}, sendsNothing: true,
			err: "function_code: required"},
	})
}
