package tools

import (
	"context"
)

type deviceUserGetArgs struct {
	deviceUserRef
}

func deviceUserGet() tool {
	return newTool(tool{
		name: "device_user_get", title: "Get device user", toolset: toolsetDeviceUsers, alias: "deviceUser.info", readOnly: true, idempotent: true,
		description: "Get one device user's profile.",
		hints:       deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserGetArgs) (deviceUser, error) {
		u, err := e.c.GetDeviceUser(ctx, string(a.DeviceID), string(a.UserID))
		return answer(err, func() deviceUser { return deviceUser(*u) })
	})
}
