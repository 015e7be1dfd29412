package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// deviceHints advise on the codes every tool addressing one device may get.
func deviceHints(extra map[int]string) map[int]string {
	h := map[int]string{client.CodeDeviceNotExist: "check device_id; device_list finds devices"}
	for code, hint := range extra {
		h[code] = hint
	}
	return h
}

// done turns a write's error into its result.
func done(err error) (okResult, error) {
	if err != nil {
		return okResult{}, err
	}
	return okResult{OK: true}, nil
}

// deleted turns a delete's error into its result. notFound is the code saying that the target
// does not exist. Answered to a retry after an attempt whose answer was lost (or was a 500), it
// most likely means that attempt did the delete: the call reports success with a note, rather
// than an error that sends a model looking for what it has just removed. A first attempt told
// notFound stays an error: the id is wrong.
func deleted(err error, notFound int, what string) (deleteResult, error) {
	var ae *client.APIError
	switch {
	case errors.As(err, &ae) && ae.Code == notFound && ae.AfterUncertainAttempt:
		return deleteResult{OK: true, Note: fmt.Sprintf("The answer to the delete was lost and Tuya answered the retry "+
			"with error %d (%s): the first attempt most likely deleted the %s, or it was already gone. Either way, it "+
			"no longer exists (tid %s).", ae.Code, ae.Msg, what, ae.Tid)}, nil
	case err != nil:
		return deleteResult{}, err
	}
	return deleteResult{OK: true}, nil
}

type deviceGetArgs struct {
	deviceRef
}

func deviceGet() tool {
	return newTool(tool{
		name:        "device_get",
		title:       "Get device",
		toolset:     toolsetDevices,
		description: "Get a device's details and the latest value of each data point (status).",
		readOnly:    true,
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceGetArgs) (device, error) {
		d, err := e.c.GetDevice(ctx, string(a.DeviceID))
		if err != nil {
			return device{}, err
		}
		return e.device(*d), nil
	})
}

type deviceListArgs struct {
	Schema    id   `json:"schema" jsonschema_description:"App schema whose devices to list. Default: the configured schema, unless product_id or device_ids is given."`
	ProductID id   `json:"product_id" jsonschema_description:"List this product's devices."`
	DeviceIDs []id `json:"device_ids" jsonschema:"minItems=1,maxItems=20" jsonschema_description:"List these devices (1-20 ids)."`
	paging
	StartTime instant `json:"start_time" jsonschema_description:"Optional window start: RFC 3339, YYYY-MM-DD or unix s/ms. Default with end_time: 30 days before it."`
	EndTime   instant `json:"end_time" jsonschema_description:"Optional window end, at most 30 days after start_time. Default with start_time: now."`
	LastID    id      `json:"last_id" jsonschema_description:"last_id of the previous page, instead of page_no."`
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

// unixOrZero is t in unix seconds, or 0 (not sent) when t is not given.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func deviceList() tool {
	return newTool(tool{
		name:    "device_list",
		title:   "List devices",
		toolset: toolsetDevices,
		description: "List devices with details and status by app (schema), product or ids, optionally in a window " +
			"of at most 30 days. Page with page_no, or last_id for large lists.",
		readOnly:   true,
		idempotent: true,
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
		if err != nil {
			return deviceListResult{}, err
		}
		return deviceListResult{Devices: e.devices(r.Devices), Total: r.Total, HasMore: r.HasMore, LastID: r.LastID,
			Record: r.Record.Including("devices")}, nil
	})
}

type userDeviceListArgs struct {
	UID  id     `json:"uid" jsonschema:"required" jsonschema_description:"Tuya user id (user_list finds them)."`
	From string `json:"from" jsonschema:"enum=home,enum=sharing" jsonschema_description:"home: devices in the user's homes; sharing: devices shared with the user. Default: both."`
	paging
}

func (a *userDeviceListArgs) resolve(*env) []string {
	a.paging.defaults()
	return nil
}

func userDeviceList() tool {
	return newTool(tool{
		name:        "user_device_list",
		title:       "List a user's devices",
		toolset:     toolsetDevices,
		description: "List the devices available to a user, with details and status.",
		readOnly:    true,
		idempotent:  true,
		hints:       map[int]string{client.CodeUserNotExist: "check uid; user_list finds users"},
	}, func(ctx context.Context, e *env, a *userDeviceListArgs) (userDeviceListResult, error) {
		ds, err := e.c.ListUserDevices(ctx, string(a.UID), client.ListUserDevicesRequest{
			From: a.From, PageNo: a.PageNo, PageSize: a.PageSize,
		})
		if err != nil {
			return userDeviceListResult{}, err
		}
		return userDeviceListResult{Devices: e.devices(ds)}, nil
	})
}

type deviceLogListArgs struct {
	deviceRef
	Type          eventTypes           `json:"type" jsonschema_description:"Event types to return. Default: all."`
	StartTime     instant              `json:"start_time" jsonschema_description:"Window start: RFC 3339, YYYY-MM-DD or unix s/ms. Default: 7 days before end_time."`
	EndTime       instant              `json:"end_time" jsonschema_description:"Window end. Default: now."`
	Codes         []id                 `json:"codes" jsonschema:"maxItems=100" jsonschema_description:"Only these data point codes (at most 100)."`
	Size          int                  `json:"size" jsonschema:"minimum=1,maximum=100" jsonschema_description:"Logs per page, 1-100. Default 20."`
	QueryType     enum[queryTypeWords] `json:"query_type" jsonschema_description:"Log service edition: free or paid."`
	StartRowKey   string               `json:"start_row_key" jsonschema:"maxLength=512" jsonschema_description:"Free edition paging: next_row_key of the previous page."`
	LastRowKey    string               `json:"last_row_key" jsonschema:"maxLength=512" jsonschema_description:"Paid edition paging: row of the previous page's last log."`
	LastEventTime instant              `json:"last_event_time" jsonschema_description:"Paid edition paging: event_time of the previous page's last log."`
}

func (a *deviceLogListArgs) resolve(e *env) []string {
	if len(a.Type) == 0 {
		a.Type = allEventTypes()
	}
	if a.Size == 0 {
		a.Size = defaultLogSize
	}
	var problems []string
	a.StartTime.t, a.EndTime.t, problems = window(a.StartTime.t, a.EndTime.t, e.now(), time.Millisecond, logWindow, 0)
	return problems
}

func deviceLogList() tool {
	return newTool(tool{
		name:    "device_log_list",
		title:   "List device logs",
		toolset: toolsetDevices,
		description: "List a device's event logs (online/offline, data point reports, commands, resets...), newest " +
			"first, in a time window (default: the last 7 days).",
		readOnly:   true,
		idempotent: true,
		hints: deviceHints(map[int]string{
			client.CodeDeviceNotSupported: "this device or log edition does not support log queries; try another query_type",
		}),
	}, func(ctx context.Context, e *env, a *deviceLogListArgs) (logList, error) {
		req := client.DeviceLogsRequest{
			Types:       a.Type,
			StartTime:   a.StartTime.t.UnixMilli(),
			EndTime:     a.EndTime.t.UnixMilli(),
			Codes:       ids(a.Codes),
			StartRowKey: a.StartRowKey,
			LastRowKey:  a.LastRowKey,
			Size:        a.Size,
			QueryType:   int(a.QueryType),
		}
		if !a.LastEventTime.t.IsZero() {
			req.LastEventTime = a.LastEventTime.t.UnixMilli()
		}
		r, err := e.c.ListDeviceLogs(ctx, string(a.DeviceID), req)
		if err != nil {
			return logList{}, err
		}
		return logList{
			Logs: convertAll(r.Logs, func(l client.DeviceLog) logEntry {
				return logEntry{deviceLog: deviceLog(l), EventType: eventWord(l.EventID)}
			}),
			HasNext:       r.HasNext,
			DeviceID:      r.DeviceID,
			CurrentRowKey: r.CurrentRowKey,
			NextRowKey:    r.NextRowKey,
			Count:         r.Count,
			Record:        r.Record.Including("logs"),
		}, nil
	})
}

type deviceRenameArgs struct {
	deviceRef
	Name string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New device name."`
}

func deviceRename() tool {
	return newTool(tool{
		name:        "device_rename",
		title:       "Rename device",
		toolset:     toolsetDevices,
		description: "Set a device's name.",
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceRenameArgs) (okResult, error) {
		return done(e.c.RenameDevice(ctx, string(a.DeviceID), a.Name))
	})
}

type deviceFunctionRenameArgs struct {
	deviceRef
	FunctionCode id     `json:"function_code" jsonschema:"required" jsonschema_description:"Data point code, e.g. switch_1 (device_get lists them in status)."`
	Name         string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New data point name."`
}

func deviceFunctionRename() tool {
	return newTool(tool{
		name:        "device_function_rename",
		title:       "Rename data point",
		toolset:     toolsetDevices,
		description: "Set the name of one data point (function) of a device, e.g. a sub-device's switch.",
		idempotent:  true,
		hints: deviceHints(map[int]string{
			client.CodeParamIllegal: "function_code must be a data point code of this device; device_get lists them in status",
		}),
	}, func(ctx context.Context, e *env, a *deviceFunctionRenameArgs) (okResult, error) {
		return done(e.c.RenameFunction(ctx, string(a.DeviceID), string(a.FunctionCode), a.Name))
	})
}

type deviceFactoryResetArgs struct {
	deviceRef
}

func deviceFactoryReset() tool {
	return newTool(tool{
		name:        "device_factory_reset",
		title:       "Factory reset device",
		toolset:     toolsetDevices,
		description: "Restore a device to factory defaults. Destructive: its names, settings and device users are lost.",
		destructive: true,
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceFactoryResetArgs) (okResult, error) {
		return done(e.c.FactoryReset(ctx, string(a.DeviceID)))
	})
}

type deviceDeleteArgs struct {
	deviceRef
}

func deviceDelete() tool {
	return newTool(tool{
		name:        "device_delete",
		title:       "Delete device",
		toolset:     toolsetDevices,
		description: "Remove a device from its owner (a gateway takes its sub-devices along). Destructive.",
		destructive: true,
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceDeleteArgs) (deleteResult, error) {
		return deleted(e.c.DeleteDevice(ctx, string(a.DeviceID)), client.CodeDeviceNotExist, "device")
	})
}

type deviceSubDeviceListArgs struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Gateway device id."`
}

func deviceSubDeviceList() tool {
	return newTool(tool{
		name:        "device_sub_device_list",
		title:       "List gateway sub-devices",
		toolset:     toolsetDevices,
		description: "List the sub-devices behind a gateway (none for other devices).",
		readOnly:    true,
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceSubDeviceListArgs) (subDeviceList, error) {
		subs, err := e.c.ListSubDevices(ctx, string(a.DeviceID))
		if err != nil {
			return subDeviceList{}, err
		}
		return subDeviceList{SubDevices: convertAll(subs, func(s client.SubDevice) subDevice { return subDevice(s) })}, nil
	})
}

type deviceFactoryInfoListArgs struct {
	DeviceIDs []id `json:"device_ids" jsonschema:"required,minItems=1,maxItems=20" jsonschema_description:"Device ids (1-20)."`
}

func deviceFactoryInfoList() tool {
	return newTool(tool{
		name:        "device_factory_info_list",
		title:       "Get factory info",
		toolset:     toolsetDevices,
		description: "Get devices' factory information (UUID, serial number, MAC). Unknown ids are left out.",
		readOnly:    true,
		idempotent:  true,
		hints:       deviceHints(nil),
	}, func(ctx context.Context, e *env, a *deviceFactoryInfoListArgs) (factoryInfoList, error) {
		infos, err := e.c.ListFactoryInfos(ctx, ids(a.DeviceIDs))
		if err != nil {
			return factoryInfoList{}, err
		}
		return factoryInfoList{FactoryInfos: nonNil(infos)}, nil
	})
}

// outletHints advise on the outlet-name operations.
func outletHints() map[int]string {
	return deviceHints(map[int]string{
		client.CodeDeviceNotSupported: "this device has no named outlets; only multi-outlet devices (power strips) do",
		client.CodeParamIllegal:       "identifier must be one of the device's outlets; device_outlet_name_list lists them",
	})
}

type deviceOutletNameSetArgs struct {
	deviceRef
	Identifier id     `json:"identifier" jsonschema:"required" jsonschema_description:"Outlet identifier, e.g. switch_1 (device_outlet_name_list lists them)."`
	Name       string `json:"name" jsonschema:"required,minLength=1,maxLength=50" jsonschema_description:"New outlet name."`
}

func deviceOutletNameSet() tool {
	return newTool(tool{
		name:        "device_outlet_name_set",
		title:       "Rename outlet",
		toolset:     toolsetDevices,
		description: "Set the name of one outlet of a multi-outlet device such as a power strip.",
		idempotent:  true,
		hints:       outletHints(),
	}, func(ctx context.Context, e *env, a *deviceOutletNameSetArgs) (okResult, error) {
		return done(e.c.SetOutletName(ctx, string(a.DeviceID), client.OutletName{Identifier: string(a.Identifier), Name: a.Name}))
	})
}

type deviceOutletNameListArgs struct {
	deviceRef
}

func deviceOutletNameList() tool {
	return newTool(tool{
		name:        "device_outlet_name_list",
		title:       "List outlet names",
		toolset:     toolsetDevices,
		description: "List the outlets (identifier and name) of a multi-outlet device such as a power strip.",
		readOnly:    true,
		idempotent:  true,
		hints:       outletHints(),
	}, func(ctx context.Context, e *env, a *deviceOutletNameListArgs) (outletList, error) {
		outlets, err := e.c.ListOutletNames(ctx, string(a.DeviceID))
		if err != nil {
			return outletList{}, err
		}
		return outletList{Outlets: nonNil(outlets)}, nil
	})
}
