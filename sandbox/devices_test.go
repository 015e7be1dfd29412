package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// wireDevice is a device as the API returns it.
type wireDevice struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	UID         string `json:"uid"`
	LocalKey    string `json:"local_key"`
	Category    string `json:"category"`
	ProductID   string `json:"product_id"`
	ProductName string `json:"product_name"`
	Sub         bool   `json:"sub"`
	UUID        string `json:"uuid"`
	OwnerID     string `json:"owner_id"`
	Online      bool   `json:"online"`
	Status      []DP   `json:"status"`
	ActiveTime  int64  `json:"active_time"`
	CreateTime  int64  `json:"create_time"`
	UpdateTime  int64  `json:"update_time"`
	BizType     int64  `json:"biz_type"`
	Icon        string `json:"icon"`
	IP          string `json:"ip"`
	TimeZone    string `json:"time_zone"`
}

func ids(ds []wireDevice) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func statusValue(dps []DP, code string) string {
	for _, dp := range dps {
		if dp.Code == code {
			return string(dp.Value)
		}
	}
	return ""
}

func TestGetDevice(t *testing.T) {
	c := client(t, Options{})
	// Every documented key is present.
	var raw map[string]json.RawMessage
	c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, &raw)
	for _, k := range []string{"id", "name", "uid", "local_key", "category", "product_id", "product_name", "sub", "uuid",
		"owner_id", "online", "status", "active_time", "biz_type", "icon", "ip", "time_zone", "create_time", "update_time"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("device details lack %q", k)
		}
	}
	tests := []struct {
		id                 string
		category, dpCode   string
		dpValue            string
		sub, online        bool
		uid, owner, prodID string
	}{
		{DemoStripID, "pc", "switch_1", "true", false, true, DemoUserUID, DemoHomeID, "h7de77w9w9vreu4s"},
		{DemoSubDeviceID, "sj", "watersensor_state", `"normal"`, true, true, DemoUserUID, DemoHomeID, "wl2yxtqg7wjcb3m6"},
		{DemoOfflineDeviceID, "sp", "sd_storage", `"59968|12288|47680"`, false, false, DemoUserUID, DemoHomeID, "6b8j1kad8ittkpkm"},
		{DemoScaleID, "tzc1", "weight", "684", false, true, DemoUserUID, DemoHomeID, "rg38v02zdaqwbqyh"},
		{"bff6hgshd0vlh5kavbw3lf", "wk", "temp_set", "215", false, true, DemoOtherUserUID, "41260518", "0471pe4cuhji7oyo"},
	}
	for _, tt := range tests {
		var d wireDevice
		c.ok("GET", "/v1.0/devices/"+tt.id, nil, &d)
		if d.ID != tt.id || d.Category != tt.category || d.Sub != tt.sub || d.Online != tt.online || d.UID != tt.uid ||
			d.OwnerID != tt.owner || d.ProductID != tt.prodID || d.LocalKey == "" || d.UUID == "" || d.IP == "" ||
			d.ActiveTime == 0 || d.CreateTime > d.ActiveTime || d.UpdateTime > c.clk.Now().Unix() {
			t.Errorf("device %+v", d)
		}
		if got := statusValue(d.Status, tt.dpCode); got != tt.dpValue {
			t.Errorf("%s %s = %s, want %s", tt.id, tt.dpCode, got, tt.dpValue)
		}
	}
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/bf00000000000000000000", nil)
}

type deviceListRes struct {
	Devices []wireDevice `json:"devices"`
	Total   int          `json:"total"`
	HasMore bool         `json:"has_more"`
	LastID  string       `json:"last_id"`
}

func TestListDevices(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	all := c.srv.Devices()
	var allIDs, recent []string
	for _, d := range all {
		allIDs = append(allIDs, d.ID)
		if d.ActiveTime >= now.Add(-30*day).Unix() {
			recent = append(recent, d.ID)
		}
	}
	if !slices.IsSorted(allIDs) {
		t.Fatal("Devices() is not in id order")
	}
	page := func(kv ...string) string {
		return "/v1.0/devices" + q(append([]string{"page_no", "1", "page_size", "100"}, kv...)...)
	}
	tests := []struct {
		name      string
		path      string
		want      []string
		wantTotal int
		wantMore  bool
	}{
		{"everything", page(), allIDs, 19, false},
		{"demo app", page("schema", DemoSchema), without(allIDs, "ebvgss4zip4l20wv17vkdj", "bfapkgsa8gqpao9ce178k5"), 17, false},
		{"other app", page("schema", OtherSchema), []string{"bfapkgsa8gqpao9ce178k5", "ebvgss4zip4l20wv17vkdj"}, 2, false},
		{"product", page("product_id", DemoProductID), []string{"6ccuu1fgm1hd8035bxt1et", "6crgs99tq2dpa8kxxo68uo", "bfw04nkth169dxncwjxcpd"}, 3, false},
		{"unknown product", page("product_id", "nosuchproduct"), nil, 0, false},
		{"ids", page("device_ids", DemoStripID+","+DemoScaleID+",bf00000000000000000000"), []string{DemoScaleID, DemoStripID}, 2, false},
		{"ids and product", page("device_ids", DemoStripID+",6ccuu1fgm1hd8035bxt1et", "product_id", DemoProductID), []string{"6ccuu1fgm1hd8035bxt1et"}, 1, false},
		{"active in the last 30 days", page("start_time", secs(now.Add(-30*day)), "end_time", secs(now)), recent, len(recent), false},
		{"second page", "/v1.0/devices" + q("page_no", "2", "page_size", "5"), allIDs[5:10], 19, true},
		{"last page", "/v1.0/devices" + q("page_no", "4", "page_size", "5"), allIDs[15:], 19, false},
		{"last_id", "/v1.0/devices" + q("last_id", allIDs[2], "page_size", "3"), allIDs[3:6], 19, true},
		{"last_id wins over page_no", "/v1.0/devices" + q("last_id", allIDs[2], "page_no", "3", "page_size", "3"), allIDs[3:6], 19, true},
		{"last_id not itself a device", "/v1.0/devices" + q("last_id", allIDs[2]+"0", "page_size", "2"), allIDs[3:5], 19, true},
		{"last_id at the end", "/v1.0/devices" + q("last_id", allIDs[18], "page_size", "3"), nil, 19, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res deviceListRes
			c.ok("GET", tt.path, nil, &res)
			if got := ids(res.Devices); !slices.Equal(got, tt.want) || res.Total != tt.wantTotal || res.HasMore != tt.wantMore {
				t.Fatalf("got %v total %d more %v, want %v total %d more %v", got, res.Total, res.HasMore, tt.want, tt.wantTotal, tt.wantMore)
			}
			wantLast := ""
			if len(tt.want) > 0 {
				wantLast = tt.want[len(tt.want)-1]
			}
			if res.LastID != wantLast {
				t.Errorf("last_id %q, want %q", res.LastID, wantLast)
			}
		})
	}
	if len(recent) == 0 || len(recent) == len(allIDs) {
		t.Errorf("%d of %d demo devices active in the last 30 days: the window filter is not exercised", len(recent), len(allIDs))
	}
	// Paging by last_id walks every device once.
	var walked []string
	for last, more := "", true; more; {
		var res deviceListRes
		c.ok("GET", "/v1.0/devices"+q("last_id", last, "page_size", "4", "page_no", "1"), nil, &res)
		walked = append(walked, ids(res.Devices)...)
		last, more = res.LastID, res.HasMore
	}
	if !slices.Equal(walked, allIDs) {
		t.Errorf("walked %v", walked)
	}
}

func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(drop, s) })
}

func TestListDevicesErrors(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	tests := []struct {
		name string
		path string
		code int
	}{
		{"no page_no", "/v1.0/devices" + q("page_size", "20"), codeEmpty},
		{"no page_size", "/v1.0/devices" + q("page_no", "1"), codeEmpty},
		{"last_id without page_size", "/v1.0/devices" + q("last_id", DemoStripID), codeEmpty},
		{"page_size 0", "/v1.0/devices" + q("page_no", "1", "page_size", "0"), codeRange},
		{"page_size 101", "/v1.0/devices" + q("page_no", "1", "page_size", "101"), codeRange},
		{"page_no 0", "/v1.0/devices" + q("page_no", "0", "page_size", "10"), codeRange},
		{"page_no not a number", "/v1.0/devices" + q("page_no", "one", "page_size", "10"), codeIllegal},
		{"unknown schema", "/v1.0/devices" + q("page_no", "1", "page_size", "10", "schema", "nosuchapp"), codeSchema},
		{"start_time alone", "/v1.0/devices" + q("page_no", "1", "page_size", "10", "start_time", secs(now)), codeRange},
		{"end_time alone", "/v1.0/devices" + q("page_no", "1", "page_size", "10", "end_time", secs(now)), codeRange},
		{"window over 30 days", "/v1.0/devices" + q("page_no", "1", "page_size", "10", "start_time", secs(now.Add(-31*day)), "end_time", secs(now)), codeRange},
		{"end before start", "/v1.0/devices" + q("page_no", "1", "page_size", "10", "start_time", secs(now), "end_time", secs(now.Add(-day))), codeRange},
		{"milliseconds", "/v1.0/devices" + q("page_no", "1", "page_size", "10", "start_time", millis(now.Add(-day)), "end_time", millis(now)), codeIllegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { c.fail(tt.code, "GET", tt.path, nil) })
	}
}

func TestListUserDevices(t *testing.T) {
	c := client(t, Options{})
	shared := []string{"6crgs99tq2dpa8kxxo68uo", "bff6hgshd0vlh5kavbw3lf"}
	var home []string
	for _, d := range c.srv.Devices() {
		if d.UID == DemoUserUID {
			home = append(home, d.ID)
		}
	}
	tests := []struct {
		name string
		path string
		want []string
	}{
		{"home", "/v1.0/users/" + DemoUserUID + "/devices?from=home", home},
		{"sharing", "/v1.0/users/" + DemoUserUID + "/devices?from=sharing", shared},
		{"both", "/v1.0/users/" + DemoUserUID + "/devices", append(slices.Clone(home), shared...)},
		{"other owner", "/v1.0/users/" + DemoOtherUserUID + "/devices?from=home", []string{"6crgs99tq2dpa8kxxo68uo", "bf6x30fov6kr8i1edwlj5u", "bff6hgshd0vlh5kavbw3lf"}},
		{"nothing shared", "/v1.0/users/" + DemoOtherUserUID + "/devices?from=sharing", []string{}},
		{"page 2", "/v1.0/users/" + DemoUserUID + "/devices" + q("from", "home", "page_no", "2", "page_size", "5"), home[5:10]},
		{"page size only", "/v1.0/users/" + DemoUserUID + "/devices" + q("page_size", "3"), home[:3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []wireDevice
			c.ok("GET", tt.path, nil, &got)
			if got == nil || !slices.Equal(ids(got), tt.want) {
				t.Fatalf("got %v, want %v", ids(got), tt.want)
			}
		})
	}
	if len(home) != 14 {
		t.Errorf("DemoUserUID owns %d devices", len(home))
	}
	c.fail(codeIllegal, "GET", "/v1.0/users/"+DemoUserUID+"/devices?from=office", nil)
	c.fail(codeUserNotExist, "GET", "/v1.0/users/ay0000000000000nobody/devices", nil)
	c.fail(codeRange, "GET", "/v1.0/users/"+DemoUserUID+"/devices?page_size=0", nil)
}

// TestRenameDeviceConsistency checks that a rename shows wherever the device does.
func TestRenameDeviceConsistency(t *testing.T) {
	c := client(t, Options{})
	c.clk.Advance(time.Minute)
	c.ok("PUT", "/v1.0/devices/"+DemoSubDeviceID, map[string]string{"name": "Basement Leak"}, nil)
	check := func(where, name string) {
		if name != "Basement Leak" {
			t.Errorf("%s shows %q", where, name)
		}
	}
	var d wireDevice
	c.ok("GET", "/v1.0/devices/"+DemoSubDeviceID, nil, &d)
	check("device details", d.Name)
	if d.UpdateTime != c.clk.Now().Unix() {
		t.Errorf("update_time %d", d.UpdateTime)
	}
	var list deviceListRes
	c.ok("GET", "/v1.0/devices"+q("page_no", "1", "page_size", "10", "device_ids", DemoSubDeviceID), nil, &list)
	check("device list", list.Devices[0].Name)
	var mine []wireDevice
	c.ok("GET", "/v1.0/users/"+DemoUserUID+"/devices", nil, &mine)
	check("user device list", mine[slices.IndexFunc(mine, func(d wireDevice) bool { return d.ID == DemoSubDeviceID })].Name)
	var subs []wireDevice
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID+"/sub-devices", nil, &subs)
	check("sub-device list", subs[slices.IndexFunc(subs, func(d wireDevice) bool { return d.ID == DemoSubDeviceID })].Name)
}

func TestRenameDeviceErrors(t *testing.T) {
	c := client(t, Options{})
	path := "/v1.0/devices/" + DemoStripID
	tests := []struct {
		name string
		path string
		body any
		code int
	}{
		{"50 characters", path, map[string]string{"name": strings.Repeat("é", 50)}, 0},
		{"51 characters", path, map[string]string{"name": strings.Repeat("a", 51)}, codeIllegal},
		{"empty name", path, map[string]string{"name": ""}, codeEmpty},
		{"blank name", path, map[string]string{"name": "  "}, codeEmpty},
		{"no body", path, nil, codeEmpty},
		{"name a number", path, map[string]int{"name": 1}, codeIllegal},
		{"malformed", path, `{"name":`, codeIllegal},
		{"unknown device", "/v1.0/devices/bf00000000000000000000", map[string]string{"name": "x"}, codeDeviceNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.code == 0 {
				c.ok("PUT", tt.path, tt.body, nil)
				return
			}
			c.fail(tt.code, "PUT", tt.path, tt.body)
		})
	}
	if d, _ := c.srv.Device(DemoStripID); d.Name != strings.Repeat("é", 50) {
		t.Errorf("name %q", d.Name)
	}
}

func TestRenameFunction(t *testing.T) {
	c := client(t, Options{})
	c.ok("PUT", "/v1.0/devices/"+DemoStripID+"/functions/switch_1", map[string]string{"name": "Monitor"}, nil)
	c.ok("PUT", "/v1.0/devices/"+DemoSubDeviceID+"/functions/watersensor_state", map[string]string{"name": "Leak"}, nil)
	if d, _ := c.srv.Device(DemoStripID); d.FunctionNames["switch_1"] != "Monitor" {
		t.Errorf("function names %v", d.FunctionNames)
	}
	env := c.fail(codeIllegal, "PUT", "/v1.0/devices/"+DemoStripID+"/functions/switch_9", map[string]string{"name": "x"})
	if !strings.Contains(env.Msg, "switch_9") {
		t.Errorf("msg %q does not name the code", env.Msg)
	}
	c.fail(codeEmpty, "PUT", "/v1.0/devices/"+DemoStripID+"/functions/switch_1", map[string]string{"name": ""})
	c.fail(codeDeviceNotExist, "PUT", "/v1.0/devices/bf00000000000000000000/functions/switch_1", map[string]string{"name": "x"})
}

func TestResetFactory(t *testing.T) {
	c := client(t, Options{})
	c.ok("PUT", "/v1.0/devices/"+DemoStripID, map[string]string{"name": "Mine"}, nil)
	c.ok("PUT", "/v1.0/devices/"+DemoStripID+"/functions/switch_2", map[string]string{"name": "Lamp"}, nil)
	c.ok("PUT", "/v1.0/devices/"+DemoStripID+"/multiple-name", map[string]string{"identifier": "switch_3", "name": "Fan"}, nil)
	logs := len(c.srv.Logs(DemoStripID))
	c.clk.Advance(time.Hour)
	c.ok("PUT", "/v1.0/devices/"+DemoStripID+"/reset-factory", nil, nil)
	var d wireDevice
	c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, &d)
	if d.Name != "Smart Power Strip 4AC+2USB" || d.Online || statusValue(d.Status, "switch_1") != "false" ||
		statusValue(d.Status, "cur_voltage") != "0" || d.UpdateTime != c.clk.Now().Unix() {
		t.Errorf("after reset: %+v", d)
	}
	stored, _ := c.srv.Device(DemoStripID)
	if len(stored.FunctionNames) != 0 {
		t.Errorf("function names %v", stored.FunctionNames)
	}
	for _, o := range c.srv.OutletNames(DemoStripID) {
		if o.Name != "" {
			t.Errorf("outlet %+v kept its name", o)
		}
	}
	after := c.srv.Logs(DemoStripID)
	if last := after[len(after)-1]; len(after) != logs+1 || last.EventID != eventReset || last.EventTime != c.clk.Now().UnixMilli() {
		t.Errorf("last log %+v of %d (was %d)", last, len(after), logs)
	}
	// Device users go too.
	c.ok("PUT", "/v1.0/devices/"+DemoScaleID+"/reset-factory", nil, nil)
	var users []DeviceUser
	c.ok("GET", "/v1.0/devices/"+DemoScaleID+"/users", nil, &users)
	if users == nil || len(users) != 0 {
		t.Errorf("users after reset: %v", users)
	}
	c.fail(codeDeviceNotExist, "PUT", "/v1.0/devices/bf00000000000000000000/reset-factory", nil)
}

func TestDeleteDevice(t *testing.T) {
	c := client(t, Options{})
	subs := []string{DemoSubDeviceID, "bfd9d2veyx0gsaxmknuj0e", "bfpagxiuwp7317bd9g2lbc", "bfxnizwkra4uzepz1qssk3"}
	c.ok("DELETE", "/v1.0/devices/"+DemoGatewayID, nil, nil)
	for _, id := range append([]string{DemoGatewayID}, subs...) {
		c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/"+id, nil)
	}
	var res deviceListRes
	c.ok("GET", "/v1.0/devices"+q("page_no", "1", "page_size", "100"), nil, &res)
	if res.Total != 14 {
		t.Errorf("%d devices left, want 14", res.Total)
	}
	c.ok("DELETE", "/v1.0/devices/"+DemoScaleID, nil, nil)
	if u := c.srv.DeviceUsers(DemoScaleID); len(u) != 0 {
		t.Errorf("device users left: %v", u)
	}
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/"+DemoScaleID+"/users/"+DemoScaleUserID, nil)
	c.fail(codeDeviceNotExist, "DELETE", "/v1.0/devices/"+DemoScaleID, nil)
	if len(c.srv.Logs(DemoScaleID)) != 0 {
		t.Error("logs of a deleted device kept")
	}
}

func TestSubDevices(t *testing.T) {
	c := client(t, Options{})
	type sub struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Online     bool   `json:"online"`
		OwnerID    string `json:"owner_id"`
		Category   string `json:"category"`
		ProductID  string `json:"product_id"`
		ActiveTime int64  `json:"active_time"`
		UpdateTime int64  `json:"update_time"`
	}
	var subs []sub
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID+"/sub-devices", nil, &subs)
	var cats []string
	for _, s := range subs {
		d, _ := c.srv.Device(s.ID)
		if d.GatewayID != DemoGatewayID || s.Name != d.Name || s.OwnerID != DemoHomeID || s.ProductID != d.ProductID ||
			s.ActiveTime != d.ActiveTime || s.UpdateTime != d.UpdateTime || !s.Online {
			t.Errorf("sub-device %+v, stored %+v", s, d)
		}
		cats = append(cats, s.Category)
	}
	slices.Sort(cats)
	if !slices.Equal(cats, []string{"mcs", "sj", "wsdcg", "ywbj"}) {
		t.Errorf("categories %v", cats)
	}
	var none []sub
	c.ok("GET", "/v1.0/devices/"+DemoStripID+"/sub-devices", nil, &none)
	if none == nil || len(none) != 0 {
		t.Errorf("a strip has sub-devices %v", none)
	}
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/bf00000000000000000000/sub-devices", nil)
}

func TestFactoryInfos(t *testing.T) {
	c := client(t, Options{})
	type info struct {
		ID, UUID, SN, MAC string
	}
	var got []info
	c.ok("GET", "/v1.0/devices/factory-infos"+q("device_ids", DemoStripID+",bf00000000000000000000,"+DemoSubDeviceID+","+DemoStripID), nil, &got)
	if len(got) != 2 || got[0].ID != DemoStripID || got[1].ID != DemoSubDeviceID {
		t.Fatalf("got %+v", got)
	}
	for _, fi := range got {
		d, _ := c.srv.Device(fi.ID)
		if fi.UUID != d.UUID || fi.SN == "" || fi.SN != d.SN || fi.MAC != d.MAC {
			t.Errorf("info %+v, device %+v", fi, d)
		}
	}
	if !strings.Contains(got[0].MAC, ":") || strings.Contains(got[1].MAC, ":") {
		t.Errorf("MACs %q (Wi-Fi) %q (Zigbee)", got[0].MAC, got[1].MAC)
	}
	twenty := make([]string, 20)
	for i := range twenty {
		twenty[i] = fmt.Sprintf("bf%020d", i)
	}
	c.ok("GET", "/v1.0/devices/factory-infos"+q("device_ids", strings.Join(twenty, ",")), nil, &got)
	if got == nil || len(got) != 0 {
		t.Errorf("unknown ids gave %v", got)
	}
	c.fail(codeRange, "GET", "/v1.0/devices/factory-infos"+q("device_ids", strings.Join(append(twenty, DemoStripID), ",")), nil)
	c.fail(codeEmpty, "GET", "/v1.0/devices/factory-infos", nil)
	c.fail(codeEmpty, "GET", "/v1.0/devices/factory-infos"+q("device_ids", ","), nil)
}

func TestOutletNames(t *testing.T) {
	c := client(t, Options{})
	path := "/v1.0/devices/" + DemoStripID
	var got []Outlet
	c.ok("GET", path+"/multiple-names", nil, &got)
	want := []Outlet{{"switch_1", "Monitor"}, {"switch_2", "Laptop Charger"}, {"switch_3", ""}, {"switch_4", ""}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v", got)
	}
	c.ok("PUT", path+"/multiple-name", map[string]string{"identifier": "switch_3", "name": "Fan"}, nil)
	c.ok("GET", path+"/multiple-names", nil, &got)
	want[2].Name = "Fan"
	if !slices.Equal(got, want) || !slices.Equal(c.srv.OutletNames(DemoStripID), want) {
		t.Fatalf("got %v", got)
	}
	tests := []struct {
		name, method, path string
		body               any
		code               int
	}{
		{"no identifier", "PUT", path + "/multiple-name", map[string]string{"name": "x"}, codeEmpty},
		{"no name", "PUT", path + "/multiple-name", map[string]string{"identifier": "switch_1"}, codeEmpty},
		{"unknown outlet", "PUT", path + "/multiple-name", map[string]string{"identifier": "switch_9", "name": "x"}, codeIllegal},
		{"malformed", "PUT", path + "/multiple-name", "{", codeIllegal},
		{"not multi-outlet", "PUT", "/v1.0/devices/" + DemoScaleID + "/multiple-name", map[string]string{"identifier": "switch_1", "name": "x"}, codeNotSupport},
		{"not multi-outlet list", "GET", "/v1.0/devices/" + DemoScaleID + "/multiple-names", nil, codeNotSupport},
		{"unknown device", "GET", "/v1.0/devices/bf00000000000000000000/multiple-names", nil, codeDeviceNotExist},
		{"singular path", "GET", path + "/multiple-name", nil, codePath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { c.fail(tt.code, tt.method, tt.path, tt.body) })
	}
}
