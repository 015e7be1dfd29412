package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// TestOperationsOnTheWire runs every operation against the fake cloud, which verifies the
// signature and checks the method, the escaped path, the query and the body, then answers with
// result; the operation must return want.
func TestOperationsOnTheWire(t *testing.T) {
	type call func(ctx context.Context, c *Client) (any, error)
	tests := []struct {
		name   string
		call   call
		method string
		path   string
		query  url.Values
		body   string
		result string
		want   any
	}{
		{
			name: "SyncUser",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SyncUser(ctx, "demo app", SyncUserRequest{CountryCode: "86", Username: "a@b.co", Password: "5f4dcc3b5aa765d61d8327deb882cf99", UsernameType: 2, NickName: "Al"})
			},
			method: "POST", path: "/v1.0/apps/demo%20app/user",
			body:   `{"country_code":"86","username":"a@b.co","password":"5f4dcc3b5aa765d61d8327deb882cf99","username_type":2,"nick_name":"Al"}`,
			result: `{"uid":"ay1"}`, want: &SyncUserResult{UID: "ay1"},
		},
		{
			name: "ListUsers",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListUsers(ctx, "demoapp", ListUsersRequest{PageNo: 2, PageSize: 10, StartTime: 1700000000, EndTime: 1702000000})
			},
			method: "GET", path: "/v2.0/apps/demoapp/users",
			query:  url.Values{"page_no": {"2"}, "page_size": {"10"}, "start_time": {"1700000000"}, "end_time": {"1702000000"}},
			result: `{"list":[{"uid":"ay1","username":"u","email":"a@b.co","country_code":"1"}],"has_more":true,"total":11}`,
			want:   &UserList{List: []ListedUser{{UID: "ay1", Username: "u", Email: "a@b.co", CountryCode: "1"}}, HasMore: true, Total: 11},
		},
		{
			name:   "GetUser",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetUser(ctx, "ay1") },
			method: "GET", path: "/v1.0/users/ay1/infos",
			result: `{"uid":"ay1","username":"86-1381","country_code":"86","mobile":"86-1381","create_time":5,"update_time":6}`,
			want:   &UserInfo{UID: "ay1", Username: "86-1381", CountryCode: "86", Mobile: "86-1381", CreateTime: 5, UpdateTime: 6},
		},
		{
			name:   "GetDevice with an id that needs escaping",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetDevice(ctx, "dev 1/ä?") },
			method: "GET", path: "/v1.0/devices/dev%201%2F%C3%A4%3F",
			result: `{"id":"dev 1/ä?","name":"Lamp","online":true,"status":[{"code":"switch_led","value":true}],"active_time":7}`,
			want:   &Device{ID: "dev 1/ä?", Name: "Lamp", Online: true, Status: []DP{{Code: "switch_led", Value: json.RawMessage(`true`)}}, ActiveTime: 7},
		},
		{
			name: "ListDevices",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListDevices(ctx, ListDevicesRequest{PageNo: 1, PageSize: 20, Schema: "demoapp", DeviceIDs: []string{"a", "b"}, StartTime: 1, EndTime: 2, LastID: "a"})
			},
			method: "GET", path: "/v1.0/devices",
			query:  url.Values{"page_no": {"1"}, "page_size": {"20"}, "schema": {"demoapp"}, "device_ids": {"a,b"}, "start_time": {"1"}, "end_time": {"2"}, "last_id": {"a"}},
			result: `{"devices":[{"id":"b"}],"total":2,"has_more":false,"last_id":"b"}`,
			want:   &DeviceList{Devices: []Device{{ID: "b"}}, Total: 2, LastID: "b"},
		},
		{
			name: "ListUserDevices",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListUserDevices(ctx, "ay1", ListUserDevicesRequest{From: "sharing", PageNo: 1, PageSize: 5})
			},
			method: "GET", path: "/v1.0/users/ay1/devices",
			query:  url.Values{"from": {"sharing"}, "page_no": {"1"}, "page_size": {"5"}},
			result: `[{"id":"d1","uid":"ay1"}]`, want: []Device{{ID: "d1", UID: "ay1"}},
		},
		{
			name: "ListDeviceLogs",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListDeviceLogs(ctx, "d1", DeviceLogsRequest{Types: []int{1, 7}, StartTime: 1000, EndTime: 2000, Codes: []string{"switch_1", "cur power"}, Size: 50, QueryType: 2, LastRowKey: "k", LastEventTime: 1500})
			},
			method: "GET", path: "/v1.0/devices/d1/logs",
			query:  url.Values{"type": {"1,7"}, "start_time": {"1000"}, "end_time": {"2000"}, "codes": {"switch_1,cur power"}, "size": {"50"}, "query_type": {"2"}, "last_row_key": {"k"}, "last_event_time": {"1500"}},
			result: `{"logs":[{"code":"switch_1","value":"true","event_time":1600,"event_from":"1","event_id":7}],"has_next":false,"device_id":"d1","count":1}`,
			want:   &DeviceLogs{Logs: []DeviceLog{{Code: "switch_1", Value: "true", EventTime: 1600, EventFrom: "1", EventID: 7}}, DeviceID: "d1", Count: 1},
		},
		{
			name:   "RenameDevice",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.RenameDevice(ctx, "d1", "Desk lamp") },
			method: "PUT", path: "/v1.0/devices/d1", body: `{"name":"Desk lamp"}`, result: `true`,
		},
		{
			name: "RenameFunction",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.RenameFunction(ctx, "d1", "switch_1", "Heater")
			},
			method: "PUT", path: "/v1.0/devices/d1/functions/switch_1", body: `{"name":"Heater"}`, result: `true`,
		},
		{
			name:   "FactoryReset",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.FactoryReset(ctx, "d1") },
			method: "PUT", path: "/v1.0/devices/d1/reset-factory", result: `true`,
		},
		{
			name:   "DeleteDevice",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteDevice(ctx, "d1") },
			method: "DELETE", path: "/v1.0/devices/d1", result: `true`,
		},
		{
			name:   "ListSubDevices",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListSubDevices(ctx, "gw") },
			method: "GET", path: "/v1.0/devices/gw/sub-devices",
			result: `[{"id":"s1","name":"Leak","online":true,"owner_id":"h1","category":"sj","product_id":"p","active_time":1,"update_time":2}]`,
			want:   []SubDevice{{ID: "s1", Name: "Leak", Online: true, OwnerID: "h1", Category: "sj", ProductID: "p", ActiveTime: 1, UpdateTime: 2}},
		},
		{
			name:   "ListFactoryInfos",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListFactoryInfos(ctx, []string{"a", "b"}) },
			method: "GET", path: "/v1.0/devices/factory-infos", query: url.Values{"device_ids": {"a,b"}},
			result: `[{"id":"a","uuid":"u","sn":"s","mac":"m"}]`, want: []FactoryInfo{{ID: "a", UUID: "u", SN: "s", MAC: "m"}},
		},
		{
			name: "SetOutletName",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.SetOutletName(ctx, "st", OutletName{Identifier: "switch_1", Name: "Kettle"})
			},
			method: "PUT", path: "/v1.0/devices/st/multiple-name", body: `{"identifier":"switch_1","name":"Kettle"}`, result: `true`,
		},
		{
			name:   "ListOutletNames",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListOutletNames(ctx, "st") },
			method: "GET", path: "/v1.0/devices/st/multiple-names",
			result: `[{"identifier":"switch_1","name":"Kettle"}]`, want: []OutletName{{Identifier: "switch_1", Name: "Kettle"}},
		},
		{
			name: "AddDeviceUser",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddDeviceUser(ctx, "sc", DeviceUserInput{NickName: "Bo", Sex: 1, Height: ptr(180), Contact: ptr("x")})
			},
			method: "POST", path: "/v1.0/devices/sc/user", body: `{"nick_name":"Bo","sex":1,"height":180,"contact":"x"}`,
			result: `"5121231"`, want: "5121231",
		},
		{
			name: "EditDeviceUser",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.EditDeviceUser(ctx, "sc", "51", DeviceUserInput{NickName: "Bo", Sex: 2, Birthday: ptr(int64(1544996327422)), Weight: ptr(70000)})
			},
			method: "PUT", path: "/v1.0/devices/sc/users/51", body: `{"nick_name":"Bo","sex":2,"birthday":1544996327422,"weight":70000}`, result: `true`,
		},
		{
			name:   "DeleteDeviceUser",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteDeviceUser(ctx, "sc", "51") },
			method: "DELETE", path: "/v1.0/devices/sc/users/51", result: `true`,
		},
		{
			name:   "GetDeviceUser",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetDeviceUser(ctx, "sc", "51") },
			method: "GET", path: "/v1.0/devices/sc/users/51",
			result: `{"device_id":"sc","user_id":"51","nick_name":"Bo","sex":1,"birthday":1,"height":180,"weight":70000}`,
			want:   &DeviceUser{DeviceID: "sc", UserID: "51", NickName: "Bo", Sex: 1, Birthday: 1, Height: 180, Weight: 70000},
		},
		{
			name:   "ListDeviceUsers",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListDeviceUsers(ctx, "sc") },
			method: "GET", path: "/v1.0/devices/sc/users",
			result: `[{"device_id":"sc","user_id":"51","nick_name":"Bo","sex":1}]`,
			want:   []DeviceUser{{DeviceID: "sc", UserID: "51", NickName: "Bo", Sex: 1}},
		},
		{
			name:   "GetDeviceStatus",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetDeviceStatus(ctx, "d1") },
			method: "GET", path: "/v1.0/devices/d1/status",
			result: `[{"code":"switch_led","value":true},{"code":"bright_value_v2","value":250}]`,
			want:   []DP{{Code: "switch_led", Value: json.RawMessage(`true`)}, {Code: "bright_value_v2", Value: json.RawMessage(`250`)}},
		},
		{
			name:   "GetSpecification",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetSpecification(ctx, "d1") },
			method: "GET", path: "/v1.0/devices/d1/specifications",
			result: `{"category":"dj","functions":[{"code":"switch_led","type":"Boolean","values":"{}"}],"status":[{"code":"bright_value_v2","type":"Integer","values":"{\"min\":10,\"max\":1000}"}]}`,
			want: &Specification{Category: "dj",
				Functions: []DPSpec{{Code: "switch_led", Type: "Boolean", Values: json.RawMessage(`"{}"`)}},
				Status:    []DPSpec{{Code: "bright_value_v2", Type: "Integer", Values: json.RawMessage(`"{\"min\":10,\"max\":1000}"`)}}},
		},
		{
			name:   "ListCategoryFunctions",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.ListCategoryFunctions(ctx, "dj") },
			method: "GET", path: "/v1.0/functions/dj",
			result: `{"category":"dj","functions":[{"code":"switch_led","type":"Boolean","values":"{}","name":"Switch"}]}`,
			want:   &FunctionSet{Category: "dj", Functions: []DPSpec{{Code: "switch_led", Type: "Boolean", Values: json.RawMessage(`"{}"`)}}},
		},
		{
			name: "SendCommands",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.SendCommands(ctx, "d1", []Command{{"switch_led", true}, {"colour_data_v2", map[string]int{"h": 1}}})
			},
			method: "POST", path: "/v1.0/devices/d1/commands",
			body: `{"commands":[{"code":"switch_led","value":true},{"code":"colour_data_v2","value":{"h":1}}]}`, result: `true`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if r.Method != tt.method || r.URL.EscapedPath() != tt.path {
					t.Errorf("got %s %s, want %s %s", r.Method, r.URL.EscapedPath(), tt.method, tt.path)
				}
				q := r.URL.Query()
				if len(q) == 0 {
					q = nil
				}
				if !reflect.DeepEqual(q, tt.query) {
					t.Errorf("query = %v, want %v", q, tt.query)
				}
				if string(body) != tt.body {
					t.Errorf("body = %s, want %s", body, tt.body)
				}
				ok(w, json.RawMessage(tt.result))
			})
			got, err := tt.call(bg(t), f.client(t, nil))
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != nil && !reflect.DeepEqual(withoutRecords(got), tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
			if n := f.business.Load(); n != 1 {
				t.Fatalf("%d business requests, want 1", n)
			}
		})
	}
}

func TestWriteAnsweredFalse(t *testing.T) {
	f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { ok(w, false) })
	err := f.client(t, nil).RenameDevice(bg(t), "d1", "x")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Path != "/v1.0/devices/{device_id}" || ae.Method != "PUT" {
		t.Fatalf("err = %v, want an APIError naming the route", err)
	}
}

// TestIDsRefusedBeforeSending: ids that would address another resource (empty, or a dot
// segment that a proxy may resolve) are refused before anything is sent, token request included.
func TestIDsRefusedBeforeSending(t *testing.T) {
	tests := []struct {
		name string
		call func(ctx context.Context, c *Client) error
		want string
	}{
		{"blank device id", func(ctx context.Context, c *Client) error { _, err := c.GetDevice(ctx, " "); return err },
			"client: GET /v1.0/devices/{device_id}: device_id is empty"},
		{"empty user id", func(ctx context.Context, c *Client) error { return c.DeleteDeviceUser(ctx, "d", "") },
			"client: DELETE /v1.0/devices/{device_id}/users/{user_id}: user_id is empty"},
		{"dot dot user id", func(ctx context.Context, c *Client) error { return c.DeleteDeviceUser(ctx, "d", "..") },
			`client: DELETE /v1.0/devices/{device_id}/users/{user_id}: user_id ".." is a dot segment`},
		{"dot device id", func(ctx context.Context, c *Client) error { return c.DeleteDevice(ctx, ".") },
			`client: DELETE /v1.0/devices/{device_id}: device_id "." is a dot segment`},
		{"dot dot schema", func(ctx context.Context, c *Client) error {
			_, err := c.ListUsers(ctx, "..", ListUsersRequest{PageNo: 1, PageSize: 10})
			return err
		}, `client: GET /v2.0/apps/{schema}/users: schema ".." is a dot segment`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, func(w http.ResponseWriter, r *http.Request, body []byte) { ok(w, true) })
			err := tt.call(bg(t), f.client(t, nil))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if n := f.grants.Load() + f.business.Load(); n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}
