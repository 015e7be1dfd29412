package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// startSandbox serves a sandbox on loopback and returns it with a client for it.
func startSandbox(t *testing.T, opts sandbox.Options, mod func(*Config)) (*sandbox.Server, *Client) {
	t.Helper()
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := Config{
		AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: srv.URL,
		RetryBaseDelay: 2 * time.Millisecond, RetryMaxDelay: 20 * time.Millisecond, RateLimitWindow: 10 * time.Millisecond, Now: opts.Now,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return srv, c
}

func check(cond bool, format string, args ...any) error {
	if cond {
		return nil
	}
	return fmt.Errorf(format, args...)
}

// opCase is one call sequence against a fresh sandbox and the Tuya error code it must end in
// (0: success).
type opCase struct {
	name     string
	run      func(ctx context.Context, c *Client, srv *sandbox.Server) error
	wantCode int
}

// TestSandboxOperations runs every operation's success and documented failures, one subtest per
// operation and a fresh sandbox per case, checking writes through later reads and through the
// sandbox's own store.
func TestSandboxOperations(t *testing.T) {
	now := time.Now()
	for _, op := range []struct {
		name  string
		cases func(now time.Time) []opCase
	}{
		{"SyncUser", syncUserCases},
		{"ListUsers", listUsersCases},
		{"GetUser", getUserCases},
		{"GetDevice", getDeviceCases},
		{"ListDevices", listDevicesCases},
		{"ListUserDevices", listUserDevicesCases},
		{"ListDeviceLogs", listDeviceLogsCases},
		{"RenameDevice", renameDeviceCases},
		{"RenameFunction", renameFunctionCases},
		{"FactoryReset", factoryResetCases},
		{"DeleteDevice", deleteDeviceCases},
		{"ListSubDevices", listSubDevicesCases},
		{"ListFactoryInfos", listFactoryInfosCases},
		{"OutletNames", outletNamesCases},
		{"AddDeviceUser", addDeviceUserCases},
		{"GetDeviceUser", getDeviceUserCases},
		{"EditDeviceUser", editDeviceUserCases},
		{"ListDeviceUsers", listDeviceUsersCases},
		{"DeleteDeviceUser", deleteDeviceUserCases},
		{"GetDeviceStatus", getDeviceStatusCases},
		{"GetSpecification", getSpecificationCases},
		{"SendCommands", sendCommandsCases},
		{"ListCategoryFunctions", listCategoryFunctionsCases},
	} {
		t.Run(op.name, func(t *testing.T) { runOpCases(t, op.cases(now)) })
	}
}

// runOpCases runs each case in parallel on a sandbox of its own.
func runOpCases(t *testing.T, cases []opCase) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := startSandbox(t, sandbox.Options{}, nil)
			ctx, ci := WithCallInfo(bg(t))
			err := tt.run(ctx, c, srv)
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != tt.wantCode || ae.Tid == "" || strings.Contains(ae.Path, "nosuch") {
				t.Fatalf("err = %v, want Tuya error %d on a route template", err, tt.wantCode)
			}
			if ci.Code() != tt.wantCode || ci.Tid() != ae.Tid || errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("CallInfo code %d tid %q; err %v", ci.Code(), ci.Tid(), err)
			}
		})
	}
}

// usersWindow is the longest window the user and device lists accept, ending now.
func usersWindow(now time.Time) (int64, int64) {
	return now.Add(-30*24*time.Hour + time.Minute).Unix(), now.Unix()
}

// syncUserCases: SyncUser: POST /v1.0/apps/{schema}/user (User Management).
func syncUserCases(_ time.Time) []opCase {
	return []opCase{
		{name: "sync user creates then updates by username", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			req := SyncUserRequest{CountryCode: "86", Username: "13800138000", Password: "e10adc3949ba59abbe56e057f20f883e", UsernameType: 1, NickName: "Li"}
			first, err := c.SyncUser(ctx, sandbox.DemoSchema, req)
			if err != nil {
				return err
			}
			req.NickName = "Li Lei"
			second, err := c.SyncUser(ctx, sandbox.DemoSchema, req)
			if err != nil {
				return err
			}
			info, err := c.GetUser(ctx, first.UID)
			if err != nil {
				return err
			}
			u, found := srv.User(first.UID)
			return check(first.UID != "" && second.UID == first.UID && info.NickName == "Li Lei" && found && u.Password == req.Password,
				"uids %q %q, info %+v, store %+v", first.UID, second.UID, info, u)
		}},
		{name: "sync user by email", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			r, err := c.SyncUser(ctx, sandbox.DemoSchema, SyncUserRequest{CountryCode: "44", Username: "ann@example.com", Password: "x", UsernameType: 2})
			if err != nil {
				return err
			}
			u, found := srv.User(r.UID)
			return check(found && u.UsernameType == 2, "store %+v", u)
		}},
		{name: "sync user unknown schema", wantCode: 1106, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.SyncUser(ctx, "nosuchapp", SyncUserRequest{CountryCode: "86", Username: "u1", Password: "x", UsernameType: 3})
			return err
		}},
		{name: "sync user country code not served", wantCode: 2403, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.SyncUser(ctx, sandbox.DemoSchema, SyncUserRequest{CountryCode: "999", Username: "u1", Password: "x", UsernameType: 3})
			return err
		}},
		{name: "sync user bad mobile", wantCode: 2021, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.SyncUser(ctx, sandbox.DemoSchema, SyncUserRequest{CountryCode: "86", Username: "not-a-phone", Password: "x", UsernameType: 1})
			return err
		}},
		{name: "sync user bad email", wantCode: 2022, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.SyncUser(ctx, sandbox.DemoSchema, SyncUserRequest{CountryCode: "86", Username: "nomail", Password: "x", UsernameType: 2})
			return err
		}},
	}
}

// listUsersCases: ListUsers: GET /v2.0/apps/{schema}/users (User Management).
func listUsersCases(now time.Time) []opCase {
	return []opCase{
		{name: "list users pages through the window", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			start, end := usersWindow(now)
			p1, err := c.ListUsers(ctx, sandbox.DemoSchema, ListUsersRequest{PageNo: 1, PageSize: 5, StartTime: start, EndTime: end})
			if err != nil {
				return err
			}
			p2, err := c.ListUsers(ctx, sandbox.DemoSchema, ListUsersRequest{PageNo: 2, PageSize: 5, StartTime: start, EndTime: end})
			if err != nil {
				return err
			}
			all := len(srv.Users(sandbox.DemoSchema))
			if err := check(len(p1.List) == 5 && p1.HasMore && p1.Total > 5 && p1.Total < all && len(p2.List) > 0,
				"page 1 %d users has_more %v total %d (store %d), page 2 %d", len(p1.List), p1.HasMore, p1.Total, all, len(p2.List)); err != nil {
				return err
			}
			return check(p1.List[0].UID != p2.List[0].UID, "pages overlap")
		}},
		{name: "list users unknown schema", wantCode: 2017, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			start, end := usersWindow(now)
			_, err := c.ListUsers(ctx, "nosuchapp", ListUsersRequest{PageNo: 1, PageSize: 5, StartTime: start, EndTime: end})
			return err
		}},
		{name: "list users window over 30 days", wantCode: 1101, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.ListUsers(ctx, sandbox.DemoSchema, ListUsersRequest{PageNo: 1, PageSize: 5, StartTime: now.Add(-40 * 24 * time.Hour).Unix(), EndTime: now.Unix()})
			return err
		}},
		{name: "list users page size over 100", wantCode: 1101, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			start, end := usersWindow(now)
			_, err := c.ListUsers(ctx, sandbox.DemoSchema, ListUsersRequest{PageNo: 1, PageSize: 101, StartTime: start, EndTime: end})
			return err
		}},
	}
}

// getUserCases: GetUser: GET /v1.0/users/{uid}/infos (User Management).
func getUserCases(_ time.Time) []opCase {
	return []opCase{
		{name: "get user", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			u, err := c.GetUser(ctx, sandbox.DemoUserUID)
			if err != nil {
				return err
			}
			return check(u.UID == sandbox.DemoUserUID && u.CreateTime > 0, "user %+v", u)
		}},
		{name: "get unknown user", wantCode: 2006, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.GetUser(ctx, "aynosuchuser")
			return err
		}},
	}
}

// getDeviceCases: GetDevice: GET /v1.0/devices/{device_id} (Device Management).
func getDeviceCases(_ time.Time) []opCase {
	return []opCase{
		{name: "get device", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			d, err := c.GetDevice(ctx, sandbox.DemoStripID)
			if err != nil {
				return err
			}
			return check(d.ID == sandbox.DemoStripID && d.LocalKey != "" && len(d.Status) > 0 && d.ProductID != "", "device %+v", d)
		}},
		{name: "get unknown device", wantCode: 2010, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.GetDevice(ctx, "nosuchdevice")
			return err
		}},
	}
}

// listDevicesCases: ListDevices: GET /v1.0/devices (Device Management).
func listDevicesCases(now time.Time) []opCase {
	return []opCase{
		{name: "list devices by schema with last_id paging", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			p1, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 4, Schema: sandbox.DemoSchema})
			if err != nil {
				return err
			}
			p2, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 4, Schema: sandbox.DemoSchema, LastID: p1.LastID})
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			for _, d := range p1.Devices {
				seen[d.ID] = true
			}
			for _, d := range p2.Devices {
				if seen[d.ID] {
					return fmt.Errorf("device %s on both pages", d.ID)
				}
			}
			return check(len(p1.Devices) == 4 && p1.HasMore && p1.LastID == p1.Devices[3].ID && len(p2.Devices) > 0, "pages %+v / %+v", p1, p2)
		}},
		{name: "list devices by product and ids", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			byProduct, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 20, ProductID: sandbox.DemoProductID})
			if err != nil {
				return err
			}
			for _, d := range byProduct.Devices {
				if d.ProductID != sandbox.DemoProductID {
					return fmt.Errorf("product filter let %s (%s) through", d.ID, d.ProductID)
				}
			}
			byID, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 20, DeviceIDs: []string{sandbox.DemoStripID, sandbox.DemoScaleID}})
			if err != nil {
				return err
			}
			return check(len(byProduct.Devices) >= 2 && len(byID.Devices) == 2, "%d by product, %d by id", len(byProduct.Devices), len(byID.Devices))
		}},
		{name: "list devices unknown schema", wantCode: 2017, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 20, Schema: "nosuchapp"})
			return err
		}},
		{name: "list devices page size over 100", wantCode: 1101, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 101})
			return err
		}},
		{name: "list devices window over 30 days", wantCode: 1101, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 20, StartTime: now.Add(-31 * 24 * time.Hour).Unix(), EndTime: now.Unix()})
			return err
		}},
	}
}

// listUserDevicesCases: ListUserDevices: GET /v1.0/users/{uid}/devices (Device Management).
func listUserDevicesCases(_ time.Time) []opCase {
	return []opCase{
		{name: "list user devices at home and shared", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			home, err := c.ListUserDevices(ctx, sandbox.DemoUserUID, ListUserDevicesRequest{})
			if err != nil {
				return err
			}
			shared, err := c.ListUserDevices(ctx, sandbox.DemoUserUID, ListUserDevicesRequest{From: "sharing"})
			if err != nil {
				return err
			}
			return check(len(home) > 0 && len(shared) > 0, "%d home, %d shared", len(home), len(shared))
		}},
		{name: "list user devices bad from", wantCode: 1109, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.ListUserDevices(ctx, sandbox.DemoUserUID, ListUserDevicesRequest{From: "bogus"})
			return err
		}},
	}
}

// listDeviceLogsCases: ListDeviceLogs: GET /v1.0/devices/{device_id}/logs (Device Management).
func listDeviceLogsCases(_ time.Time) []opCase {
	return []opCase{
		{name: "list device logs", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			logs, err := c.ListDeviceLogs(ctx, sandbox.DemoStripID, DeviceLogsRequest{Types: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, EndTime: time.Now().UnixMilli(), Size: 10})
			if err != nil {
				return err
			}
			return check(len(logs.Logs) == 10 && logs.HasNext && logs.DeviceID == sandbox.DemoStripID, "logs %d has_next %v", len(logs.Logs), logs.HasNext)
		}},
		{name: "list device logs size over 100", wantCode: 1101, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.ListDeviceLogs(ctx, sandbox.DemoStripID, DeviceLogsRequest{Types: []int{7}, EndTime: time.Now().UnixMilli(), Size: 101})
			return err
		}},
	}
}

// renameDeviceCases: RenameDevice: PUT /v1.0/devices/{device_id} (Device Management).
func renameDeviceCases(_ time.Time) []opCase {
	return []opCase{
		{name: "rename device shows everywhere", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			if err := c.RenameDevice(ctx, sandbox.DemoStripID, "Desk strip"); err != nil {
				return err
			}
			d, err := c.GetDevice(ctx, sandbox.DemoStripID)
			if err != nil {
				return err
			}
			sd, _ := srv.Device(sandbox.DemoStripID)
			return check(d.Name == "Desk strip" && sd.Name == "Desk strip", "api %q, store %q", d.Name, sd.Name)
		}},
	}
}

// renameFunctionCases: RenameFunction: PUT /v1.0/devices/{device_id}/functions/{function_code} (Device Management).
func renameFunctionCases(_ time.Time) []opCase {
	return []opCase{
		{name: "rename function", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			if err := c.RenameFunction(ctx, sandbox.DemoStripID, "switch_1", "Kettle"); err != nil {
				return err
			}
			d, _ := srv.Device(sandbox.DemoStripID)
			return check(d.FunctionNames["switch_1"] == "Kettle", "function names %v", d.FunctionNames)
		}},
		{name: "rename unknown function", wantCode: 1109, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.RenameFunction(ctx, sandbox.DemoStripID, "no_such_dp", "x")
		}},
	}
}

// factoryResetCases: FactoryReset: PUT /v1.0/devices/{device_id}/reset-factory (Device Management).
func factoryResetCases(_ time.Time) []opCase {
	return []opCase{
		{name: "factory reset", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			if err := c.RenameDevice(ctx, sandbox.DemoScaleID, "Bathroom"); err != nil {
				return err
			}
			if err := c.FactoryReset(ctx, sandbox.DemoScaleID); err != nil {
				return err
			}
			d, err := c.GetDevice(ctx, sandbox.DemoScaleID)
			if err != nil {
				return err
			}
			return check(d.Name != "Bathroom" && len(srv.DeviceUsers(sandbox.DemoScaleID)) == 0, "after reset: %q, %d users", d.Name, len(srv.DeviceUsers(sandbox.DemoScaleID)))
		}},
	}
}

// deleteDeviceCases: DeleteDevice: DELETE /v1.0/devices/{device_id} (Device Management).
func deleteDeviceCases(_ time.Time) []opCase {
	return []opCase{
		{name: "delete device", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			if err := c.DeleteDevice(ctx, sandbox.DemoOfflineDeviceID); err != nil {
				return err
			}
			_, err := c.GetDevice(ctx, sandbox.DemoOfflineDeviceID)
			_, found := srv.Device(sandbox.DemoOfflineDeviceID)
			return check(IsCode(err, CodeDeviceNotExist) && !found, "after delete: %v, in store %v", err, found)
		}},
		{name: "delete unknown device", wantCode: 2010, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.DeleteDevice(ctx, "nosuchdevice")
		}},
	}
}

// listSubDevicesCases: ListSubDevices: GET /v1.0/devices/{device_id}/sub-devices (Device Management).
func listSubDevicesCases(_ time.Time) []opCase {
	return []opCase{
		{name: "sub-devices", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			subs, err := c.ListSubDevices(ctx, sandbox.DemoGatewayID)
			if err != nil {
				return err
			}
			found := false
			for _, s := range subs {
				found = found || s.ID == sandbox.DemoSubDeviceID
			}
			return check(len(subs) >= 3 && found, "%d sub-devices, demo one found %v", len(subs), found)
		}},
	}
}

// listFactoryInfosCases: ListFactoryInfos: GET /v1.0/devices/factory-infos (Device Management).
func listFactoryInfosCases(_ time.Time) []opCase {
	return []opCase{
		{name: "factory infos", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			infos, err := c.ListFactoryInfos(ctx, []string{sandbox.DemoStripID, sandbox.DemoScaleID, "nosuchdevice"})
			if err != nil {
				return err
			}
			return check(len(infos) == 2 && infos[0].UUID != "", "infos %+v", infos)
		}},
		{name: "factory infos over 20 ids", wantCode: 1101, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			ids := make([]string, 21)
			for i := range ids {
				ids[i] = fmt.Sprintf("dev%02d", i)
			}
			_, err := c.ListFactoryInfos(ctx, ids)
			return err
		}},
	}
}

// outletNamesCases: SetOutletName and ListOutletNames: /v1.0/devices/{device_id}/multiple-name(s) (Device Management).
func outletNamesCases(_ time.Time) []opCase {
	return []opCase{
		{name: "outlet names", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			if err := c.SetOutletName(ctx, sandbox.DemoStripID, OutletName{Identifier: "switch_2", Name: "Lamp"}); err != nil {
				return err
			}
			names, err := c.ListOutletNames(ctx, sandbox.DemoStripID)
			if err != nil {
				return err
			}
			got := ""
			for _, n := range names {
				if n.Identifier == "switch_2" {
					got = n.Name
				}
			}
			return check(got == "Lamp" && len(srv.OutletNames(sandbox.DemoStripID)) >= 3, "outlets %+v", names)
		}},
		{name: "outlet names on a single-outlet device", wantCode: 2009, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.SetOutletName(ctx, sandbox.DemoScaleID, OutletName{Identifier: "switch_1", Name: "x"})
		}},
	}
}

// deviceUsersCases: the device-user operations: /v1.0/devices/{device_id}/user(s) (Device User Management).
// addScaleUser adds Kim to the demo scale, as the device user operations' cases start.
func addScaleUser(ctx context.Context, c *Client) (string, error) {
	return c.AddDeviceUser(ctx, sandbox.DemoScaleID, DeviceUserInput{NickName: "Kim", Sex: 2, Height: ptr(165), Weight: ptr(55000), Contact: ptr("kim@example.com")})
}

func addDeviceUserCases(_ time.Time) []opCase {
	return []opCase{
		{name: "add, then get", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			before := len(srv.DeviceUsers(sandbox.DemoScaleID))
			id, err := addScaleUser(ctx, c)
			if err != nil {
				return err
			}
			u, err := c.GetDeviceUser(ctx, sandbox.DemoScaleID, id)
			if err != nil {
				return err
			}
			return check(u.NickName == "Kim" && u.Sex == 2 && u.Height == 165 && u.Weight == 55000 &&
				len(srv.DeviceUsers(sandbox.DemoScaleID)) == before+1, "added %+v", u)
		}},
		{name: "to an unknown device", wantCode: 2010, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.AddDeviceUser(ctx, "nosuchdevice", DeviceUserInput{NickName: "x", Sex: 1})
			return err
		}},
	}
}

func getDeviceUserCases(_ time.Time) []opCase {
	return []opCase{
		{name: "a seeded user", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			want := srv.DeviceUsers(sandbox.DemoScaleID)[0]
			u, err := c.GetDeviceUser(ctx, sandbox.DemoScaleID, want.UserID)
			if err != nil {
				return err
			}
			return check(u.UserID == want.UserID && u.NickName == want.NickName && int64(u.Height) == want.Height, "got %+v, want %+v", u, want)
		}},
		{name: "unknown user", wantCode: CodeUserNotExist, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.GetDeviceUser(ctx, sandbox.DemoScaleID, "999999")
			return err
		}},
	}
}

func editDeviceUserCases(_ time.Time) []opCase {
	return []opCase{
		{name: "edit, then list", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			id, err := addScaleUser(ctx, c)
			if err != nil {
				return err
			}
			if err := c.EditDeviceUser(ctx, sandbox.DemoScaleID, id, DeviceUserInput{NickName: "Kim L", Sex: 2, Height: ptr(166)}); err != nil {
				return err
			}
			list, err := c.ListDeviceUsers(ctx, sandbox.DemoScaleID)
			if err != nil {
				return err
			}
			var edited *DeviceUser
			for i := range list {
				if list[i].UserID == id {
					edited = &list[i]
				}
			}
			return check(edited != nil && edited.NickName == "Kim L" && edited.Height == 166, "list %+v", list)
		}},
		{name: "unknown device user", wantCode: 2006, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.EditDeviceUser(ctx, sandbox.DemoScaleID, "999999", DeviceUserInput{NickName: "x", Sex: 1})
		}},
	}
}

func listDeviceUsersCases(_ time.Time) []opCase {
	return []opCase{
		{name: "the seeded users and an added one", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			before := len(srv.DeviceUsers(sandbox.DemoScaleID))
			if _, err := addScaleUser(ctx, c); err != nil {
				return err
			}
			list, err := c.ListDeviceUsers(ctx, sandbox.DemoScaleID)
			if err != nil {
				return err
			}
			return check(before > 0 && len(list) == before+1, "listed %d, %d before the add", len(list), before)
		}},
	}
}

func deleteDeviceUserCases(_ time.Time) []opCase {
	return []opCase{
		{name: "delete, then get", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			before := len(srv.DeviceUsers(sandbox.DemoScaleID))
			id, err := addScaleUser(ctx, c)
			if err != nil {
				return err
			}
			if err := c.DeleteDeviceUser(ctx, sandbox.DemoScaleID, id); err != nil {
				return err
			}
			_, err = c.GetDeviceUser(ctx, sandbox.DemoScaleID, id)
			return check(IsCode(err, CodeUserNotExist) && len(srv.DeviceUsers(sandbox.DemoScaleID)) == before, "after delete: %v", err)
		}},
		{name: "unknown device user", wantCode: 2006, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.DeleteDeviceUser(ctx, sandbox.DemoScaleID, "999999")
		}},
	}
}

func getSpecificationCases(_ time.Time) []opCase {
	return []opCase{
		{name: "a lamp", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			spec, err := c.GetSpecification(ctx, sandbox.DemoLampID)
			if err != nil {
				return err
			}
			var bright DPSpec
			for _, f := range spec.Functions {
				if f.Code == "bright_value_v2" {
					bright = f
				}
			}
			return check(spec.Category == "dj" && bright.Type == "Integer" && strings.Contains(bright.ValuesText(), `"max":1000`),
				"spec %+v", spec)
		}},
		{name: "a sensor has no functions", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			spec, err := c.GetSpecification(ctx, sandbox.DemoClimateSensorID)
			if err != nil {
				return err
			}
			return check(len(spec.Functions) == 0 && len(spec.Status) >= 3, "spec %+v", spec)
		}},
		{name: "unknown device", wantCode: CodeDeviceNotExist, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.GetSpecification(ctx, "nosuchdevice")
			return err
		}},
	}
}

func sendCommandsCases(_ time.Time) []opCase {
	return []opCase{
		{name: "commands, then the new status", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			if err := c.SendCommands(ctx, sandbox.DemoLampID, []Command{{"bright_value_v2", 250}, {"colour_data_v2", map[string]int{"h": 1, "s": 2, "v": 3}}}); err != nil {
				return err
			}
			status, err := c.GetDeviceStatus(ctx, sandbox.DemoLampID)
			if err != nil {
				return err
			}
			got := map[string]string{}
			for _, dp := range status {
				got[dp.Code] = string(dp.Value)
			}
			d, _ := srv.Device(sandbox.DemoLampID)
			return check(got["bright_value_v2"] == "250" && got["colour_data_v2"] == `"{\"h\":1,\"s\":2,\"v\":3}"` && len(d.Status) == len(status),
				"status %v", got)
		}},
		{name: "a report-only code", wantCode: CodeCommandNotSupport, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.SendCommands(ctx, sandbox.DemoPlugID, []Command{{"cur_power", 5}})
		}},
		{name: "an offline device", wantCode: CodeDeviceOffline, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			return c.SendCommands(ctx, sandbox.DemoOfflineDeviceID, []Command{{"motion_switch", true}})
		}},
	}
}

func getDeviceStatusCases(_ time.Time) []opCase {
	return []opCase{
		{name: "every data point the sandbox holds", run: func(ctx context.Context, c *Client, srv *sandbox.Server) error {
			status, err := c.GetDeviceStatus(ctx, sandbox.DemoPlugID)
			if err != nil {
				return err
			}
			d, _ := srv.Device(sandbox.DemoPlugID)
			return check(len(status) > 0 && len(d.Status) == len(status), "status %+v, sandbox %+v", status, d.Status)
		}},
		{name: "unknown device", wantCode: CodeDeviceNotExist, run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			_, err := c.GetDeviceStatus(ctx, "nosuchdevice")
			return err
		}},
	}
}

func listCategoryFunctionsCases(_ time.Time) []opCase {
	return []opCase{
		{name: "a category", run: func(ctx context.Context, c *Client, _ *sandbox.Server) error {
			fs, err := c.ListCategoryFunctions(ctx, "dj")
			if err != nil {
				return err
			}
			// name and desc, which the types do not declare, pass through.
			b, err := json.Marshal(fs.Functions[0])
			if err != nil {
				return err
			}
			return check(fs.Category == "dj" && len(fs.Functions) > 3 && strings.Contains(string(b), `"name":"`) &&
				strings.Contains(string(b), `"desc":"`), "functions %+v: %s", fs, b)
		}},
	}
}
