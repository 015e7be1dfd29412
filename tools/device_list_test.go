package tools_test

import (
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

func TestDeviceList(t *testing.T) {
	runCases(t, "device_list", []toolCase{
		{name: "default schema", check: count("devices", 1, 20)},
		{name: "more pages", args: map[string]any{"page_size": float64(1)},
			want: map[string]any{"has_more": true}, check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				if next, _ := res["next_page"].(map[string]any); res["last_id"] == nil || next["last_id"] != res["last_id"] || next["page_size"] != float64(1) {
					t.Errorf("next_page = %v, last_id %v", res["next_page"], res["last_id"])
				}
			}},
		{name: "last page", args: map[string]any{"page_size": float64(100)}, want: map[string]any{"has_more": false},
			check: absent("next_page")},
		{name: "by product", args: map[string]any{"product_id": sandbox.DemoProductID},
			check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				ds := tooltest.Items(t, res, "devices")
				for _, d := range ds {
					if d["product_id"] != sandbox.DemoProductID {
						t.Errorf("device %v of product %v", d["id"], d["product_id"])
					}
				}
				if len(ds) < 2 {
					t.Errorf("%d devices of the demo product, want >= 2", len(ds))
				}
			}},
		{name: "by ids", args: map[string]any{"device_ids": sandbox.DemoStripID + "," + sandbox.DemoScaleID},
			check: count("devices", 2, 2)},
		{name: "in a window", args: map[string]any{"start_time": time.Now().Add(-20 * 24 * time.Hour).Unix()}},
		{name: "schema not exist", args: map[string]any{"schema": "nosuchapp"}, err: "Tuya error 2017"},
		{name: "window too long", args: map[string]any{"start_time": "2024-01-01T00:00:00Z", "end_time": "2024-03-01T00:00:00Z"},
			sendsNothing: true, err: "start_time, end_time: the window must be at most 30 days"},
		{name: "page too large", args: map[string]any{"page_size": float64(500)}, sendsNothing: true,
			err: "invalid arguments for device_list: page_size: must be between 1 and 100 (got 500)"},
	})
}
