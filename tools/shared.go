package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// What several tool files share: the toolset names, argument groups, defaults, hints and
// result helpers. A tool's own definition lives in tools/<tool name>.go; nothing here belongs
// to one tool alone.

// Toolset names.
const (
	toolsetUsers         = "users"
	toolsetDevices       = "devices"
	toolsetDeviceControl = "device_control"
	toolsetDeviceUsers   = "device_users"
)

// Argument groups shared by several tools. They are embedded in argument structs; the schema
// reflector and decodeArgs flatten them, so a model sees plain top-level arguments.

// deviceRef names the device a tool acts on.
type deviceRef struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id (device_list or user_device_list finds them)."`
}

// target names the device for a confirmation (confirmer): the destructive tools on one device
// embed deviceRef.
func (r *deviceRef) target() string { return string(r.DeviceID) }

// deviceUserRef names one user of a device.
type deviceUserRef struct {
	DeviceID id `json:"device_id" jsonschema:"required" jsonschema_description:"Device id."`
	UserID   id `json:"user_id" jsonschema:"required" jsonschema_description:"Device user id (device_user_list finds them)."`
}

// target names the device user for a confirmation (confirmer).
func (r *deviceUserRef) target() string { return string(r.DeviceID) + "/" + string(r.UserID) }

// paging is page-number paging. Zero values mean not given.
type paging struct {
	PageNo   int `json:"page_no" jsonschema:"minimum=1" jsonschema_description:"From 1. Default 1."`
	PageSize int `json:"page_size" jsonschema:"minimum=1,maximum=100" jsonschema_description:"1-100. Default 20."`
}

const defaultPageSize = 20

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

// answer is a read's result: what result builds from the client's answer, or err when the call
// failed (result is then not called).
func answer[R any](err error, result func() R) (R, error) {
	if err != nil {
		var zero R
		return zero, err
	}
	return result(), nil
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

// outletHints advise on the outlet-name operations.
func outletHints() map[int]string {
	return deviceHints(map[int]string{
		client.CodeDeviceNotSupported: "this device has no named outlets; only multi-outlet devices (power strips) do",
		client.CodeParamIllegal:       "identifier must be one of the device's outlets; device_outlet_name_list lists them",
	})
}

// Device users are the people a device such as a body-fat scale tells apart. The deviceUser.*
// actions of the Device User Management page are these REST operations; the action names are
// the tools' aliases.

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

// deviceLabel names a device for a question: its name from Tuya and its id, or the id alone
// when the name cannot be read (the call itself then reports what is wrong, e.g. no such
// device). Names come from the cloud: quoting escapes control and bidi characters that could
// disguise the question.
func (e *env) deviceLabel(ctx context.Context, deviceID id) string {
	d, err := e.c.GetDevice(ctx, string(deviceID))
	if err != nil || d.Name == "" {
		return string(deviceID)
	}
	return fmt.Sprintf("%q (id %s)", clip(d.Name), deviceID)
}

// nonNil returns s, or an empty slice for nil: a JSON null would not match the array type in
// an output schema.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// convertAll converts every element of in.
func convertAll[T, U any](in []T, conv func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}

// notPaged ends the description of a list tool that Tuya answers in one piece.
const notPaged = " Not paged."

// pagesOf is more with next, or with nothing next when there is no more.
func pagesOf(more bool, next nextPage) pages {
	if !more {
		next = nil
	}
	return pages{HasMore: more, NextPage: next}
}

// inWindow adds to next the time window the call resolved, in RFC 3339 at the operation's
// precision, so that the next page asks for the same window: a default end of "now" would
// otherwise move between pages and shift the entries. A zero window (none asked) adds nothing.
func (next nextPage) inWindow(start, end time.Time) nextPage {
	if next == nil || start.IsZero() && end.IsZero() {
		return next
	}
	next["start_time"] = start.UTC().Format(time.RFC3339Nano)
	next["end_time"] = end.UTC().Format(time.RFC3339Nano)
	return next
}

// next is the next page of a list paged by page_no and page_size.
func (p paging) next() nextPage {
	return nextPage{"page_no": p.PageNo + 1, "page_size": p.PageSize}
}

// fullPage reports whether n entries fill a page of size: where the cloud does not say whether
// more exists, a full page means more may.
func fullPage(n, size int) bool { return n >= size }

// moreOf is what the cloud said in its field name (whose decoded value is said) about more
// entries, or, when it did not say, whether the n entries it sent fill a page of size.
func moreOf(rec client.Record, name string, said bool, n, size int) bool {
	if rec.Sent(name) {
		return said
	}
	return fullPage(n, size)
}

// noted is a result with notes of its own for _notes: what the answer lacked that the result
// would otherwise have had to invent.
type noted interface{ resultNotes() []string }

// resultNotes returns res's own notes, if it has any.
func resultNotes(res any) []string {
	if n, ok := res.(noted); ok {
		return n.resultNotes()
	}
	return nil
}

// noIDNote is the note of a write answered success without the id of what it made: the id is
// left out rather than made up.
func noIDNote(name, find string) string {
	return fmt.Sprintf("the cloud answered success without %s: it is left out, not made up; %s", name, find)
}

// sentMember reports whether result value v, as the cloud sent it, has a member name: one its
// type does not declare, which a field the tools add must not replace.
func sentMember(v any, name string) bool {
	b, err := client.MarshalRecord(v)
	if err != nil {
		return false
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil {
		return false
	}
	_, ok := members[name]
	return ok
}
