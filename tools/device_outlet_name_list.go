package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceOutletNameListArgs are the arguments of device_outlet_name_list.
type deviceOutletNameListArgs struct {
	deviceRef
}

type outletList struct {
	Outlets []client.OutletName `json:"outlets" jsonschema:"required"`
}

// deviceOutletNameList is the device_outlet_name_list tool: GET /v1.0/devices/{device_id}/multiple-names (Tuya Device Management page).
func deviceOutletNameList() tool {
	return newTool(tool{
		name: "device_outlet_name_list", title: "List outlet names", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "List the outlets (identifier and name) of a multi-outlet device such as a power strip." + notPaged,
		hints:       outletHints(),
	}, func(ctx context.Context, e *env, a *deviceOutletNameListArgs) (outletList, error) {
		outlets, err := e.c.ListOutletNames(ctx, string(a.DeviceID))
		return answer(err, func() outletList { return outletList{Outlets: nonNil(outlets)} })
	})
}
