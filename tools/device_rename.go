package tools

import (
	"context"
)

type deviceRenameArgs struct {
	deviceRef
	Name string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New device name."`
}

func deviceRename() tool {
	return newTool(tool{
		name: "device_rename", title: "Rename device", toolset: toolsetDevices, idempotent: true,
		description: "Set a device's name.",
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceRenameArgs) (okResult, error) {
		return done(e.c.RenameDevice(ctx, string(a.DeviceID), a.Name))
	})
}
