package tools_test

import (
	"testing"
	"time"
)

func TestUserList(t *testing.T) {
	runCases(t, "user_list", []toolCase{
		{name: "last 30 days", check: count("users", 1, 20)},
		{name: "small page", args: map[string]any{"page_size": "2", "page_no": float64(1)}, want: map[string]any{"has_more": true},
			check: count("users", 2, 2)},
		{name: "from a start", args: map[string]any{"start_time": time.Now().Add(-10 * 24 * time.Hour).Format(time.RFC3339)}},
		{name: "schema not exist", args: map[string]any{"schema": "nosuchapp"}, err: "Tuya error 2017"},
		{name: "window too long", args: map[string]any{"start_time": "2024-01-01", "end_time": "2024-03-01"}, sendsNothing: true,
			err: "invalid arguments for user_list: start_time, end_time: the window must be at most 30 days"},
	})
}
