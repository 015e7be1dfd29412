package client

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// TestSandboxQuirks runs every read operation over loopback HTTP against a sandbox answering as
// documented and one answering with every quirk of the real cloud (numbers as strings, 0/1
// booleans, nulls, writes without a result, undocumented fields), and checks that the client
// gets the same typed values from both, without a note, and that the writes succeed. Data
// point values are compared apart: they are kept as the device reported them.
func TestSandboxQuirks(t *testing.T) {
	epoch := time.Now()
	now := func() time.Time { return epoch }
	all, err := sandbox.ParseQuirks("all")
	if err != nil {
		t.Fatal(err)
	}
	_, plain := startSandbox(t, sandbox.Options{Now: now}, nil)
	_, quirky := startSandbox(t, sandbox.Options{Now: now, Faults: sandbox.Faults{Quirks: all}}, nil)
	reads := []struct {
		name string
		call func(ctx context.Context, c *Client) (any, error)
	}{
		{"GetDevice", func(ctx context.Context, c *Client) (any, error) { return c.GetDevice(ctx, sandbox.DemoStripID) }},
		{"ListDevices", func(ctx context.Context, c *Client) (any, error) {
			return c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 50, Schema: sandbox.DemoSchema})
		}},
		{"ListUserDevices", func(ctx context.Context, c *Client) (any, error) {
			return c.ListUserDevices(ctx, sandbox.DemoUserUID, ListUserDevicesRequest{})
		}},
		{"ListDeviceLogs", func(ctx context.Context, c *Client) (any, error) {
			return c.ListDeviceLogs(ctx, sandbox.DemoStripID, DeviceLogsRequest{Types: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
				StartTime: epoch.Add(-7 * 24 * time.Hour).UnixMilli(), EndTime: epoch.UnixMilli(), Size: 50})
		}},
		{"ListSubDevices", func(ctx context.Context, c *Client) (any, error) { return c.ListSubDevices(ctx, sandbox.DemoGatewayID) }},
		{"ListFactoryInfos", func(ctx context.Context, c *Client) (any, error) {
			return c.ListFactoryInfos(ctx, []string{sandbox.DemoStripID, sandbox.DemoScaleID})
		}},
		{"ListOutletNames", func(ctx context.Context, c *Client) (any, error) { return c.ListOutletNames(ctx, sandbox.DemoStripID) }},
		{"GetDeviceUser", func(ctx context.Context, c *Client) (any, error) {
			return c.GetDeviceUser(ctx, sandbox.DemoScaleID, sandbox.DemoScaleUserID)
		}},
		{"ListDeviceUsers", func(ctx context.Context, c *Client) (any, error) { return c.ListDeviceUsers(ctx, sandbox.DemoScaleID) }},
		{"GetUser", func(ctx context.Context, c *Client) (any, error) { return c.GetUser(ctx, sandbox.DemoUserUID) }},
		{"ListUsers", func(ctx context.Context, c *Client) (any, error) {
			return c.ListUsers(ctx, sandbox.DemoSchema, ListUsersRequest{PageNo: 1, PageSize: 50,
				StartTime: epoch.Add(-30*24*time.Hour + time.Minute).Unix(), EndTime: epoch.Unix()})
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			want, err := r.call(bg(t), plain)
			if err != nil {
				t.Fatal(err)
			}
			ctx, ci := WithCallInfo(bg(t))
			got, err := r.call(ctx, quirky)
			if err != nil || len(ci.Notes()) > 0 {
				t.Fatalf("with quirks: %v, notes %q", err, ci.Notes())
			}
			if !reflect.DeepEqual(withoutValues(withoutRecords(got)), withoutValues(withoutRecords(want))) {
				t.Errorf("with quirks\n%+v\nwant\n%+v", got, want)
			}
		})
	}
	writes := []struct {
		name string
		call func(ctx context.Context, c *Client) error
	}{
		{"RenameDevice", func(ctx context.Context, c *Client) error { return c.RenameDevice(ctx, sandbox.DemoStripID, "Strip") }},
		{"SetOutletName", func(ctx context.Context, c *Client) error {
			return c.SetOutletName(ctx, sandbox.DemoStripID, OutletName{Identifier: "switch_1", Name: "Kettle"})
		}},
		{"DeleteDeviceUser", func(ctx context.Context, c *Client) error {
			return c.DeleteDeviceUser(ctx, sandbox.DemoScaleID, sandbox.DemoScaleUserID)
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			if err := w.call(bg(t), quirky); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// withoutValues clears every data point value in v (see withoutRecords), in place.
func withoutValues(v any) any {
	clearType(reflect.ValueOf(v), rawMessageType)
	return v
}
