package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceOutletNameSetArgs are the arguments of device_outlet_name_set.
type deviceOutletNameSetArgs struct {
	deviceRef
	Identifier id     `json:"identifier" jsonschema:"required" jsonschema_description:"Outlet identifier, e.g. switch_1 (device_outlet_name_list lists them)."`
	Name       string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New outlet name."`
}

// deviceOutletNameSet is the device_outlet_name_set tool: PUT /v1.0/devices/{device_id}/multiple-name (Tuya Device Management page).
func deviceOutletNameSet() tool {
	return newTool(tool{
		name: "device_outlet_name_set", title: "Rename outlet", toolset: toolsetDevices, idempotent: true,
		description: "Set the name of one outlet of a multi-outlet device such as a power strip.",
		hints:       outletHints(),
	}, func(ctx context.Context, e *env, a *deviceOutletNameSetArgs) (okResult, error) {
		return done(e.c.SetOutletName(ctx, string(a.DeviceID), client.OutletName{Identifier: string(a.Identifier), Name: a.Name}))
	})
}
