package tools

import (
	"context"
)

// deviceUserGetArgs are the arguments of device_user_get.
type deviceUserGetArgs struct {
	deviceUserRef
}

// deviceUserGet is the device_user_get tool: GET /v1.0/devices/{device_id}/users/{user_id} (Tuya Device User Management page).
func deviceUserGet() tool {
	return newTool(tool{
		name: "device_user_get", title: "Get device user", toolset: toolsetDeviceUsers, alias: "deviceUser.info", readOnly: true, idempotent: true,
		description: "Get one device user's profile.",
		hints:       deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserGetArgs) (deviceUserResult, error) {
		u, err := e.c.GetDeviceUser(ctx, string(a.DeviceID), string(a.UserID))
		return answer(err, func() deviceUserResult { return deviceUserOf(*u) })
	})
}
