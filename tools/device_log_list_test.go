package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

func TestDeviceLogList(t *testing.T) {
	strip := map[string]any{"device_id": sandbox.DemoStripID}
	runCases(t, "device_log_list", []toolCase{
		{name: "last 7 days", args: strip, check: count("logs", 1, 20)},
		{name: "next page", args: with(strip, map[string]any{"size": float64(1)}),
			check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				next, _ := res["next_page"].(map[string]any)
				if res["has_more"] != res["has_next"] || res["has_more"] != true || next["start_row_key"] != res["next_row_key"] || next["size"] != float64(1) {
					t.Errorf("has_more %v, has_next %v, next_page %v, next_row_key %v", res["has_more"], res["has_next"], next, res["next_row_key"])
				}
			}},
		{name: "types by word and number", args: with(strip, map[string]any{"type": []any{"online", float64(2)}, "size": "50"}),
			check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				for _, l := range tooltest.Items(t, res, "logs") {
					if l["event_type"] != "online" && l["event_type"] != "offline" {
						t.Errorf("a %v log", l["event_type"])
					}
				}
			}},
		{name: "device not exist", args: map[string]any{"device_id": noSuchDevice}, err: "Tuya error 2010"},
		{name: "end before start", args: with(strip, map[string]any{"start_time": "2024-05-02", "end_time": "2024-05-01"}),
			sendsNothing: true, err: "end_time: must not be before start_time"},
		{name: "unknown type", args: with(strip, map[string]any{"type": "boot"}), sendsNothing: true,
			err: "type: must be one of online, offline"},
	})
}
