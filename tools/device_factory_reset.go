package tools

import (
	"context"
	"fmt"
)

type deviceFactoryResetArgs struct {
	deviceRef
}

func (a *deviceFactoryResetArgs) question(ctx context.Context, e *env) string {
	return fmt.Sprintf("Factory reset device %s? Its names, settings and device users are lost. This cannot be "+
		"undone.", e.deviceLabel(ctx, a.DeviceID))
}

func deviceFactoryReset() tool {
	return newTool(tool{
		name: "device_factory_reset", title: "Factory reset device", toolset: toolsetDevices, destructive: true, idempotent: true,
		description: "Restore a device to factory defaults. Destructive: its names, settings and device users are lost.",
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceFactoryResetArgs) (okResult, error) {
		return done(e.c.FactoryReset(ctx, string(a.DeviceID)))
	})
}
