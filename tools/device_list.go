package tools

import (
	"context"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceListArgs are the arguments of device_list.
type deviceListArgs struct {
	Schema    id   `json:"schema" jsonschema_description:"App schema whose devices to list. Default: the configured schema, unless product_id or device_ids is given."`
	ProductID id   `json:"product_id" jsonschema_description:"List this product's devices."`
	DeviceIDs []id `json:"device_ids" jsonschema:"minItems=1,maxItems=20" jsonschema_description:"List these devices (1-20 ids)."`
	paging
	StartTime instant `json:"start_time" jsonschema_description:"Optional window start: RFC 3339, YYYY-MM-DD or unix s/ms. Default with end_time: 30 days before it."`
	EndTime   instant `json:"end_time" jsonschema_description:"Optional window end, at most 30 days after start_time. Default with start_time: now."`
	LastID    id      `json:"last_id" jsonschema_description:"For large lists (see next_page)."`
}

func (a *deviceListArgs) resolve(e *env) []string {
	var problems []string
	if a.Schema == "" && a.ProductID == "" && len(a.DeviceIDs) == 0 {
		a.Schema, problems = e.schemaOr(a.Schema)
	}
	a.paging.defaults()
	if !a.StartTime.t.IsZero() || !a.EndTime.t.IsZero() {
		var wp []string
		a.StartTime.t, a.EndTime.t, wp = window(a.StartTime.t, a.EndTime.t, e.now(), time.Second, listWindow, listWindow)
		problems = append(problems, wp...)
	}
	return problems
}

type deviceListResult struct {
	Devices []device `json:"devices" jsonschema:"required"`
	Total   int      `json:"total"`
	pages
	LastID string        `json:"last_id"`
	Record client.Record `json:"-"`
}

func (v deviceListResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// unixOrZero is t in unix seconds, or 0 (not sent) when t is not given.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// deviceList is the device_list tool: GET /v1.0/devices (Tuya Device Management page).
func deviceList() tool {
	return newTool(tool{
		name: "device_list", title: "List devices", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "List devices with details and status by app (schema), product or ids, optionally in a window " +
			"of at most 30 days.",
		hints: map[int]string{
			client.CodeSchemaNotExist: "check schema: it must be the app's identifier in IoT Platform app management",
		},
	}, func(ctx context.Context, e *env, a *deviceListArgs) (deviceListResult, error) {
		r, err := e.c.ListDevices(ctx, client.ListDevicesRequest{
			PageNo:    a.PageNo,
			PageSize:  a.PageSize,
			Schema:    string(a.Schema),
			ProductID: string(a.ProductID),
			DeviceIDs: ids(a.DeviceIDs),
			StartTime: unixOrZero(a.StartTime.t),
			EndTime:   unixOrZero(a.EndTime.t),
			LastID:    string(a.LastID),
		})
		return answer(err, func() deviceListResult {
			more := moreOf(r.Record, "has_more", r.HasMore, len(r.Devices), a.PageSize)
			next := a.paging.next()
			if r.LastID != "" {
				next = nextPage{"last_id": r.LastID, "page_size": a.PageSize}
			}
			p := pagesOf(more, next.inWindow(a.StartTime.t, a.EndTime.t))
			return deviceListResult{Devices: e.devices(r.Devices), Total: r.Total, pages: p, LastID: r.LastID,
				Record: p.record(r.Record.Including("devices"))}
		})
	})
}
