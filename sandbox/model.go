package sandbox

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
)

// User is an app user, as the store keeps it.
type User struct {
	UID    string `json:"uid"`
	Schema string `json:"schema"`
	// UsernameType is 1 (mobile), 2 (email) or 3 (other).
	UsernameType int    `json:"username_type"`
	CountryCode  string `json:"country_code"`
	Username     string `json:"username"`
	// Password is kept as sent (normally an MD5 hex); the API never returns it.
	Password   string `json:"password"`
	NickName   string `json:"nick_name"`
	TimeZoneID string `json:"time_zone_id"`
	Avatar     string `json:"avatar"`
	// CreateTime and UpdateTime are unix seconds.
	CreateTime int64 `json:"create_time"`
	UpdateTime int64 `json:"update_time"`
}

// DP is the value of one data point: a JSON boolean, number or string.
type DP struct {
	Code  string          `json:"code"`
	Value json.RawMessage `json:"value"`
}

// product is what devices of one product share: their category, names and factory data points.
type product struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Model    string `json:"model"`
	Icon     string `json:"icon"`
	// Spec is the product's specification: its data points, their types and allowed values.
	Spec []dpSpec `json:"spec"`
	// Defaults are the data points and their factory values, in the device's order: the
	// reported DPs of Spec.
	Defaults []DP `json:"defaults"`
	// Outlets are the data-point codes of a multi-outlet device's outlets; empty otherwise.
	Outlets []string `json:"outlets,omitempty"`
}

// Device is a device as the store keeps it, with the sandbox-only facts the API derives its
// answers from.
type Device struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ProductID   string `json:"product_id"`
	ProductName string `json:"product_name"`
	Category    string `json:"category"`
	Model       string `json:"model"`
	Icon        string `json:"icon"`
	// Schema is the app the device is bound to.
	Schema string `json:"schema"`
	// UID is the owning user; OwnerID is the owner's home.
	UID     string `json:"uid"`
	OwnerID string `json:"owner_id"`
	// GatewayID is set on sub-devices.
	GatewayID string `json:"gateway_id,omitempty"`
	// SharedWith lists the users the owner shared the device with.
	SharedWith []string `json:"shared_with,omitempty"`
	LocalKey   string   `json:"local_key"`
	UUID       string   `json:"uuid"`
	SN         string   `json:"sn"`
	MAC        string   `json:"mac"`
	IP         string   `json:"ip"`
	TimeZone   string   `json:"time_zone"`
	BizType    int64    `json:"biz_type"`
	Online     bool     `json:"online"`
	Status     []DP     `json:"status"`
	// FunctionNames are data-point names set by PUT .../functions/{function_code}.
	FunctionNames map[string]string `json:"function_names,omitempty"`
	// OutletNames are outlet names set by PUT .../multiple-name, by identifier.
	OutletNames map[string]string `json:"outlet_names,omitempty"`
	// Times are unix seconds.
	ActiveTime int64 `json:"active_time"`
	CreateTime int64 `json:"create_time"`
	UpdateTime int64 `json:"update_time"`
}

// Sub reports whether the device is a gateway's sub-device.
func (d *Device) Sub() bool { return d.GatewayID != "" }

func (d Device) clone() Device {
	d.SharedWith = slices.Clone(d.SharedWith)
	d.Status = cloneDPs(d.Status)
	d.FunctionNames = maps.Clone(d.FunctionNames)
	d.OutletNames = maps.Clone(d.OutletNames)
	return d
}

func cloneDPs(dps []DP) []DP {
	out := make([]DP, len(dps))
	for i, dp := range dps {
		out[i] = DP{Code: dp.Code, Value: bytes.Clone(dp.Value)}
	}
	return out
}

// Outlet is one outlet of a multi-outlet device and the name given to it.
type Outlet struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// DeviceUser is a user of a device, such as a family member on a body-fat scale.
type DeviceUser struct {
	DeviceID string `json:"device_id"`
	UserID   string `json:"user_id"`
	NickName string `json:"nick_name"`
	// Sex is 1 (male) or 2 (female).
	Sex int `json:"sex"`
	// Birthday is unix milliseconds.
	Birthday int64 `json:"birthday"`
	// Height is in centimetres, Weight in grams.
	Height  int64  `json:"height"`
	Weight  int64  `json:"weight"`
	Contact string `json:"contact"`
}

// Log is one device log event.
type Log struct {
	// Seq orders events that share a millisecond; it is unique per device.
	Seq int64 `json:"seq"`
	// EventID is the event type, 1 to 10 (see the Device Management page's table).
	EventID int `json:"event_id"`
	// EventFrom is the source: "1" device, "2" client, "3" third party, "4" cloud.
	EventFrom string `json:"event_from"`
	// EventTime is unix milliseconds.
	EventTime int64  `json:"event_time"`
	Code      string `json:"code,omitempty"`
	Value     string `json:"value,omitempty"`
}
