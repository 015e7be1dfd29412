package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceStatusGet(t *testing.T) {
	const route = "/status"
	runControlTable(t, "device_status_get", []controlCase{
		{name: "success", args: map[string]any{"device_id": sandbox.DemoLampID},
			want: []string{`{"code":"switch_led","value":true}`, `{"code":"bright_value_v2","value":640}`, `"colour_data_v2","value":"{\"h\":0`}},
		{name: "offline device has its last values", args: map[string]any{"device_id": sandbox.DemoOfflineDeviceID},
			want: []string{`{"code":"motion_switch","value":true}`}},
		{name: "unknown device", args: map[string]any{"device_id": "bf00000000000000000000"},
			errWant: []string{"Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}/status", "device_list finds devices"}},
		{name: "not linked", args: map[string]any{"device_id": sandbox.DemoLampID}, refuse: refuse{"GET", route, 1106, ""},
			errWant: []string{"Tuya error 1106", "linked to the cloud project (Devices > Link App Account)"}},
		{name: "not standard", args: map[string]any{"device_id": sandbox.DemoLampID}, refuse: refuse{"GET", route, 2003, ""},
			errWant: []string{"Tuya error 2003", "DP Instruction"}},
		{name: "no device id", args: map[string]any{}, errWant: []string{"invalid arguments for device_status_get: device_id: required"}},
		{name: "bad device id", args: map[string]any{"device_id": "a/b"}, errWant: []string{"device_id: must be 1 to 64 letters"}},
	})
}
