package tools

import (
	"context"
)

// deviceUserListArgs are the arguments of device_user_list.
type deviceUserListArgs struct {
	deviceRef
}

type deviceUserListResult struct {
	DeviceUsers []deviceUserResult `json:"device_users" jsonschema:"required"`
}

// deviceUserList is the device_user_list tool: GET /v1.0/devices/{device_id}/users (Tuya Device User Management page).
func deviceUserList() tool {
	return newTool(tool{
		name: "device_user_list", title: "List device users", toolset: toolsetDeviceUsers, alias: "deviceUser.list", readOnly: true, idempotent: true,
		description: "List the users of a device, with their profiles." + notPaged,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceUserListArgs) (deviceUserListResult, error) {
		us, err := e.c.ListDeviceUsers(ctx, string(a.DeviceID))
		return answer(err, func() deviceUserListResult {
			return deviceUserListResult{DeviceUsers: convertAll(us, deviceUserOf)}
		})
	})
}
