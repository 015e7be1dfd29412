package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// userDeviceListArgs are the arguments of user_device_list.
type userDeviceListArgs struct {
	UID  id     `json:"uid" jsonschema:"required" jsonschema_description:"Tuya user id (user_list finds them)."`
	From string `json:"from" jsonschema:"enum=home,enum=sharing" jsonschema_description:"home: in the user's homes; sharing: shared with the user. Default: both."`
	paging
}

func (a *userDeviceListArgs) resolve(*env) []string {
	a.paging.defaults()
	return nil
}

type userDeviceListResult struct {
	Devices []device `json:"devices" jsonschema:"required"`
	pages
	Record client.Record `json:"-"`
}

func (v userDeviceListResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// userDeviceList is the user_device_list tool: GET /v1.0/users/{uid}/devices (Tuya Device Management page).
func userDeviceList() tool {
	return newTool(tool{
		name: "user_device_list", title: "List a user's devices", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "List the devices available to a user, with details and status.",
		hints:       map[int]string{client.CodeUserNotExist: "check uid; user_list finds users"},
	}, func(ctx context.Context, e *env, a *userDeviceListArgs) (userDeviceListResult, error) {
		ds, err := e.c.ListUserDevices(ctx, string(a.UID), client.ListUserDevicesRequest{
			From: a.From, PageNo: a.PageNo, PageSize: a.PageSize,
		})
		return answer(err, func() userDeviceListResult {
			// The cloud does not say whether more exists: a full page means more may.
			p := pagesOf(fullPage(len(ds), a.PageSize), a.paging.next())
			return userDeviceListResult{Devices: e.devices(ds), pages: p, Record: p.record(client.Record{})}
		})
	})
}
