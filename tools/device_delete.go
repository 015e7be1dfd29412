package tools

import (
	"context"
	"fmt"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceDeleteArgs are the arguments of device_delete.
type deviceDeleteArgs struct {
	deviceRef
}

// question is what the user confirms before the call runs (confirmer).
func (a *deviceDeleteArgs) question(ctx context.Context, e *env) string {
	return fmt.Sprintf("Delete device %s? It is removed from its owner's account, and a gateway takes its "+
		"sub-devices along. This cannot be undone.", e.deviceLabel(ctx, a.DeviceID))
}

// deviceDelete is the device_delete tool: DELETE /v1.0/devices/{device_id} (Tuya Device Management page).
func deviceDelete() tool {
	return newTool(tool{
		name: "device_delete", title: "Delete device", toolset: toolsetDevices, destructive: true, idempotent: true,
		description: "Remove a device from its owner (a gateway takes its sub-devices along). Destructive.",
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceDeleteArgs) (deleteResult, error) {
		return deleted(e.c.DeleteDevice(ctx, string(a.DeviceID)), client.CodeDeviceNotExist, "device")
	})
}
