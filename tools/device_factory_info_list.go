package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceFactoryInfoListArgs are the arguments of device_factory_info_list.
type deviceFactoryInfoListArgs struct {
	DeviceIDs []id `json:"device_ids" jsonschema:"required,minItems=1,maxItems=20" jsonschema_description:"Device ids (1-20)."`
}

type factoryInfoList struct {
	FactoryInfos []client.FactoryInfo `json:"factory_infos" jsonschema:"required"`
}

// deviceFactoryInfoList is the device_factory_info_list tool: GET /v1.0/devices/factory-infos (Tuya Device Management page).
func deviceFactoryInfoList() tool {
	return newTool(tool{
		name: "device_factory_info_list", title: "Get factory info", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "Get devices' factory information (UUID, serial number, MAC). Unknown ids are left out." + notPaged,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceFactoryInfoListArgs) (factoryInfoList, error) {
		infos, err := e.c.ListFactoryInfos(ctx, ids(a.DeviceIDs))
		return answer(err, func() factoryInfoList { return factoryInfoList{FactoryInfos: nonNil(infos)} })
	})
}
