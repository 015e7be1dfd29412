package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// userDeviceListArgs are the arguments of user_device_list.
type userDeviceListArgs struct {
	UID  id     `json:"uid" jsonschema:"required" jsonschema_description:"Tuya user id (user_list finds them)."`
	From string `json:"from" jsonschema:"enum=home,enum=sharing" jsonschema_description:"home: devices in the user's homes; sharing: devices shared with the user. Default: both."`
	paging
}

func (a *userDeviceListArgs) resolve(*env) []string {
	a.paging.defaults()
	return nil
}

type userDeviceListResult struct {
	Devices []device `json:"devices" jsonschema:"required"`
}

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
		return answer(err, func() userDeviceListResult { return userDeviceListResult{Devices: e.devices(ds)} })
	})
}
