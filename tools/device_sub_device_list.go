package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceSubDeviceListArgs are the arguments of device_sub_device_list.
type deviceSubDeviceListArgs struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Gateway device id."`
}

// subDevice mirrors client.SubDevice.
type subDevice struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Online     bool          `json:"online"`
	OwnerID    string        `json:"owner_id" jsonschema_description:"Home id."`
	Category   string        `json:"category"`
	ProductID  string        `json:"product_id"`
	ActiveTime int64         `json:"active_time" jsonschema_description:"Unix s."`
	UpdateTime int64         `json:"update_time" jsonschema_description:"Unix s."`
	Record     client.Record `json:"-"`
}

func (v subDevice) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type subDeviceList struct {
	SubDevices []subDevice `json:"sub_devices" jsonschema:"required"`
}

// deviceSubDeviceList is the device_sub_device_list tool: GET /v1.0/devices/{device_id}/sub-devices (Tuya Device Management page).
func deviceSubDeviceList() tool {
	return newTool(tool{
		name: "device_sub_device_list", title: "List gateway sub-devices", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "List the sub-devices behind a gateway (none for other devices)." + notPaged,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceSubDeviceListArgs) (subDeviceList, error) {
		subs, err := e.c.ListSubDevices(ctx, string(a.DeviceID))
		return answer(err, func() subDeviceList {
			return subDeviceList{SubDevices: convertAll(subs, func(s client.SubDevice) subDevice { return subDevice(s) })}
		})
	})
}
