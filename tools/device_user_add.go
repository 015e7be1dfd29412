package tools

import (
	"context"
)

// deviceUserAddArgs are the arguments of device_user_add.
type deviceUserAddArgs struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id."`
	profile
	Contact string `json:"contact" jsonschema:"maxLength=100" jsonschema_description:"Contact information."`
}

type addResult struct {
	UserID string `json:"user_id" jsonschema:"required" jsonschema_description:"Id of the new device user."`
}

// deviceUserAdd is the device_user_add tool: POST /v1.0/devices/{device_id}/user (Tuya Device User Management page).
func deviceUserAdd() tool {
	return newTool(tool{
		name: "device_user_add", title: "Add device user", toolset: toolsetDeviceUsers, alias: "deviceUser.add",
		description: "Add a user (profile for measurements) to a device such as a body-fat scale. Returns the new " +
			"user_id. Not idempotent: each call adds a user.",
		hints:          deviceHints(nil),
		unknownOutcome: "call device_user_list for this device_id to see whether the user was added",
	}, func(ctx context.Context, e *env, a *deviceUserAddArgs) (addResult, error) {
		in := a.input()
		if a.Contact != "" {
			in.Contact = &a.Contact
		}
		uid, err := e.c.AddDeviceUser(ctx, string(a.DeviceID), in)
		return answer(err, func() addResult { return addResult{UserID: uid} })
	})
}
