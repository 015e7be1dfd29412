package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceUserAddArgs are the arguments of device_user_add.
type deviceUserAddArgs struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id."`
	profile
	Contact string `json:"contact" jsonschema:"maxLength=100" jsonschema_description:"Contact information."`
}

type addResult struct {
	UserID string `json:"user_id,omitempty" jsonschema_description:"Id of the new device user."`
	notes  []string
}

func (v addResult) resultNotes() []string { return v.notes }

// addResultOf is the result of adding a device user whose id the cloud answered: false or 0
// (which the client reads as the text "false" or "0") is a refusal, not an id; no id at all (null, missing,
// true) is a success whose id is not made up.
func addResultOf(id string) (addResult, error) {
	switch id {
	case "false", "0":
		return addResult{}, &client.APIError{ResultFalse: true, Msg: "the cloud answered success with result " + id + ", not a user id",
			Method: "POST", Path: "/v1.0/devices/{device_id}/user"}
	case "", "true":
		return addResult{notes: []string{noIDNote("the new user's id", "device_user_list lists the device's users")}}, nil
	}
	return addResult{UserID: id}, nil
}

// deviceUserAdd is the device_user_add tool: POST /v1.0/devices/{device_id}/user (Tuya Device User Management page).
func deviceUserAdd() tool {
	return newTool(tool{
		name: "device_user_add", title: "Add device user", toolset: toolsetDeviceUsers, alias: "deviceUser.add",
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
		return addResultOf(uid)
	})
}
