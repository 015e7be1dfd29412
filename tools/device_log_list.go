package tools

import (
	"context"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// Defaults of device_log_list: the page size, and the window before end_time.
const (
	defaultLogSize = 20
	logWindow      = 7 * day
)

// queryPaid is query_type paid, the log service's paid edition (free is 1).
const queryPaid = 2

// deviceLogListArgs are the arguments of device_log_list.
type deviceLogListArgs struct {
	deviceRef
	Type          eventTypes           `json:"type" jsonschema_description:"Event types to return. Default: all."`
	StartTime     instant              `json:"start_time" jsonschema_description:"Window start: RFC 3339, YYYY-MM-DD or unix s/ms. Default: 7 days before end_time."`
	EndTime       instant              `json:"end_time" jsonschema_description:"Window end. Default: now."`
	Codes         []id                 `json:"codes" jsonschema:"maxItems=100" jsonschema_description:"Only these data point codes (at most 100)."`
	Size          int                  `json:"size" jsonschema:"minimum=1,maximum=100" jsonschema_description:"Logs per page, 1-100. Default 20."`
	QueryType     enum[queryTypeWords] `json:"query_type" jsonschema_description:"Log service edition: free or paid."`
	StartRowKey   string               `json:"start_row_key" jsonschema:"maxLength=512" jsonschema_description:"Free edition paging (see next_page)."`
	LastRowKey    string               `json:"last_row_key" jsonschema:"maxLength=512" jsonschema_description:"Paid edition paging (see next_page)."`
	LastEventTime instant              `json:"last_event_time" jsonschema_description:"Paid edition paging (see next_page)."`
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

// deviceLog mirrors client.DeviceLog.
type deviceLog struct {
	Code      string        `json:"code,omitempty" jsonschema_description:"Data point code."`
	Value     string        `json:"value,omitempty"`
	EventTime int64         `json:"event_time" jsonschema_description:"Unix ms."`
	EventFrom string        `json:"event_from" jsonschema_description:"Source: 1 device, 2 app, 3 third party, 4 cloud, -1 unknown."`
	EventID   int           `json:"event_id" jsonschema_description:"Event type number (1-10)."`
	Status    string        `json:"status,omitempty"`
	Row       string        `json:"row,omitempty" jsonschema_description:"Row key (paid edition)."`
	Record    client.Record `json:"-"`
}

func (v deviceLog) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// logEntry is a log with its event type named.
type logEntry struct {
	deviceLog
	EventType string `json:"event_type" jsonschema_description:"As in the type argument."`
}

// MarshalJSON writes the log as the cloud sent it, with event_type; without it, deviceLog's
// would be promoted and drop event_type.
func (v logEntry) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// logEntryOf names the event type of a log, unless the log has no event_id to name or the
// cloud sent an event_type of its own, which then stays as sent.
func logEntryOf(l client.DeviceLog) logEntry {
	e := logEntry{deviceLog: deviceLog(l), EventType: eventWord(l.EventID)}
	if !l.Record.Sent("event_id") || sentMember(e.deviceLog, "event_type") {
		e.Record = e.Record.Excluding("event_type")
	}
	return e
}

type logList struct {
	Logs    []logEntry `json:"logs" jsonschema:"required"`
	HasNext bool       `json:"has_next"`
	pages
	DeviceID      string        `json:"device_id"`
	CurrentRowKey string        `json:"current_row_key,omitempty"`
	NextRowKey    string        `json:"next_row_key,omitempty"`
	Count         int64         `json:"count,omitempty" jsonschema_description:"Paid edition: matching logs."`
	Record        client.Record `json:"-"`
}

func (v logList) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// deviceLogList is the device_log_list tool: GET /v1.0/devices/{device_id}/logs (Tuya Device Management page).
func deviceLogList() tool {
	return newTool(tool{
		name: "device_log_list", title: "List device logs", toolset: toolsetDevices, readOnly: true, idempotent: true,
		description: "List a device's event logs (online/offline, data point reports, commands, resets...), newest " +
			"first, in a time window (default: the last 7 days).",
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
		return answer(err, func() logList {
			p := logPages(r, a)
			return logList{
				Logs:          convertAll(r.Logs, logEntryOf),
				HasNext:       r.HasNext,
				pages:         p,
				DeviceID:      r.DeviceID,
				CurrentRowKey: r.CurrentRowKey,
				NextRowKey:    r.NextRowKey,
				Count:         r.Count,
				Record:        p.record(r.Record.Including("logs")),
			}
		})
	})
}

// logPages says whether more logs follow and how to get them: by next_row_key in the free
// edition, by the last log's row and event time in the paid one.
func logPages(r *client.DeviceLogs, a *deviceLogListArgs) pages {
	more := moreOf(r.Record, "has_next", r.HasNext, len(r.Logs), a.Size)
	var next nextPage
	switch {
	case a.QueryType == queryPaid && len(r.Logs) > 0:
		last := r.Logs[len(r.Logs)-1]
		next = nextPage{"query_type": "paid", "last_row_key": last.Row, "last_event_time": last.EventTime, "size": a.Size}
	case a.QueryType != queryPaid && r.NextRowKey != "":
		next = nextPage{"start_row_key": r.NextRowKey, "size": a.Size}
	}
	return pagesOf(more, next.inWindow(a.StartTime.t, a.EndTime.t))
}
