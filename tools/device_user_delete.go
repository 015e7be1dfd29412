package tools

import (
	"context"
	"fmt"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceUserDeleteArgs are the arguments of device_user_delete.
type deviceUserDeleteArgs struct {
	deviceUserRef
}

// question is what the user confirms before the call runs (confirmer).
func (a *deviceUserDeleteArgs) question(ctx context.Context, e *env) string {
	who := "user " + string(a.UserID)
	if u, err := e.c.GetDeviceUser(ctx, string(a.DeviceID), string(a.UserID)); err == nil && u.NickName != "" {
		who = fmt.Sprintf("user %q (user_id %s)", clip(u.NickName), a.UserID)
	}
	return fmt.Sprintf("Remove %s from device %s? This cannot be undone.", who, a.DeviceID)
}

// deviceUserDelete is the device_user_delete tool: DELETE /v1.0/devices/{device_id}/users/{user_id} (Tuya Device User Management page).
func deviceUserDelete() tool {
	return newTool(tool{
		name: "device_user_delete", title: "Delete device user", toolset: toolsetDeviceUsers, alias: "deviceUser.delete", destructive: true, idempotent: true,
		description: "Remove a user from a device. Destructive.",
		hints:       deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserDeleteArgs) (deleteResult, error) {
		return deleted(e.c.DeleteDeviceUser(ctx, string(a.DeviceID), string(a.UserID)), client.CodeUserNotExist, "device user")
	})
}
