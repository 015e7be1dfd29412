package tools_test

import (
	"slices"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

func TestDeviceSubDeviceList(t *testing.T) {
	runCases(t, "device_sub_device_list", []toolCase{
		{name: "gateway", args: map[string]any{"device_id": sandbox.DemoGatewayID},
			check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				var ids []any
				for _, s := range tooltest.Items(t, res, "sub_devices") {
					ids = append(ids, s["id"])
				}
				if len(ids) < 3 || !slices.Contains(ids, any(sandbox.DemoSubDeviceID)) {
					t.Errorf("sub-devices %v", ids)
				}
			}},
		{name: "not a gateway", args: map[string]any{"device_id": sandbox.DemoStripID}, want: map[string]any{"sub_devices": []any{}}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "no id", sendsNothing: true, err: "device_id: required"},
	})
}
