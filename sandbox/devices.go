package sandbox

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// maxNameLen is the longest device or data-point name accepted, in characters.
const maxNameLen = 50

// deviceJSON is a device as device details and device lists show it.
type deviceJSON struct {
	ActiveTime  int64  `json:"active_time"`
	BizType     int64  `json:"biz_type"`
	Category    string `json:"category"`
	CreateTime  int64  `json:"create_time"`
	Icon        string `json:"icon"`
	ID          string `json:"id"`
	IP          string `json:"ip"`
	LocalKey    string `json:"local_key"`
	Model       string `json:"model"`
	Name        string `json:"name"`
	Online      bool   `json:"online"`
	OwnerID     string `json:"owner_id"`
	ProductID   string `json:"product_id"`
	ProductName string `json:"product_name"`
	Status      []DP   `json:"status"`
	Sub         bool   `json:"sub"`
	TimeZone    string `json:"time_zone"`
	UID         string `json:"uid"`
	UpdateTime  int64  `json:"update_time"`
	UUID        string `json:"uuid"`
}

func toJSON(d *Device) deviceJSON {
	return deviceJSON{
		ActiveTime:  d.ActiveTime,
		BizType:     d.BizType,
		Category:    d.Category,
		CreateTime:  d.CreateTime,
		Icon:        d.Icon,
		ID:          d.ID,
		IP:          d.IP,
		LocalKey:    d.LocalKey,
		Model:       d.Model,
		Name:        d.Name,
		Online:      d.Online,
		OwnerID:     d.OwnerID,
		ProductID:   d.ProductID,
		ProductName: d.ProductName,
		Status:      cloneDPs(d.Status),
		Sub:         d.Sub(),
		TimeZone:    d.TimeZone,
		UID:         d.UID,
		UpdateTime:  d.UpdateTime,
		UUID:        d.UUID,
	}
}

func toJSONs(ds []*Device) []deviceJSON {
	out := make([]deviceJSON, len(ds))
	for i, d := range ds {
		out[i] = toJSON(d)
	}
	return out
}

// pathDevice looks up the path's device_id (2010 when unknown).
func (s *Sandbox) pathDevice(c *call) (*Device, error) {
	d, ok := s.st.Devices[c.params["device_id"]]
	if !ok {
		return nil, errDeviceNotExist
	}
	return d, nil
}

// getDevice is GET /v1.0/devices/{device_id}.
func (s *Sandbox) getDevice(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	return toJSON(d), nil
}

type deviceList struct {
	Devices []deviceJSON `json:"devices"`
	Total   int          `json:"total"`
	HasMore bool         `json:"has_more"`
	LastID  string       `json:"last_id"`
}

// listDevices is GET /v1.0/devices: devices filtered by app, product, ids and activation window,
// in id order, paged by page_no or, when last_id is given, by the id after last_id.
func (s *Sandbox) listDevices(c *call) (any, error) {
	q := c.query
	lastID := q.Get("last_id")
	if lastID != "" && q.Get("page_size") == "" {
		return nil, errEmpty("page_size")
	}
	p, _, err := parsePaging(q, lastID == "", 1)
	if err != nil {
		return nil, err
	}
	schema := q.Get("schema")
	if schema != "" && !s.st.hasSchema(schema) {
		return nil, errSchema
	}
	start, hasStart, err := secondsParam(q, "start_time")
	if err != nil {
		return nil, err
	}
	end, hasEnd, err := secondsParam(q, "end_time")
	if err != nil {
		return nil, err
	}
	if hasStart != hasEnd {
		return nil, errRange("start_time and end_time must be given together")
	}
	if hasStart {
		if err := window(start, end); err != nil {
			return nil, err
		}
	}
	productID := q.Get("product_id")
	ids := splitList(q.Get("device_ids"))
	var match []*Device
	for _, d := range s.st.sortedDevices() {
		switch {
		case schema != "" && d.Schema != schema,
			productID != "" && d.ProductID != productID,
			len(ids) > 0 && !slices.Contains(ids, d.ID),
			hasStart && (d.ActiveTime < start || d.ActiveTime > end):
			continue
		}
		match = append(match, d)
	}
	var page []*Device
	more := false
	if lastID != "" {
		i, _ := slices.BinarySearchFunc(match, lastID, func(d *Device, id string) int { return strings.Compare(d.ID, id) })
		if i < len(match) && match[i].ID == lastID {
			i++
		}
		page = match[i:min(i+int(p.size), len(match))]
		more = i+len(page) < len(match)
	} else {
		var from, to int
		from, to, more = p.page(len(match))
		page = match[from:to]
	}
	out := deviceList{Devices: toJSONs(page), Total: len(match), HasMore: more}
	if len(page) > 0 {
		out.LastID = page[len(page)-1].ID
	}
	return out, nil
}

// listUserDevices is GET /v1.0/users/{uid}/devices: the user's own devices (from=home), those
// shared with the user (from=sharing), or both.
func (s *Sandbox) listUserDevices(c *call) (any, error) {
	uid := c.params["uid"]
	if _, ok := s.st.Users[uid]; !ok {
		return nil, errUserNotExist
	}
	from := c.query.Get("from")
	if from != "" && from != "home" && from != "sharing" {
		return nil, errIllegal("from must be home or sharing, got %q", from)
	}
	p, paged, err := parsePaging(c.query, false, 1)
	if err != nil {
		return nil, err
	}
	var home, shared []*Device
	for _, d := range s.st.sortedDevices() {
		switch {
		case d.UID == uid:
			home = append(home, d)
		case slices.Contains(d.SharedWith, uid):
			shared = append(shared, d)
		}
	}
	var list []*Device
	switch from {
	case "home":
		list = home
	case "sharing":
		list = shared
	default:
		list = append(home, shared...)
	}
	if paged {
		from, to, _ := p.page(len(list))
		list = list[from:to]
	}
	return toJSONs(list), nil
}

type nameBody struct {
	Name string `json:"name"`
}

// parseName decodes a {name} body: required (1100), at most 50 characters (1109).
func parseName(body []byte) (string, error) {
	var b nameBody
	if err := decodeBody(body, &b); err != nil {
		return "", err
	}
	if strings.TrimSpace(b.Name) == "" {
		return "", errEmpty("name")
	}
	if n := utf8.RuneCountInString(b.Name); n > maxNameLen {
		return "", errIllegal("name has %d characters, at most %d are allowed", n, maxNameLen)
	}
	return b.Name, nil
}

// renameDevice is PUT /v1.0/devices/{device_id}.
func (s *Sandbox) renameDevice(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	name, err := parseName(c.body)
	if err != nil {
		return nil, err
	}
	d.Name = name
	d.UpdateTime = c.now.Unix()
	return true, nil
}

// renameFunction is PUT /v1.0/devices/{device_id}/functions/{function_code}: it names one of
// the device's data points.
func (s *Sandbox) renameFunction(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	name, err := parseName(c.body)
	if err != nil {
		return nil, err
	}
	code := c.params["function_code"]
	if !slices.ContainsFunc(d.Status, func(dp DP) bool { return dp.Code == code }) {
		return nil, errIllegal("function_code %q is not a data point of device %s", code, d.ID)
	}
	if d.FunctionNames == nil {
		d.FunctionNames = map[string]string{}
	}
	d.FunctionNames[code] = name
	d.UpdateTime = c.now.Unix()
	return true, nil
}

// resetFactory is PUT /v1.0/devices/{device_id}/reset-factory: the product's name and default
// data points come back, and what users set up is gone.
func (s *Sandbox) resetFactory(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	p := s.st.Products[d.ProductID]
	d.Name = p.Name
	d.Status = cloneDPs(p.Defaults)
	d.FunctionNames = nil
	d.OutletNames = nil
	d.Online = false
	d.UpdateTime = c.now.Unix()
	delete(s.st.DeviceUsers, d.ID)
	s.st.addLog(d.ID, Log{EventID: eventReset, EventFrom: fromCloud, EventTime: c.now.UnixMilli()})
	return true, nil
}

// deleteDevice is DELETE /v1.0/devices/{device_id}; a gateway takes its sub-devices along.
func (s *Sandbox) deleteDevice(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	s.st.deleteDevice(d.ID)
	return true, nil
}

type subDevice struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Online     bool   `json:"online"`
	OwnerID    string `json:"owner_id"`
	Category   string `json:"category"`
	ProductID  string `json:"product_id"`
	ActiveTime int64  `json:"active_time"`
	UpdateTime int64  `json:"update_time"`
}

// listSubDevices is GET /v1.0/devices/{device_id}/sub-devices; a device that is no gateway has
// none.
func (s *Sandbox) listSubDevices(c *call) (any, error) {
	gw, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	out := []subDevice{}
	for _, d := range s.st.sortedDevices() {
		if d.GatewayID == gw.ID {
			out = append(out, subDevice{
				ID:         d.ID,
				Name:       d.Name,
				Online:     d.Online,
				OwnerID:    d.OwnerID,
				Category:   d.Category,
				ProductID:  d.ProductID,
				ActiveTime: d.ActiveTime,
				UpdateTime: d.UpdateTime,
			})
		}
	}
	return out, nil
}

// maxFactoryInfoIDs is the most ids one factory-infos call takes.
const maxFactoryInfoIDs = 20

type factoryInfo struct {
	ID   string `json:"id"`
	UUID string `json:"uuid"`
	SN   string `json:"sn"`
	MAC  string `json:"mac"`
}

// listFactoryInfos is GET /v1.0/devices/factory-infos?device_ids=a,b: the known devices among
// the ids, in the order asked, each once.
func (s *Sandbox) listFactoryInfos(c *call) (any, error) {
	ids := splitList(c.query.Get("device_ids"))
	if len(ids) == 0 {
		return nil, errEmpty("device_ids")
	}
	if len(ids) > maxFactoryInfoIDs {
		return nil, errRange("device_ids has %d ids, at most %d are allowed", len(ids), maxFactoryInfoIDs)
	}
	out := []factoryInfo{}
	for i, id := range ids {
		d, ok := s.st.Devices[id]
		if ok && !slices.Contains(ids[:i], id) {
			out = append(out, factoryInfo{ID: d.ID, UUID: d.UUID, SN: d.SN, MAC: d.MAC})
		}
	}
	return out, nil
}

type outletBody struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// outlets returns the device's outlets with their names, or 2009 for a device with one outlet.
func (s *Sandbox) outlets(d *Device) ([]Outlet, error) {
	p := s.st.Products[d.ProductID]
	if len(p.Outlets) == 0 {
		return nil, errNotSupport
	}
	out := make([]Outlet, len(p.Outlets))
	for i, id := range p.Outlets {
		out[i] = Outlet{Identifier: id, Name: d.OutletNames[id]}
	}
	return out, nil
}

// setOutletName is PUT /v1.0/devices/{device_id}/multiple-name.
func (s *Sandbox) setOutletName(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	var b outletBody
	if err := decodeBody(c.body, &b); err != nil {
		return nil, err
	}
	outlets, err := s.outlets(d)
	if err != nil {
		return nil, err
	}
	switch {
	case b.Identifier == "":
		return nil, errEmpty("identifier")
	case strings.TrimSpace(b.Name) == "":
		return nil, errEmpty("name")
	case !slices.ContainsFunc(outlets, func(o Outlet) bool { return o.Identifier == b.Identifier }):
		return nil, errIllegal("identifier %q is not an outlet of device %s", b.Identifier, d.ID)
	}
	if d.OutletNames == nil {
		d.OutletNames = map[string]string{}
	}
	d.OutletNames[b.Identifier] = b.Name
	d.UpdateTime = c.now.Unix()
	return true, nil
}

// listOutletNames is GET /v1.0/devices/{device_id}/multiple-names.
func (s *Sandbox) listOutletNames(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	return s.outlets(d)
}
