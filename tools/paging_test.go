package tools_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// TestPagingWalk: every paged list tool says has_more on every page and, with it, next_page;
// following next_page, with the other arguments unchanged, visits each entry once, the entries
// of the largest page first and in its order, and ends on a page without next_page.
func TestPagingWalk(t *testing.T) {
	strip := map[string]any{"device_id": sandbox.DemoStripID}
	tests := []struct {
		name, tool, key, id string
		args, page, all     map[string]any
	}{
		{"users", "user_list", "users", "uid", nil, map[string]any{"page_size": 2}, map[string]any{"page_size": 100}},
		{"devices of a product", "device_list", "devices", "id", map[string]any{"product_id": sandbox.DemoProductID},
			map[string]any{"page_size": 1}, map[string]any{"page_size": 100}},
		{"devices of the app", "device_list", "devices", "id", nil,
			map[string]any{"page_size": 2}, map[string]any{"page_size": 100}},
		{"a user's devices", "user_device_list", "devices", "id", map[string]any{"uid": sandbox.DemoUserUID},
			map[string]any{"page_size": 1}, map[string]any{"page_size": 100}},
		{"logs, free edition", "device_log_list", "logs", "", strip,
			map[string]any{"size": 3, "query_type": "free"}, map[string]any{"size": 100, "query_type": "free"}},
		{"logs, paid edition", "device_log_list", "logs", "row", strip,
			map[string]any{"size": 3, "query_type": "paid"}, map[string]any{"size": 100, "query_type": "paid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tooltest.NewStack(t, tooltest.StackOptions{})
			c := st.Connect(t)
			schema := tooltest.OutputSchemas(t, c)[tt.tool]
			call := func(args map[string]any) map[string]any {
				t.Helper()
				res := tooltest.Call(t, c, tt.tool, args)
				if res.IsError {
					t.Fatalf("%s(%v): %s", tt.tool, args, tools.ResultText(res))
				}
				return tooltest.Structured(t, res, schema)
			}
			merged := func(pages ...map[string]any) map[string]any {
				out := maps.Clone(tt.args)
				if out == nil {
					out = map[string]any{}
				}
				for _, p := range pages {
					maps.Copy(out, p)
				}
				return out
			}
			// An entry is known by its id, or by all it holds (free edition logs have no row key).
			key := func(it map[string]any) string {
				if tt.id == "" {
					return fmt.Sprint(it)
				}
				return fmt.Sprint(it[tt.id])
			}
			one := call(merged(tt.all))
			var want []string
			for _, it := range tooltest.Items(t, one, tt.key) {
				want = append(want, key(it))
			}
			if len(want) < 2 {
				t.Fatalf("%d entries in the sandbox, want at least 2 to page through", len(want))
			}
			var got []string
			args := merged(tt.page)
			for page := 1; ; page++ {
				if page > 1000 {
					t.Fatalf("still paging after %d pages", page)
				}
				res := call(args)
				for _, it := range tooltest.Items(t, res, tt.key) {
					got = append(got, key(it))
				}
				more, ok := res["has_more"].(bool)
				next, hasNext := res["next_page"].(map[string]any)
				if !ok || more != hasNext {
					t.Fatalf("page %d: has_more %v, next_page %v", page, res["has_more"], res["next_page"])
				}
				if !more {
					break
				}
				args = merged(tt.page, next)
			}
			if more, _ := one["has_more"].(bool); !more && len(got) != len(want) || len(got) < len(want) ||
				!slices.Equal(got[:len(want)], want) {
				t.Errorf("paged through %d entries %v, want %d first %v (more: %v)", len(got), got, len(want), want, one["has_more"])
			}
			if seen := slices.Compact(slices.Sorted(slices.Values(got))); len(seen) != len(got) {
				t.Errorf("paged through %d entries, %d different", len(got), len(seen))
			}
		})
	}
}

// TestPagingKeepsTheWindow: a list whose time window defaulted to "up to now" names that window
// in next_page, so that following it later asks for the same window; otherwise "now" would move
// between pages and shift the entries.
func TestPagingKeepsTheWindow(t *testing.T) {
	strip := map[string]any{"device_id": sandbox.DemoStripID}
	tests := []struct {
		name, tool string
		args       func(now time.Time) map[string]any
	}{
		{"users, default window", "user_list", func(time.Time) map[string]any { return map[string]any{"page_size": 1} }},
		{"devices, a start only", "device_list", func(now time.Time) map[string]any {
			return map[string]any{"page_size": 1, "start_time": now.AddDate(0, 0, -20).Format(time.RFC3339)}
		}},
		{"logs, default window", "device_log_list", func(time.Time) map[string]any {
			return with(strip, map[string]any{"size": 1, "query_type": "free"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := testutil.NewClock(time.Now().Truncate(time.Second))
			st := tooltest.NewStack(t, tooltest.StackOptions{Tools: tools.Options{Now: clock.Now}})
			c := st.Connect(t)
			window := func(args map[string]any) (start, end string) {
				t.Helper()
				res := tooltest.Structured(t, tooltest.Call(t, c, tt.tool, args), tooltest.OutputSchemas(t, c)[tt.tool])
				next, ok := res["next_page"].(map[string]any)
				if !ok {
					t.Fatalf("%s(%v): no next page: %v", tt.tool, args, res)
				}
				maps.Copy(args, next)
				return fmt.Sprint(next["start_time"]), fmt.Sprint(next["end_time"])
			}
			args := tt.args(clock.Now())
			start, end := window(args)
			if e, err := time.Parse(time.RFC3339Nano, end); err != nil || !e.Equal(clock.Now()) {
				t.Fatalf("next_page end_time %q, want now (%s)", end, clock.Now().UTC().Format(time.RFC3339))
			}
			clock.Advance(36 * time.Hour)
			if s2, e2 := window(args); s2 != start || e2 != end {
				t.Errorf("the window moved between pages: %s..%s, then %s..%s", start, end, s2, e2)
			}
		})
	}
}
