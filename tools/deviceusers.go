package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// Device users are the people a device such as a body-fat scale tells apart. The deviceUser.*
// actions of the seed are these REST operations; the action names are the tools' aliases.

// deviceUserHints advise on the codes of the operations on one device user.
func deviceUserHints() map[int]string {
	return deviceHints(map[int]string{
		client.CodeUserNotExist: "check user_id; device_user_list lists the device's users",
	})
}

// profile is the body of device-user add and edit.
type profile struct {
	NickName string         `json:"nick_name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"Name of the user."`
	Sex      enum[sexWords] `json:"sex" jsonschema:"required" jsonschema_description:"Sex."`
	Birthday instant        `json:"birthday" jsonschema_description:"Date of birth: YYYY-MM-DD, RFC 3339 or unix s/ms."`
	Height   *int           `json:"height" jsonschema:"minimum=1,maximum=300" jsonschema_description:"Height in cm."`
	Weight   *int           `json:"weight" jsonschema:"minimum=1,maximum=500000" jsonschema_description:"Weight in grams."`
}

// input converts the profile for the client; the birthday goes in unix milliseconds.
func (p *profile) input() client.DeviceUserInput {
	in := client.DeviceUserInput{NickName: p.NickName, Sex: int(p.Sex), Height: p.Height, Weight: p.Weight}
	if !p.Birthday.t.IsZero() {
		ms := p.Birthday.t.UnixMilli()
		in.Birthday = &ms
	}
	return in
}

type deviceUserAddArgs struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id."`
	profile
	Contact string `json:"contact" jsonschema:"maxLength=100" jsonschema_description:"Contact information."`
}

func deviceUserAdd() tool {
	return newTool(tool{
		name:    "device_user_add",
		title:   "Add device user",
		toolset: toolsetDeviceUsers,
		alias:   "deviceUser.add",
		description: "Add a user (profile for measurements) to a device such as a body-fat scale. Returns the new " +
			"user_id. Not idempotent: each call adds a user.",
		hints:          deviceHints(nil),
		unknownOutcome: "call device_user_list for this device_id to see whether the user was added",
	}, func(ctx context.Context, e *env, a *deviceUserAddArgs) (addResult, error) {
		in := a.input()
		if a.Contact != "" {
			in.Contact = &a.Contact
		}
		uid, err := e.c.AddDeviceUser(ctx, string(a.DeviceID), in)
		if err != nil {
			return addResult{}, err
		}
		return addResult{UserID: uid}, nil
	})
}

type deviceUserEditArgs struct {
	deviceUserRef
	profile
}

func deviceUserEdit() tool {
	return newTool(tool{
		name:    "device_user_edit",
		title:   "Edit device user",
		toolset: toolsetDeviceUsers,
		alias:   "deviceUser.edit",
		description: "Replace a device user's profile: nick_name and sex are required; birthday, height and " +
			"weight are replaced when given.",
		idempotent: true,
		hints:      deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserEditArgs) (okResult, error) {
		return done(e.c.EditDeviceUser(ctx, string(a.DeviceID), string(a.UserID), a.input()))
	})
}

type deviceUserDeleteArgs struct {
	deviceUserRef
}

func deviceUserDelete() tool {
	return newTool(tool{
		name:        "device_user_delete",
		title:       "Delete device user",
		toolset:     toolsetDeviceUsers,
		alias:       "deviceUser.delete",
		description: "Remove a user from a device. Destructive.",
		destructive: true,
		idempotent:  true,
		hints:       deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserDeleteArgs) (deleteResult, error) {
		return deleted(e.c.DeleteDeviceUser(ctx, string(a.DeviceID), string(a.UserID)), client.CodeUserNotExist, "device user")
	})
}

type deviceUserGetArgs struct {
	deviceUserRef
}

func deviceUserGet() tool {
	return newTool(tool{
		name:        "device_user_get",
		title:       "Get device user",
		toolset:     toolsetDeviceUsers,
		alias:       "deviceUser.info",
		description: "Get one device user's profile.",
		readOnly:    true,
		idempotent:  true,
		hints:       deviceUserHints(),
	}, func(ctx context.Context, e *env, a *deviceUserGetArgs) (deviceUser, error) {
		u, err := e.c.GetDeviceUser(ctx, string(a.DeviceID), string(a.UserID))
		if err != nil {
			return deviceUser{}, err
		}
		return deviceUser(*u), nil
	})
}

type deviceUserListArgs struct {
	deviceRef
}

func deviceUserList() tool {
	return newTool(tool{
		name:        "device_user_list",
		title:       "List device users",
		toolset:     toolsetDeviceUsers,
		alias:       "deviceUser.list",
		description: "List the users of a device, with their profiles.",
		readOnly:    true,
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceUserListArgs) (deviceUserListResult, error) {
		us, err := e.c.ListDeviceUsers(ctx, string(a.DeviceID))
		if err != nil {
			return deviceUserListResult{}, err
		}
		return deviceUserListResult{DeviceUsers: convertAll(us, func(u client.DeviceUser) deviceUser { return deviceUser(u) })}, nil
	})
}
