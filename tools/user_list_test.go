package tools_test

import (
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestUserList(t *testing.T) {
	runCases(t, "user_list", []toolCase{
		{name: "last 30 days", check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
			if n := len(items(t, res, "users")); n == 0 || n > 20 {
				t.Errorf("%d users on the default page, want 1 to 20", n)
			}
		}},
		{name: "small page", args: map[string]any{"page_size": "2", "page_no": float64(1)}, want: map[string]any{"has_more": true},
			check: func(t *testing.T, res map[string]any, _ *sandbox.Server) {
				if n := len(items(t, res, "users")); n != 2 {
					t.Errorf("%d users, want 2", n)
				}
			}},
		{name: "from a start", args: map[string]any{"start_time": time.Now().Add(-10 * 24 * time.Hour).Format(time.RFC3339)}},
		{name: "schema not exist", args: map[string]any{"schema": "nosuchapp"}, err: "Tuya error 2017"},
		{name: "window too long", args: map[string]any{"start_time": "2024-01-01", "end_time": "2024-03-01"}, sendsNothing: true,
			err: "invalid arguments for user_list: start_time, end_time: the window must be at most 30 days"},
	})
}
