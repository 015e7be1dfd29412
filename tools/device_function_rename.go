package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceFunctionRenameArgs are the arguments of device_function_rename.
type deviceFunctionRenameArgs struct {
	deviceRef
	FunctionCode id     `json:"function_code" jsonschema:"required" jsonschema_description:"Data point code, e.g. switch_1 (device_get lists them in status)."`
	Name         string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New data point name."`
}

// deviceFunctionRename is the device_function_rename tool: PUT /v1.0/devices/{device_id}/functions/{function_code} (Tuya Device Management page).
func deviceFunctionRename() tool {
	return newTool(tool{
		name: "device_function_rename", title: "Rename data point", toolset: toolsetDevices, idempotent: true,
		description: "Set the name of one data point (function) of a device, e.g. a sub-device's switch.",
		hints: deviceHints(map[int]string{
			client.CodeParamIllegal: "function_code must be a data point code of this device; device_get lists them in status",
		}),
	}, func(ctx context.Context, e *env, a *deviceFunctionRenameArgs) (okResult, error) {
		return done(e.c.RenameFunction(ctx, string(a.DeviceID), string(a.FunctionCode), a.Name))
	})
}
