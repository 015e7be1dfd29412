package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

type deviceStatusGetArgs struct {
	deviceRef
}

type deviceStatusResult struct {
	Status []client.DP `json:"status" jsonschema:"required"`
}

func deviceStatusGet() tool {
	return newTool(tool{
		name:        "device_status_get",
		title:       "Device status",
		toolset:     toolsetDeviceControl,
		description: "Get the latest raw value of each of a device's data points (offline: the last reported).",
		readOnly:    true,
		idempotent:  true,
	}, func(ctx context.Context, e *env, a *deviceStatusGetArgs) (deviceStatusResult, error) {
		st, err := e.c.GetDeviceStatus(ctx, string(a.DeviceID))
		if err != nil {
			return deviceStatusResult{}, err
		}
		return deviceStatusResult{Status: nonNil(st)}, nil
	})
}
