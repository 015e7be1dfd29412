package tools

import (
	"github.com/tuya-mcp/tuya-mcp/client"
)

// Result types. Every tool returns an object (bare API results are wrapped) whose reflected
// schema is the tool's outputSchema. Types that mirror a client type field for field, with
// descriptions added where a name says too little, convert with a plain type conversion, so a
// change in the client type fails to compile here instead of silently dropping a field. They
// carry the client type's Record and encode with client.MarshalRecord, so that every field the
// cloud sent reaches the result under its own name, zero values included, and a field it did
// not send stays absent; wrappers of a page carry the page's Record for the same reason.
// Slices are never nil: a JSON null would not match the array type in the schema.

// okResult is the result of a write the cloud answers with a bare true.
type okResult struct {
	OK bool `json:"ok" jsonschema:"required"`
}

// deleteResult is the result of a delete.
type deleteResult struct {
	OK   bool   `json:"ok" jsonschema:"required"`
	Note string `json:"note,omitempty" jsonschema_description:"Set when the first answer was lost and a retry found nothing to delete: the first attempt most likely did it."`
}

// device mirrors client.Device.
type device struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	UID         string        `json:"uid" jsonschema_description:"Owner's uid."`
	LocalKey    string        `json:"local_key,omitempty" jsonschema_description:"LAN key; left out unless the server exposes local keys."`
	Category    string        `json:"category" jsonschema_description:"Product category code."`
	ProductID   string        `json:"product_id"`
	ProductName string        `json:"product_name,omitempty"`
	Model       string        `json:"model,omitempty"`
	Sub         bool          `json:"sub" jsonschema_description:"A sub-device behind a gateway."`
	UUID        string        `json:"uuid"`
	OwnerID     string        `json:"owner_id" jsonschema_description:"Home id."`
	Online      bool          `json:"online"`
	Status      []client.DP   `json:"status" jsonschema_description:"Latest data point values."`
	ActiveTime  int64         `json:"active_time" jsonschema_description:"Activation, unix s."`
	CreateTime  int64         `json:"create_time,omitempty" jsonschema_description:"First pairing, unix s."`
	UpdateTime  int64         `json:"update_time,omitempty" jsonschema_description:"Unix s."`
	BizType     int64         `json:"biz_type,omitempty"`
	Icon        string        `json:"icon,omitempty" jsonschema_description:"Path on the image host."`
	IP          string        `json:"ip,omitempty"`
	TimeZone    string        `json:"time_zone,omitempty"`
	Record      client.Record `json:"-"`
}

func (v device) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// userInfo mirrors client.UserInfo.
type userInfo struct {
	UID         string        `json:"uid"`
	Username    string        `json:"username"`
	CountryCode string        `json:"country_code"`
	Avatar      string        `json:"avatar"`
	Mobile      string        `json:"mobile"`
	Email       string        `json:"email,omitempty"`
	NickName    string        `json:"nick_name"`
	CreateTime  int64         `json:"create_time" jsonschema_description:"Unix s."`
	UpdateTime  int64         `json:"update_time" jsonschema_description:"Unix s."`
	Record      client.Record `json:"-"`
}

func (v userInfo) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type userListResult struct {
	Users   []client.ListedUser `json:"users" jsonschema:"required"`
	HasMore bool                `json:"has_more" jsonschema_description:"More users on later pages."`
	Total   int                 `json:"total" jsonschema_description:"Users in the window."`
	Record  client.Record       `json:"-"`
}

func (v userListResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type deviceListResult struct {
	Devices []device      `json:"devices" jsonschema:"required"`
	Total   int           `json:"total"`
	HasMore bool          `json:"has_more"`
	LastID  string        `json:"last_id" jsonschema_description:"Pass as last_id for the next page."`
	Record  client.Record `json:"-"`
}

func (v deviceListResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type userDeviceListResult struct {
	Devices []device `json:"devices" jsonschema:"required"`
}

// deviceLog mirrors client.DeviceLog.
type deviceLog struct {
	Code      string        `json:"code,omitempty" jsonschema_description:"Data point code."`
	Value     string        `json:"value,omitempty"`
	EventTime int64         `json:"event_time" jsonschema_description:"Unix ms."`
	EventFrom string        `json:"event_from" jsonschema_description:"Source: 1 device, 2 app, 3 third party, 4 cloud, -1 unknown."`
	EventID   int           `json:"event_id" jsonschema_description:"Event type number (1-10)."`
	Status    string        `json:"status,omitempty"`
	Row       string        `json:"row,omitempty" jsonschema_description:"Row key (paid edition): pass as last_row_key."`
	Record    client.Record `json:"-"`
}

func (v deviceLog) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// logEntry is a log with its event type named.
type logEntry struct {
	deviceLog
	EventType string `json:"event_type" jsonschema_description:"Event type word, as in the type argument."`
}

// MarshalJSON writes the log as the cloud sent it, with event_type; without it, deviceLog's
// would be promoted and drop event_type.
func (v logEntry) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type logList struct {
	Logs          []logEntry    `json:"logs" jsonschema:"required"`
	HasNext       bool          `json:"has_next"`
	DeviceID      string        `json:"device_id"`
	CurrentRowKey string        `json:"current_row_key,omitempty"`
	NextRowKey    string        `json:"next_row_key,omitempty" jsonschema_description:"Free edition: pass as start_row_key for the next page."`
	Count         int64         `json:"count,omitempty" jsonschema_description:"Paid edition: matching logs."`
	Record        client.Record `json:"-"`
}

func (v logList) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

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

type factoryInfoList struct {
	FactoryInfos []client.FactoryInfo `json:"factory_infos" jsonschema:"required"`
}

type outletList struct {
	Outlets []client.OutletName `json:"outlets" jsonschema:"required"`
}

// deviceUser mirrors client.DeviceUser.
type deviceUser struct {
	DeviceID string        `json:"device_id"`
	UserID   string        `json:"user_id,omitempty"`
	NickName string        `json:"nick_name"`
	Sex      int           `json:"sex" jsonschema_description:"1 male, 2 female."`
	Birthday int64         `json:"birthday,omitempty" jsonschema_description:"Unix ms."`
	Height   int           `json:"height,omitempty" jsonschema_description:"cm."`
	Weight   int           `json:"weight,omitempty" jsonschema_description:"g."`
	Contact  string        `json:"contact,omitempty"`
	Record   client.Record `json:"-"`
}

func (v deviceUser) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type deviceUserListResult struct {
	DeviceUsers []deviceUser `json:"device_users" jsonschema:"required"`
}

type syncResult struct {
	UID    string        `json:"uid" jsonschema:"required" jsonschema_description:"Tuya user id."`
	Record client.Record `json:"-"`
}

func (v syncResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

type addResult struct {
	UserID string `json:"user_id" jsonschema:"required" jsonschema_description:"Id of the new device user."`
}

// device converts a client device for a result, without its local key unless configured.
// render removes any other local key the cloud sends; this one, in every device, is removed
// here so that rendering a device seldom needs to look inside the result.
func (e *env) device(d client.Device) device {
	out := device(d)
	if !e.exposeLocalKeys {
		out.LocalKey, out.Record = "", out.Record.Excluding("local_key")
	}
	if out.Record.Sent("status") {
		out.Status = nonNil(out.Status)
	}
	return out
}

func (e *env) devices(ds []client.Device) []device {
	out := make([]device, len(ds))
	for i, d := range ds {
		out[i] = e.device(d)
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func convertAll[T, U any](in []T, conv func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}
