package tools

import (
	"context"
	"fmt"
)

// deviceFactoryResetArgs are the arguments of device_factory_reset.
type deviceFactoryResetArgs struct {
	deviceRef
}

// question is what the user confirms before the call runs (confirmer).
func (a *deviceFactoryResetArgs) question(ctx context.Context, e *env) string {
	return fmt.Sprintf("Factory reset device %s? Its names, settings and device users are lost. This cannot be "+
		"undone.", e.deviceLabel(ctx, a.DeviceID))
}

// deviceFactoryReset is the device_factory_reset tool: PUT /v1.0/devices/{device_id}/reset-factory (Tuya Device Management page).
func deviceFactoryReset() tool {
	return newTool(tool{
		name: "device_factory_reset", title: "Factory reset device", toolset: toolsetDevices, destructive: true, idempotent: true,
		description: "Restore a device to factory defaults. Destructive: its names, settings and device users are lost.",
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceFactoryResetArgs) (okResult, error) {
		return done(e.c.FactoryReset(ctx, string(a.DeviceID)))
	})
}
