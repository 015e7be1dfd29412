package tools

import (
	"context"
)

// deviceUserEditArgs are the arguments of device_user_edit.
type deviceUserEditArgs struct {
	deviceUserRef
	profile
}

// deviceUserEdit is the device_user_edit tool: PUT /v1.0/devices/{device_id}/users/{user_id} (Tuya Device User Management page).
func deviceUserEdit() tool {
	return newTool(tool{
		name: "device_user_edit", title: "Edit device user", toolset: toolsetDeviceUsers, alias: "deviceUser.edit", idempotent: true,
		description: "Replace a device user's profile: nick_name and sex are required; birthday, height and " +
			"weight are replaced when given.",
		hints: deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserEditArgs) (okResult, error) {
		return done(e.c.EditDeviceUser(ctx, string(a.DeviceID), string(a.UserID), a.input()))
	})
}
