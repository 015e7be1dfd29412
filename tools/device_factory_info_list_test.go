package tools_test

import (
	"fmt"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceFactoryInfoList(t *testing.T) {
	many := make([]any, 21)
	for i := range many {
		many[i] = fmt.Sprintf("dev%02d", i)
	}
	runCases(t, "device_factory_info_list", []toolCase{
		{name: "two devices", args: map[string]any{"device_ids": []any{sandbox.DemoStripID, sandbox.DemoScaleID}},
			check: count("factory_infos", 2, 2)},
		{name: "unknown ids left out", args: map[string]any{"device_ids": []any{noSuchDevice}}, want: map[string]any{"factory_infos": []any{}}},
		{name: "too many ids", args: map[string]any{"device_ids": many}, sendsNothing: true, err: "device_ids: must have 1 to 20 items (got 21)"},
		{name: "no ids", sendsNothing: true, err: "device_ids: required"},
	})
}
