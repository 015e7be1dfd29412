package client

import (
	"bytes"
	"encoding/json"
)

// The request and result types of the operations in the three Tuya documentation pages (User
// Management, Device Management, Device User Management) and of device control. Field names and
// JSON keys are the cloud's; optional request fields are pointers or omitted when zero so that
// the client sends only what the caller set. Result types are decoded tolerantly (see Record):
// each carries, in its Record, every field the cloud sent beyond the declared ones and which
// declared ones it did not send, and encodes back to the fields sent (omitempty is ignored).

// SyncUserRequest is the body of POST /v1.0/apps/{schema}/user.
type SyncUserRequest struct {
	CountryCode string `json:"country_code"`
	Username    string `json:"username"`
	// Password is sent as given; callers hash it (the User Management page recommends MD5 hex).
	Password     string `json:"password"`
	UsernameType int    `json:"username_type"`
	NickName     string `json:"nick_name,omitempty"`
	TimeZoneID   string `json:"time_zone_id,omitempty"`
}

// SyncUserResult is the result of a user sync.
type SyncUserResult struct {
	UID string `json:"uid"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v SyncUserResult) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// ListUsersRequest is the query of GET /v2.0/apps/{schema}/users. Times are unix seconds.
type ListUsersRequest struct {
	PageNo    int
	PageSize  int
	StartTime int64
	EndTime   int64
}

// UserList is one page of an app's users.
type UserList struct {
	List    []ListedUser `json:"list"`
	HasMore bool         `json:"has_more"`
	Total   int          `json:"total"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v UserList) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// ListedUser is a user as the user list shows it.
type ListedUser struct {
	UID         string `json:"uid"`
	Username    string `json:"username,omitempty"`
	Mobile      string `json:"mobile,omitempty"`
	Email       string `json:"email,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v ListedUser) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// UserInfo is the result of GET /v1.0/users/{uid}/infos.
type UserInfo struct {
	UID         string `json:"uid"`
	Username    string `json:"username"`
	CountryCode string `json:"country_code"`
	Avatar      string `json:"avatar"`
	Mobile      string `json:"mobile"`
	Email       string `json:"email,omitempty"`
	NickName    string `json:"nick_name"`
	CreateTime  int64  `json:"create_time"`
	UpdateTime  int64  `json:"update_time"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v UserInfo) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// Device is a device as device details, device lists and user device lists show it.
type Device struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	UID         string `json:"uid"`
	LocalKey    string `json:"local_key,omitempty"`
	Category    string `json:"category"`
	ProductID   string `json:"product_id"`
	ProductName string `json:"product_name,omitempty"`
	Model       string `json:"model,omitempty"`
	Sub         bool   `json:"sub"`
	UUID        string `json:"uuid"`
	OwnerID     string `json:"owner_id"`
	Online      bool   `json:"online"`
	Status      []DP   `json:"status"`
	ActiveTime  int64  `json:"active_time"`
	CreateTime  int64  `json:"create_time,omitempty"`
	UpdateTime  int64  `json:"update_time,omitempty"`
	BizType     int64  `json:"biz_type,omitempty"`
	Icon        string `json:"icon,omitempty"`
	IP          string `json:"ip,omitempty"`
	TimeZone    string `json:"time_zone,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v Device) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// DP is the latest value of one data point. Values are booleans, numbers or strings as the
// device reports them, so they are kept as raw JSON.
type DP struct {
	Code  string          `json:"code"`
	Value json.RawMessage `json:"value"`
	Type  string          `json:"type,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v DP) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// ListDevicesRequest is the query of GET /v1.0/devices. Times are unix seconds; zero fields are
// not sent.
type ListDevicesRequest struct {
	PageNo    int
	PageSize  int
	Schema    string
	ProductID string
	DeviceIDs []string
	StartTime int64
	EndTime   int64
	LastID    string
}

// DeviceList is one page of GET /v1.0/devices.
type DeviceList struct {
	Devices []Device `json:"devices"`
	Total   int      `json:"total"`
	HasMore bool     `json:"has_more"`
	LastID  string   `json:"last_id"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v DeviceList) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// ListUserDevicesRequest is the query of GET /v1.0/users/{uid}/devices; zero fields are not sent.
type ListUserDevicesRequest struct {
	// From is "home" or "sharing".
	From     string
	PageNo   int
	PageSize int
}

// DeviceLogsRequest is the query of GET /v1.0/devices/{device_id}/logs. Times are unix
// milliseconds; a zero StartTime means seven days ago, as the Device Management page says.
type DeviceLogsRequest struct {
	Types         []int
	StartTime     int64
	EndTime       int64
	Codes         []string
	StartRowKey   string
	LastRowKey    string
	LastEventTime int64
	Size          int
	// QueryType is 1 (free edition) or 2 (paid edition); zero is not sent.
	QueryType int
}

// DeviceLogs is one page of device logs.
type DeviceLogs struct {
	Logs          []DeviceLog `json:"logs"`
	HasNext       bool        `json:"has_next"`
	DeviceID      string      `json:"device_id"`
	CurrentRowKey string      `json:"current_row_key,omitempty"`
	NextRowKey    string      `json:"next_row_key,omitempty"`
	Count         int64       `json:"count,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v DeviceLogs) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// DeviceLog is one log entry.
type DeviceLog struct {
	Code      string `json:"code,omitempty"`
	Value     string `json:"value,omitempty"`
	EventTime int64  `json:"event_time"`
	EventFrom string `json:"event_from"`
	EventID   int    `json:"event_id"`
	Status    string `json:"status,omitempty"`
	Row       string `json:"row,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v DeviceLog) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// SubDevice is a device under a gateway.
type SubDevice struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Online     bool   `json:"online"`
	OwnerID    string `json:"owner_id"`
	Category   string `json:"category"`
	ProductID  string `json:"product_id"`
	ActiveTime int64  `json:"active_time"`
	UpdateTime int64  `json:"update_time"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v SubDevice) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// FactoryInfo is the factory information of one device.
type FactoryInfo struct {
	ID   string `json:"id"`
	UUID string `json:"uuid"`
	SN   string `json:"sn,omitempty"`
	MAC  string `json:"mac,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v FactoryInfo) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// OutletName is the name of one outlet of a multi-outlet device.
type OutletName struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v OutletName) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// DeviceUserInput is the body of device-user add and edit. Contact is documented for add only.
type DeviceUserInput struct {
	NickName string `json:"nick_name"`
	// Sex is 1 (male) or 2 (female).
	Sex int `json:"sex"`
	// Birthday is unix milliseconds.
	Birthday *int64 `json:"birthday,omitempty"`
	// Height is in centimetres.
	Height *int `json:"height,omitempty"`
	// Weight is in grams.
	Weight  *int    `json:"weight,omitempty"`
	Contact *string `json:"contact,omitempty"`
}

// DeviceUser is a user of a device (a scale's family member, say).
type DeviceUser struct {
	DeviceID string `json:"device_id"`
	// UserID is not in the Device User Management page's result table; the cloud and the sandbox
	// return it where known.
	UserID   string `json:"user_id,omitempty"`
	NickName string `json:"nick_name"`
	Sex      int    `json:"sex"`
	Birthday int64  `json:"birthday,omitempty"`
	Height   int    `json:"height,omitempty"`
	Weight   int    `json:"weight,omitempty"`
	Contact  string `json:"contact,omitempty"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v DeviceUser) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// DPSpec is one data point of a specification or instruction set. Values is the type's
// constraints: {} for Boolean; unit, min, max, scale, step for Integer; range for Enum; maxlen
// for String; label for Bitmap; one constraint per field for Json. The other fields items carry
// in some answers (name and desc in instruction sets, dp_id in v1.1 answers) are kept in Record.
type DPSpec struct {
	Code string `json:"code"`
	Type string `json:"type"`
	// Values is as sent: a JSON string holding the document, as the OpenAPI pages show, or the
	// document itself, as the thing-model APIs send it. ValuesText reads both.
	Values json.RawMessage `json:"values"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v DPSpec) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// ValuesText returns the values document as text: the text a JSON string holds, any other JSON
// value as written, and "" for null or none.
func (v DPSpec) ValuesText() string {
	raw := bytes.TrimSpace(v.Values)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// Specification is the result of GET /v1.0/devices/{device_id}/specifications: the data
// points that can be sent (Functions) and those the device reports (Status). A code only in
// Status is report-only. Either list may be absent.
type Specification struct {
	Category  string   `json:"category"`
	Functions []DPSpec `json:"functions"`
	Status    []DPSpec `json:"status"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v Specification) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// FunctionSet is an instruction set: GET /v1.0/functions/{category} (the category's standard
// set) or GET /v1.0/devices/{device_id}/functions.
type FunctionSet struct {
	Category  string   `json:"category"`
	Functions []DPSpec `json:"functions"`
	// Record keeps the fields the cloud sent that are not declared above, and which were absent.
	Record Record `json:"-"`
}

// MarshalJSON writes the object as the cloud sent it (see MarshalRecord).
func (v FunctionSet) MarshalJSON() ([]byte, error) { return MarshalRecord(v) }

// Command is one item of POST /v1.0/devices/{device_id}/commands: a data point code and its
// raw (unscaled) value.
type Command struct {
	Code  string `json:"code"`
	Value any    `json:"value"`
}
