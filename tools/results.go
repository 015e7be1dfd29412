package tools

import (
	"encoding/json"
	"fmt"
	"strconv"

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
	LocalKey    string        `json:"local_key,omitempty" jsonschema_description:"LAN key, if exposed."`
	Category    string        `json:"category" jsonschema_description:"Category code."`
	ProductID   string        `json:"product_id"`
	ProductName string        `json:"product_name,omitempty"`
	Model       string        `json:"model,omitempty"`
	Sub         bool          `json:"sub" jsonschema_description:"Behind a gateway."`
	UUID        string        `json:"uuid"`
	OwnerID     string        `json:"owner_id" jsonschema_description:"Home id."`
	Online      bool          `json:"online"`
	Status      []client.DP   `json:"status"`
	ActiveTime  int64         `json:"active_time" jsonschema_description:"Activation, unix s."`
	CreateTime  int64         `json:"create_time,omitempty" jsonschema_description:"First pairing, unix s."`
	UpdateTime  int64         `json:"update_time,omitempty" jsonschema_description:"Unix s."`
	BizType     int64         `json:"biz_type,omitempty"`
	Icon        string        `json:"icon,omitempty"`
	IP          string        `json:"ip,omitempty"`
	TimeZone    string        `json:"time_zone,omitempty"`
	Record      client.Record `json:"-"`
}

func (v device) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// deviceUser mirrors client.DeviceUser. Its sex, a number from the cloud, is written by
// deviceUserResult as a word, the way the tools take it.
type deviceUser struct {
	DeviceID string        `json:"device_id"`
	UserID   string        `json:"user_id,omitempty"`
	NickName string        `json:"nick_name"`
	Sex      int           `json:"-"`
	Birthday int64         `json:"birthday,omitempty" jsonschema_description:"Unix ms."`
	Height   int           `json:"height,omitempty" jsonschema_description:"cm."`
	Weight   int           `json:"weight,omitempty" jsonschema_description:"g."`
	Contact  string        `json:"contact,omitempty"`
	Record   client.Record `json:"-"`
}

// deviceUserResult is a device user as results give it.
type deviceUserResult struct {
	deviceUser
	Sex string `json:"sex" jsonschema_description:"male, female, or the cloud's number as sent (0: not set)."`
}

func (v deviceUserResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// deviceUserOf converts a client device user for a result: sex 1 and 2 become the words the
// sex argument takes; any other number, such as 0 for not set, is kept as its decimal text, so
// that nothing the cloud sent is lost or given a meaning it did not have.
func deviceUserOf(u client.DeviceUser) deviceUserResult {
	sex := strconv.Itoa(u.Sex)
	if w := (sexWords{}).words(); u.Sex >= 1 && u.Sex <= len(w) {
		sex = w[u.Sex-1]
	}
	return deviceUserResult{deviceUser: deviceUser(u), Sex: sex}
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

// notPaged ends the description of a list tool that Tuya answers in one piece.
const notPaged = " Not paged."

// pages is how every list result that Tuya pages says whether more exists and how to get it,
// in the same words in every such tool. The cloud's own paging fields (has_next, next_row_key,
// last_id, total...) pass through beside it, unchanged.
type pages struct {
	HasMore  bool     `json:"has_more" jsonschema:"required" jsonschema_description:"More may follow."`
	NextPage nextPage `json:"next_page,omitempty" jsonschema_description:"Arguments for the next page."`
}

// nextPage holds exactly the paging arguments that fetch the next page.
type nextPage map[string]any

func (nextPage) JSONSchemaRaw() json.RawMessage { return json.RawMessage(`{"type":"object"}`) }

// pagesOf is more with next, or with nothing next when there is no more.
func pagesOf(more bool, next nextPage) pages {
	if !more {
		next = nil
	}
	return pages{HasMore: more, NextPage: next}
}

// next is the next page of a list paged by page_no and page_size.
func (p paging) next() nextPage {
	return nextPage{"page_no": p.PageNo + 1, "page_size": p.PageSize}
}

// record returns rec writing has_more always (the cloud may not have sent it, or not under
// that name) and next_page only when there is a next page.
func (p pages) record(rec client.Record) client.Record {
	rec = rec.Including("has_more")
	if p.NextPage == nil {
		rec = rec.Excluding("next_page")
	}
	return rec
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
