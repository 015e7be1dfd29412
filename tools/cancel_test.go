package tools_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

const (
	// slowCloud is the sandbox latency of the cancellation tests: far longer than any bound
	// they set, so that only a cancellation can end a call early.
	slowCloud = 2 * time.Second
	// giveUpAfter is when the caller cancels or disconnects.
	giveUpAfter = 100 * time.Millisecond
	// promptly is the slack allowed for a call to end after its bound, and for the server side
	// to notice a cancellation and release its goroutines: well under slowCloud, so that what
	// ends was cancelled rather than answered.
	promptly = 900 * time.Millisecond
)

// slowStack starts a stack whose tools log to buf, primes its access token, and then slows the
// sandbox down, so that the calls under test wait on the business request itself.
func slowStack(t *testing.T, buf *testutil.SyncBuffer, opts tools.Options) (*tooltest.Stack, *tooltest.Conn) {
	t.Helper()
	opts.Logger = zerolog.New(buf)
	st := tooltest.NewStack(t, tooltest.StackOptions{Tools: opts})
	mc := st.Dial(t)
	if res, err := callWithin(mc, 10*time.Second, "device_get", map[string]any{"device_id": sandbox.DemoStripID}); err != nil || res.IsError {
		t.Fatalf("priming call: %v %v", err, res)
	}
	st.Sandbox.SetFaults(sandbox.Faults{Latency: slowCloud})
	return st, mc
}

// waitForLog waits until buf holds a tool call line with the outcome, or the deadline passes.
func waitForLog(buf *testutil.SyncBuffer, tool, outcome string, deadline time.Time) bool {
	for {
		for line := range strings.Lines(buf.String()) {
			if strings.Contains(line, `"tool":"`+tool+`"`) && strings.Contains(line, `"outcome":"`+outcome+`"`) {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCancelMidCall gives up on a call while Tuya is slow, in the three ways a client can: its
// context ends, it closes, or its connections are cut. The call must end at once, the server's
// handler must see the cancellation, every goroutine it started must end long before the cloud
// would have answered, the write must not land, and the server must keep serving.
func TestCancelMidCall(t *testing.T) {
	const nick = "cancelled-add"
	cases := []struct {
		name string
		tool string
		args map[string]any
		// outcome is what the server logs for the call: a request that may have reached Tuya
		// has an unknown outcome for a non-idempotent tool.
		outcome string
		// giveUp ends the call: it returns the context for CallTool and acts after giveUpAfter.
		giveUp func(t *testing.T, st *tooltest.Stack, mc *tooltest.Conn) context.Context
		// unchanged checks that the write did not land.
		unchanged func(t *testing.T, sb *sandbox.Server)
	}{
		{
			name:    "caller_cancels",
			tool:    "device_user_add",
			args:    map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": nick, "sex": "male"},
			outcome: "outcome_unknown",
			giveUp: func(t *testing.T, _ *tooltest.Stack, _ *tooltest.Conn) context.Context {
				ctx, cancel := context.WithTimeout(context.Background(), giveUpAfter)
				t.Cleanup(cancel)
				return ctx
			},
			unchanged: func(t *testing.T, sb *sandbox.Server) {
				for _, u := range sb.DeviceUsers(sandbox.DemoScaleID) {
					if u.NickName == nick {
						t.Errorf("the cancelled device_user_add added user %s", u.UserID)
					}
				}
			},
		},
		{
			name:    "client_closes",
			tool:    "device_rename",
			args:    map[string]any{"device_id": sandbox.DemoStripID, "name": "never"},
			outcome: "canceled",
			giveUp: func(_ *testing.T, _ *tooltest.Stack, mc *tooltest.Conn) context.Context {
				time.AfterFunc(giveUpAfter, mc.Hangup)
				return context.Background()
			},
			unchanged: func(t *testing.T, sb *sandbox.Server) {
				if d, _ := sb.Device(sandbox.DemoStripID); d.Name == "never" {
					t.Error("the device_rename of a closed client renamed the device")
				}
			},
		},
		{
			name:    "connections_cut",
			tool:    "device_outlet_name_set",
			args:    map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_1", "name": "never"},
			outcome: "canceled",
			giveUp: func(_ *testing.T, st *tooltest.Stack, _ *tooltest.Conn) context.Context {
				time.AfterFunc(giveUpAfter, st.HTTP.CloseClientConnections)
				return context.Background()
			},
			unchanged: func(t *testing.T, sb *sandbox.Server) {
				for _, o := range sb.OutletNames(sandbox.DemoStripID) {
					if o.Name == "never" {
						t.Errorf("the device_outlet_name_set of a cut connection named outlet %s", o.Identifier)
					}
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf testutil.SyncBuffer
			st, mc := slowStack(t, &buf, tools.Options{})
			base := runtime.NumGoroutine()

			start := time.Now()
			ctx := tc.giveUp(t, st, mc)
			res, err := mc.CallTool(ctx, tooltest.CallRequest(tc.tool, tc.args))
			took := time.Since(start)
			if err == nil {
				t.Errorf("%s returned %q after the client gave up, want an error", tc.tool, tools.ResultText(res))
			}
			if took > giveUpAfter+promptly {
				t.Errorf("%s returned after %s, want within %s of giving up", tc.tool, took, promptly)
			}
			deadline := start.Add(giveUpAfter + promptly)
			if !waitForLog(&buf, tc.tool, tc.outcome, deadline) {
				t.Errorf("the server's handler did not end with outcome %s; log:\n%s", tc.outcome, buf.String())
			}
			if n, ok := settleGoroutines(t, base, time.Until(deadline)); !ok {
				t.Errorf("%d goroutines %s after giving up, %d before the call", n, time.Since(start), base)
			}
			tc.unchanged(t, st.Sandbox)

			// The server and the client's token survive: a new client is served at once.
			st.Sandbox.SetFaults(sandbox.Faults{})
			if res, err := callWithin(st.Dial(t), 10*time.Second, "device_get", map[string]any{"device_id": sandbox.DemoStripID}); err != nil || res.IsError {
				t.Errorf("a call after the cancelled one: %v %v", err, res)
			}
		})
	}
}

// TestCallTimeoutBoundsSlowCloud checks that Options.CallTimeout bounds a call to a slow cloud,
// over the whole path, with an isError that names the bound and the tool, and that nothing is
// left running.
func TestCallTimeoutBoundsSlowCloud(t *testing.T) {
	const bound = 200 * time.Millisecond
	cases := []struct {
		tool string
		args map[string]any
		want []string
	}{
		{"device_get", map[string]any{"device_id": sandbox.DemoStripID}, []string{"device_get timed out after 200ms"}},
		{"device_rename", map[string]any{"device_id": sandbox.DemoStripID, "name": "late"}, []string{"device_rename timed out after 200ms"}},
		// A request that may have reached Tuya cannot be called timed out and left at that: the
		// model must learn that the add may have happened.
		{"device_user_add", map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "late", "sex": "female"},
			[]string{"device_user_add: the outcome is unknown (no answer within 200ms)", "device_user_list"}},
	}
	for _, tc := range cases {
		t.Run(tc.tool, func(t *testing.T) {
			var buf testutil.SyncBuffer
			_, mc := slowStack(t, &buf, tools.Options{CallTimeout: bound})
			base := runtime.NumGoroutine()

			start := time.Now()
			res, err := callWithin(mc, 10*time.Second, tc.tool, tc.args)
			took := time.Since(start)
			if err != nil {
				t.Fatalf("%s: %v", tc.tool, err)
			}
			if !res.IsError {
				t.Fatalf("%s succeeded against a cloud slower than the bound", tc.tool)
			}
			for _, w := range tc.want {
				if !strings.Contains(tools.ResultText(res), w) {
					t.Errorf("%s = %q, want it to contain %q", tc.tool, tools.ResultText(res), w)
				}
			}
			if took > bound+promptly {
				t.Errorf("%s returned after %s, want within %s of the %s bound", tc.tool, took, promptly, bound)
			}
			if n, ok := settleGoroutines(t, base, time.Until(start.Add(bound+promptly))); !ok {
				t.Errorf("%d goroutines %s after the call, %d before it", n, time.Since(start), base)
			}
		})
	}
}
