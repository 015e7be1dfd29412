package tools

import (
	"github.com/tuya-mcp/tuya-mcp/client"
)

// Result types several tools share; a result type of one tool alone lives in that tool's file.
// Every tool returns an object (bare API results are wrapped) whose reflected
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
