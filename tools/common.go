package tools

import (
	"fmt"
	"time"
)

// Argument groups shared by several tools. They are embedded in argument structs; the schema
// reflector and decodeArgs flatten them, so a model sees plain top-level arguments.

// deviceRef names the device a tool acts on.
type deviceRef struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id (device_list or user_device_list finds them)."`
}

// deviceUserRef names one user of a device.
type deviceUserRef struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id."`
	UserID   id `json:"user_id" jsonschema:"required" jsonschema_description:"Device user id (device_user_list finds them)."`
}

// paging is page-number paging. Zero values mean not given.
type paging struct {
	PageNo   int `json:"page_no" jsonschema:"minimum=1" jsonschema_description:"Page number, from 1. Default 1."`
	PageSize int `json:"page_size" jsonschema:"minimum=1,maximum=100" jsonschema_description:"Entries per page, 1-100. Default 20."`
}

const (
	defaultPageSize = 20
	defaultLogSize  = 20
)

// defaults fills in page 1 of 20 entries.
func (p *paging) defaults() {
	if p.PageNo == 0 {
		p.PageNo = 1
	}
	if p.PageSize == 0 {
		p.PageSize = defaultPageSize
	}
}

// schemaOr returns s, or the configured default schema when s is not given.
func (e *env) schemaOr(s id) (id, []string) {
	if s != "" {
		return s, nil
	}
	if e.schema == "" {
		return "", []string{"schema: required: give the app schema, or start the server with a default one (TUYA_APP_SCHEMA or --schema)"}
	}
	return id(e.schema), nil
}

// Time windows of the list operations.
const (
	day        = 24 * time.Hour
	listWindow = 30 * day // user and device lists: the default and the API's maximum
	logWindow  = 7 * day  // device logs: the default
)

// window completes and checks a time window whose ends may be missing (zero), at the
// precision unit of the operation. With no end it is the span up to now; with only an end, the
// span up to it; with only a start, from it up to now, unless now is before the start or more
// than limit after it: then the span from the start. The end must not be before the start and,
// when limit > 0, the window must be at most limit long.
func window(start, end time.Time, now time.Time, unit, span, limit time.Duration) (time.Time, time.Time, []string) {
	start, end, now = start.Truncate(unit), end.Truncate(unit), now.Truncate(unit)
	switch {
	case start.IsZero() && end.IsZero():
		end = now
		start = end.Add(-span)
	case start.IsZero():
		start = end.Add(-span)
	case end.IsZero():
		end = now
		if end.Before(start) || limit > 0 && end.Sub(start) > limit {
			end = start.Add(span)
		}
	}
	switch {
	case end.Before(start):
		return start, end, []string{fmt.Sprintf("end_time: must not be before start_time (%s is before %s)",
			end.Format(time.RFC3339), start.Format(time.RFC3339))}
	case limit > 0 && end.Sub(start) > limit:
		return start, end, []string{fmt.Sprintf("start_time, end_time: the window must be at most %s (got %s)",
			days(limit), days(end.Sub(start)))}
	}
	return start, end, nil
}

// days renders a duration in days for an error message.
func days(d time.Duration) string {
	return fmt.Sprintf("%.4g days", d.Hours()/24)
}
