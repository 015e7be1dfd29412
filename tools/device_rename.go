package tools

import (
	"context"
)

// deviceRenameArgs are the arguments of device_rename.
type deviceRenameArgs struct {
	deviceRef
	Name string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New device name."`
}

// deviceRename is the device_rename tool: PUT /v1.0/devices/{device_id} (Tuya Device Management page).
func deviceRename() tool {
	return newTool(tool{
		name: "device_rename", title: "Rename device", toolset: toolsetDevices, idempotent: true,
		description: "Set a device's name.",
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceRenameArgs) (okResult, error) {
		return done(e.c.RenameDevice(ctx, string(a.DeviceID), a.Name))
	})
}
