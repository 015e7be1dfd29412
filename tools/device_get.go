package tools

import (
	"context"
)

// deviceGetArgs are the arguments of device_get.
type deviceGetArgs struct {
	deviceRef
}

// deviceGet is the device_get tool: GET /v1.0/devices/{device_id} (Tuya Device Management page).
func deviceGet() tool {
	return newTool(tool{
		name: "device_get", title: "Get device", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "Get a device's details and the latest value of each data point (status).",
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceGetArgs) (device, error) {
		d, err := e.c.GetDevice(ctx, string(a.DeviceID))
		return answer(err, func() device { return e.device(*d) })
	})
}
