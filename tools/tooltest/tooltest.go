// Package tooltest is what tests of the tuya-mcp tools share, as net/http/httptest is for
// handlers: NewStack starts the whole path (sandbox, Tuya client, MCP server, Streamable HTTP
// endpoint) on loopback, and Run holds the conformance cases, independent of the transport:
// tests run them in process, over Streamable HTTP and over stdio against the built binary.
package tooltest

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// Run drives every tool of tools.Catalogue and the 5 aliases, with success and error cases, through c.
//
// c must be an initialized client of a server made by tools.NewServer for a client of srv (the
// demo credentials), with Options{DefaultSchema: sandbox.DemoSchema} and otherwise defaults:
// every tool, not read-only, local keys hidden. Run changes the sandbox (renames, deletes, a
// factory reset), so give it a fresh one. srv may be nil when the test cannot reach the
// sandbox's Go API (one embedded in another process): the checks of its state are skipped.
func Run(t *testing.T, c mcpclient.MCPClient, srv *sandbox.Server) {
	t.Helper()
	r := &runner{c: c, srv: srv, schemas: OutputSchemas(t, c), succeeded: map[string]bool{}}
	cat := tools.Catalogue()
	if len(r.schemas) != len(cat) {
		t.Fatalf("tools/list: %d tools, the catalogue has %d", len(r.schemas), len(cat))
	}
	t.Run("users", r.users)
	t.Run("devices", r.devices)
	t.Run("logs", r.logs)
	t.Run("outlets_and_functions", r.outletsAndFunctions)
	t.Run("device_users", r.deviceUsers)
	t.Run("device_control", r.deviceControl)
	t.Run("validation_sends_nothing", r.validationSendsNothing)
	t.Run("destructive", r.destructive)
	// A new tool joins the cases above: every tool of the catalogue succeeds at least once.
	for _, info := range cat {
		if !r.succeeded[info.Name] {
			t.Errorf("%s: no conformance case calls it successfully", info.Name)
		}
	}
}

type runner struct {
	c       mcpclient.MCPClient
	srv     *sandbox.Server
	schemas map[string]*jsonschema.Schema
	// succeeded holds the tools (or aliases) ok has called.
	succeeded map[string]bool
}

// OutputSchemas lists the tools of c and compiles each one's output schema, by tool name.
func OutputSchemas(t testing.TB, c mcpclient.MCPClient) map[string]*jsonschema.Schema {
	t.Helper()
	res, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	out := make(map[string]*jsonschema.Schema, len(res.Tools))
	comp := jsonschema.NewCompiler()
	for _, tl := range res.Tools {
		raw := tl.RawOutputSchema
		if raw == nil {
			b, err := json.Marshal(tl.OutputSchema)
			if err != nil {
				t.Fatalf("%s: output schema: %v", tl.Name, err)
			}
			raw = b
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: output schema: %v", tl.Name, err)
		}
		url := "mem:///" + tl.Name + ".output.json"
		if err := comp.AddResource(url, doc); err != nil {
			t.Fatalf("%s: output schema: %v", tl.Name, err)
		}
		sch, err := comp.Compile(url)
		if err != nil {
			t.Fatalf("%s: output schema does not compile: %v", tl.Name, err)
		}
		out[tl.Name] = sch
	}
	return out
}

// canonical maps the aliases to the tool names.
func canonical(name string) string {
	switch name {
	case "deviceUser.add":
		return "device_user_add"
	case "deviceUser.edit":
		return "device_user_edit"
	case "deviceUser.delete":
		return "device_user_delete"
	case "deviceUser.info":
		return "device_user_get"
	case "deviceUser.list":
		return "device_user_list"
	}
	return name
}

// ok calls a tool that must succeed and returns its checked structured result.
func (r *runner) ok(t *testing.T, name string, args map[string]any) map[string]any {
	t.Helper()
	res := Call(t, r.c, name, args)
	if res.IsError {
		t.Fatalf("%s(%v) failed: %s", name, args, tools.ResultText(res))
	}
	r.succeeded[canonical(name)] = true
	return Structured(t, res, r.schemas[canonical(name)])
}

// Structured returns the structured content of a successful tool result, after checking it
// with Conforms.
func Structured(t testing.TB, res *mcp.CallToolResult, schema *jsonschema.Schema) map[string]any {
	t.Helper()
	if err := Conforms(schema, res); err != nil {
		t.Fatal(err)
	}
	var structured map[string]any
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &structured); err != nil {
		t.Fatal(err)
	}
	return structured
}

// Conforms checks a successful tool result: its structured content validates against schema
// (the tool's output schema), and its first text content is the same JSON (a second one may
// note ignored arguments). It does not stop the test, so goroutines may call it.
func Conforms(schema *jsonschema.Schema, res *mcp.CallToolResult) error {
	if res.StructuredContent == nil {
		return fmt.Errorf("no structured content: %s", tools.ResultText(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("the result does not match the output schema: %v\n%s", err, b)
	}
	if len(res.Content) == 0 {
		return fmt.Errorf("no text content beside %s", b)
	}
	first, _ := mcp.AsTextContent(res.Content[0])
	var fromText, structured any
	if err := json.Unmarshal([]byte(first.Text), &fromText); err != nil {
		return fmt.Errorf("the text content is not the JSON result: %v", err)
	}
	if err := json.Unmarshal(b, &structured); err != nil {
		return err
	}
	if !jsonEqual(fromText, structured) {
		return fmt.Errorf("the text content %s differs from the structured content %s", first.Text, b)
	}
	return nil
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// fail calls a tool that must return an isError result containing each of want.
func (r *runner) fail(t *testing.T, name string, args map[string]any, want ...string) string {
	t.Helper()
	res := Call(t, r.c, name, args)
	if !res.IsError {
		t.Fatalf("%s(%v) succeeded, want an error containing %q", name, args, want)
	}
	got := tools.ResultText(res)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s(%v) = %q, want it to contain %q", name, args, got, w)
		}
	}
	return got
}

// Items returns the objects of the array under key of a tool's structured result, failing the
// test when there is no such array of objects.
func Items(t testing.TB, res map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := res[key].([]any)
	if !ok {
		t.Fatalf("result has no array %q: %v", key, res)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s[%d] is %T", key, i, v)
		}
		out[i] = m
	}
	return out
}

func noLocalKeys(t *testing.T, devices []map[string]any) {
	t.Helper()
	for _, d := range devices {
		if _, ok := d["local_key"]; ok {
			t.Errorf("device %v carries its local_key", d["id"])
		}
	}
}

func ids(items []map[string]any, key string) []string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(it[key]))
	}
	return out
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (r *runner) users(t *testing.T) {
	page := r.ok(t, "user_list", nil)
	users := Items(t, page, "users")
	if len(users) == 0 || len(users) > 20 {
		t.Errorf("user_list default page has %d users, want 1 to 20", len(users))
	}
	small := r.ok(t, "user_list", map[string]any{"page_size": "2", "page_no": float64(1)})
	if n := len(Items(t, small, "users")); n != 2 || small["has_more"] != true {
		t.Errorf("user_list page_size 2: %d users, has_more %v", n, small["has_more"])
	}
	r.ok(t, "user_list", map[string]any{"start_time": time.Now().Add(-10 * 24 * time.Hour).Format(time.RFC3339)})
	r.fail(t, "user_list", map[string]any{"start_time": "2024-01-01", "end_time": "2024-03-01"},
		"invalid arguments for user_list: start_time, end_time: the window must be at most 30 days")
	r.fail(t, "user_list", map[string]any{"schema": "nosuchapp"}, "Tuya error 2017", "on GET /v2.0/apps/{schema}/users")

	const pw = "Secret-123"
	synced := r.ok(t, "user_sync", map[string]any{
		"country_code": "+86", "username": "13800138000", "username_type": "mobile", "password": pw,
		"nick_name": "Conformance", "time_zone_id": "Asia/Shanghai",
	})
	uid, _ := synced["uid"].(string)
	if uid == "" {
		t.Fatalf("user_sync returned no uid: %v", synced)
	}
	again := r.ok(t, "user_sync", map[string]any{
		"country_code": "86", "username": "13800138000", "username_type": float64(1),
		"password": md5Hex("Other-456"), "password_is_md5": true,
	})
	if again["uid"] != uid {
		t.Errorf("user_sync of the same username gave uid %v, want %s (an update)", again["uid"], uid)
	}
	if r.srv != nil {
		var found bool
		for _, u := range r.srv.Users(sandbox.DemoSchema) {
			if u.UID == uid {
				found = true
				if u.Password != md5Hex("Other-456") {
					t.Errorf("the sandbox holds password %q, want the MD5 hex of the last password", u.Password)
				}
			}
		}
		if !found {
			t.Errorf("user %s is not in the sandbox", uid)
		}
	}
	email := r.ok(t, "user_sync", map[string]any{"country_code": "1", "username": "ann@example.com", "username_type": "email", "password": pw})
	if r.srv != nil {
		for _, u := range r.srv.Users(sandbox.DemoSchema) {
			if u.UID == email["uid"] && (u.Password != md5Hex(pw) || u.UsernameType != 2) {
				t.Errorf("synced email user = %+v, want the MD5 of the password and type 2", u)
			}
		}
	}
	r.fail(t, "user_sync", map[string]any{"country_code": "86", "username": "ann", "username_type": "mobile", "password": pw},
		"invalid arguments for user_sync: username: must be a mobile number")
	got := r.fail(t, "user_sync", map[string]any{"country_code": "999", "username": "zed", "password": pw},
		"Tuya error 2403", "on POST /v1.0/apps/{schema}/user")
	if strings.Contains(got, pw) || strings.Contains(got, md5Hex(pw)) {
		t.Errorf("the password is in the error: %s", got)
	}
	r.fail(t, "user_sync", map[string]any{"country_code": "86", "username": "zed"}, "password: required")

	info := r.ok(t, "user_get", map[string]any{"uid": uid})
	if info["uid"] != uid || info["nick_name"] != "Conformance" {
		t.Errorf("user_get = %v", info)
	}
	r.fail(t, "user_get", map[string]any{"uid": "ay0000000000000000000"},
		"Tuya error 2006 (user not exist) on GET /v1.0/users/{uid}/infos: check uid; user_list finds users. (tid ")
}

func (r *runner) devices(t *testing.T) {
	d := r.ok(t, "device_get", map[string]any{"device_id": sandbox.DemoStripID})
	if d["id"] != sandbox.DemoStripID || len(Items(t, d, "status")) == 0 {
		t.Errorf("device_get = %v", d)
	}
	noLocalKeys(t, []map[string]any{d})
	r.fail(t, "device_get", map[string]any{"device_id": "nosuchdevice0000"},
		"Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}: check device_id; device_list finds devices. (tid ")
	r.fail(t, "device_get", map[string]any{"device_id": "a/b"}, "invalid arguments for device_get: device_id: must be 1 to 64 letters")

	all := r.ok(t, "device_list", nil)
	devs := Items(t, all, "devices")
	if len(devs) == 0 || len(devs) > 20 {
		t.Errorf("device_list default page: %d devices", len(devs))
	}
	noLocalKeys(t, devs)
	byProduct := Items(t, r.ok(t, "device_list", map[string]any{"product_id": sandbox.DemoProductID}), "devices")
	if len(byProduct) < 2 {
		t.Errorf("device_list by product: %d devices, want >= 2", len(byProduct))
	}
	for _, d := range byProduct {
		if d["product_id"] != sandbox.DemoProductID {
			t.Errorf("device_list by product returned %v of product %v", d["id"], d["product_id"])
		}
	}
	byIDs := Items(t, r.ok(t, "device_list", map[string]any{"device_ids": sandbox.DemoStripID + "," + sandbox.DemoScaleID}), "devices")
	if got := ids(byIDs, "id"); len(got) != 2 || !slices.Contains(got, sandbox.DemoStripID) || !slices.Contains(got, sandbox.DemoScaleID) {
		t.Errorf("device_list by ids = %v", got)
	}
	pageOne := r.ok(t, "device_list", map[string]any{"page_size": "3"})
	if n := len(Items(t, pageOne, "devices")); n != 3 {
		t.Errorf("device_list page_size 3: %d devices", n)
	}
	if last, _ := pageOne["last_id"].(string); last != "" {
		next := Items(t, r.ok(t, "device_list", map[string]any{"page_size": float64(3), "last_id": last}), "devices")
		for _, id := range ids(next, "id") {
			if slices.Contains(ids(Items(t, pageOne, "devices"), "id"), id) {
				t.Errorf("the page after last_id repeats %s", id)
			}
		}
	}
	r.ok(t, "device_list", map[string]any{"start_time": time.Now().Add(-20 * 24 * time.Hour).Unix()})
	r.fail(t, "device_list", map[string]any{"start_time": "2024-01-01T00:00:00Z", "end_time": "2024-03-01T00:00:00Z"},
		"the window must be at most 30 days")
	r.fail(t, "device_list", map[string]any{"schema": "nosuchapp"}, "Tuya error 2017")

	mine := Items(t, r.ok(t, "user_device_list", map[string]any{"uid": sandbox.DemoUserUID}), "devices")
	if len(mine) == 0 {
		t.Error("user_device_list: no devices")
	}
	noLocalKeys(t, mine)
	shared := Items(t, r.ok(t, "user_device_list", map[string]any{"uid": sandbox.DemoUserUID, "from": "sharing"}), "devices")
	if len(shared) == 0 {
		t.Error("user_device_list from sharing: no devices")
	}
	r.fail(t, "user_device_list", map[string]any{"uid": sandbox.DemoUserUID, "from": "friends"}, "from: must be one of home, sharing")
	r.fail(t, "user_device_list", map[string]any{"uid": "ay0000000000000000000"}, "Tuya error 2006", "check uid; user_list finds users")

	subs := Items(t, r.ok(t, "device_sub_device_list", map[string]any{"device_id": sandbox.DemoGatewayID}), "sub_devices")
	if len(subs) < 3 || !slices.Contains(ids(subs, "id"), sandbox.DemoSubDeviceID) {
		t.Errorf("device_sub_device_list = %v", ids(subs, "id"))
	}
	if n := len(Items(t, r.ok(t, "device_sub_device_list", map[string]any{"device_id": sandbox.DemoStripID}), "sub_devices")); n != 0 {
		t.Errorf("a strip has %d sub-devices", n)
	}
	r.fail(t, "device_sub_device_list", map[string]any{"device_id": "nosuchdevice0000"}, "Tuya error 2010")

	infos := Items(t, r.ok(t, "device_factory_info_list", map[string]any{"device_ids": []any{sandbox.DemoStripID, sandbox.DemoScaleID}}), "factory_infos")
	if len(infos) != 2 {
		t.Errorf("device_factory_info_list: %d infos", len(infos))
	}
	many := make([]any, 21)
	for i := range many {
		many[i] = fmt.Sprintf("dev%02d", i)
	}
	r.fail(t, "device_factory_info_list", map[string]any{"device_ids": many}, "device_ids: must have 1 to 20 items (got 21)")
	r.fail(t, "device_factory_info_list", nil, "device_ids: required")
}

func (r *runner) logs(t *testing.T) {
	page := r.ok(t, "device_log_list", map[string]any{"device_id": sandbox.DemoStripID})
	logs := Items(t, page, "logs")
	if len(logs) == 0 || len(logs) > 20 {
		t.Fatalf("device_log_list default: %d logs", len(logs))
	}
	words := []string{"online", "offline", "activated", "reset", "command", "firmware_update", "dp_report", "semaphore", "restart", "timing"}
	for _, l := range logs {
		n, _ := l["event_id"].(float64)
		if n < 1 || int(n) > len(words) || l["event_type"] != words[int(n)-1] {
			t.Errorf("log event_id %v has event_type %v", l["event_id"], l["event_type"])
		}
	}
	some := Items(t, r.ok(t, "device_log_list", map[string]any{"device_id": sandbox.DemoStripID, "type": []any{"online", float64(2)}, "size": "50"}), "logs")
	for _, l := range some {
		if l["event_type"] != "online" && l["event_type"] != "offline" {
			t.Errorf("type online,offline returned a %v log", l["event_type"])
		}
	}
	small := Items(t, r.ok(t, "device_log_list", map[string]any{"device_id": sandbox.DemoStripID, "size": float64(3), "type": "dp_report"}), "logs")
	if len(small) > 3 {
		t.Errorf("size 3 returned %d logs", len(small))
	}
	now := time.Now()
	r.ok(t, "device_log_list", map[string]any{"device_id": sandbox.DemoStripID,
		"start_time": now.Add(-48 * time.Hour).UnixMilli(), "end_time": now.Format(time.RFC3339), "query_type": "paid"})
	r.fail(t, "device_log_list", map[string]any{"device_id": sandbox.DemoStripID, "start_time": "2024-05-02", "end_time": "2024-05-01"},
		"end_time: must not be before start_time")
	r.fail(t, "device_log_list", map[string]any{"device_id": sandbox.DemoStripID, "type": "boot"}, "type: must be one of online, offline")
	r.fail(t, "device_log_list", map[string]any{"device_id": "nosuchdevice0000"}, "Tuya error 2010")
}

func (r *runner) outletsAndFunctions(t *testing.T) {
	outlets := Items(t, r.ok(t, "device_outlet_name_list", map[string]any{"device_id": sandbox.DemoStripID}), "outlets")
	if len(outlets) < 3 || !slices.Contains(ids(outlets, "identifier"), "switch_2") {
		t.Fatalf("device_outlet_name_list = %v", outlets)
	}
	r.ok(t, "device_outlet_name_set", map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_2", "name": "Kettle"})
	for _, o := range Items(t, r.ok(t, "device_outlet_name_list", map[string]any{"device_id": sandbox.DemoStripID}), "outlets") {
		if o["identifier"] == "switch_2" && o["name"] != "Kettle" {
			t.Errorf("switch_2 is named %v after the rename", o["name"])
		}
	}
	r.fail(t, "device_outlet_name_set", map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_99", "name": "X"},
		"Tuya error 1109", "device_outlet_name_list lists them")
	r.fail(t, "device_outlet_name_list", map[string]any{"device_id": sandbox.DemoScaleID},
		"Tuya error 2009", "only multi-outlet devices")
	r.fail(t, "device_outlet_name_set", map[string]any{"device_id": sandbox.DemoStripID, "identifier": "switch_1", "name": strings.Repeat("n", 51)},
		"name: must be 1 to 50 characters (got 51)")

	res := r.ok(t, "device_function_rename", map[string]any{"device_id": sandbox.DemoStripID, "function_code": "switch_1", "name": "Lamp"})
	if res["ok"] != true {
		t.Errorf("device_function_rename = %v", res)
	}
	if r.srv != nil {
		if d, _ := r.srv.Device(sandbox.DemoStripID); d.FunctionNames["switch_1"] != "Lamp" {
			t.Errorf("the sandbox has function names %v", d.FunctionNames)
		}
	}
	r.fail(t, "device_function_rename", map[string]any{"device_id": sandbox.DemoStripID, "function_code": "nope_9", "name": "X"},
		"Tuya error 1109", "device_get lists them in status")

	r.ok(t, "device_rename", map[string]any{"device_id": sandbox.DemoStripID, "name": "Desk strip"})
	if d := r.ok(t, "device_get", map[string]any{"device_id": sandbox.DemoStripID}); d["name"] != "Desk strip" {
		t.Errorf("device_get after the rename: name %v", d["name"])
	}
	r.fail(t, "device_rename", map[string]any{"device_id": sandbox.DemoStripID}, "name: required")
	r.fail(t, "device_rename", map[string]any{"device_id": "nosuchdevice0000", "name": "X"}, "Tuya error 2010")
}

func (r *runner) deviceUsers(t *testing.T) {
	scale := map[string]any{"device_id": sandbox.DemoScaleID}
	users := Items(t, r.ok(t, "device_user_list", scale), "device_users")
	viaAlias := Items(t, r.ok(t, "deviceUser.list", scale), "device_users")
	if len(users) < 2 || len(viaAlias) != len(users) {
		t.Errorf("device_user_list: %d users, by alias %d", len(users), len(viaAlias))
	}
	r.fail(t, "deviceUser.list", map[string]any{"device_id": "nosuchdevice0000"}, "Tuya error 2010", "device_list finds devices")
	r.fail(t, "device_user_list", nil, "invalid arguments for device_user_list: device_id: required")
	one := r.ok(t, "deviceUser.info", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID})
	if one["device_id"] != sandbox.DemoScaleID {
		t.Errorf("deviceUser.info = %v", one)
	}
	r.ok(t, "device_user_get", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": sandbox.DemoScaleUserID})
	r.fail(t, "deviceUser.info", map[string]any{"device_id": sandbox.DemoScaleID}, "invalid arguments for device_user_get: user_id: required")
	r.fail(t, "device_user_get", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "99999999"},
		"Tuya error 2006", "check user_id; device_user_list lists the device's users")

	added := r.ok(t, "deviceUser.add", map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "Conf", "sex": "female",
		"birthday": "1990-04-01", "height": "170", "weight": float64(60000), "contact": "conf@example.com"})
	uid, _ := added["user_id"].(string)
	if uid == "" {
		t.Fatalf("deviceUser.add = %v", added)
	}
	if r.srv != nil {
		var found bool
		for _, u := range r.srv.DeviceUsers(sandbox.DemoScaleID) {
			if u.UserID == uid {
				found = true
				want := time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
				if u.Sex != 2 || u.Birthday != want || u.Height != 170 || u.Weight != 60000 || u.Contact != "conf@example.com" {
					t.Errorf("the sandbox holds %+v", u)
				}
			}
		}
		if !found {
			t.Errorf("device user %s is not in the sandbox", uid)
		}
	}
	second := r.ok(t, "device_user_add", map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "Two", "sex": float64(1)})
	if second["user_id"] == uid {
		t.Error("two adds returned the same user_id")
	}
	r.fail(t, "device_user_add", map[string]any{"device_id": sandbox.DemoScaleID, "nick_name": "X", "sex": "other"},
		"sex: must be one of male, female (or 1 to 2)")
	r.fail(t, "deviceUser.add", map[string]any{"device_id": "nosuchdevice0000", "nick_name": "X", "sex": "male"}, "Tuya error 2010")

	ref := map[string]any{"device_id": sandbox.DemoScaleID, "user_id": uid}
	r.ok(t, "deviceUser.edit", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": uid, "nick_name": "Conf2", "sex": "male", "height": float64(171)})
	got := r.ok(t, "device_user_get", ref)
	if got["nick_name"] != "Conf2" || got["sex"] != "male" || got["height"] != float64(171) {
		t.Errorf("device_user_get after the edit = %v", got)
	}
	r.ok(t, "device_user_edit", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": uid, "nick_name": "Conf3", "sex": "2"})
	// A misspelt argument is refused, not ignored: ignoring it would edit something else.
	r.fail(t, "device_user_edit", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": uid, "nickName": "X", "sex": "male"},
		`unknown argument "nickName" (did you mean nick_name?)`)
	r.fail(t, "deviceUser.edit", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": "99999999", "nick_name": "X", "sex": "male"}, "Tuya error 2006")

	r.ok(t, "deviceUser.delete", ref)
	r.fail(t, "device_user_get", ref, "Tuya error 2006")
	r.ok(t, "device_user_delete", map[string]any{"device_id": sandbox.DemoScaleID, "user_id": second["user_id"]})
	r.fail(t, "device_user_delete", ref, "Tuya error 2006")
	r.fail(t, "deviceUser.delete", ref, "Tuya error 2006", "device_user_list lists the device's users")
}

// deviceControl reads a specification, sends commands it allows and refuses those it does not,
// and reads the new status.
func (r *runner) deviceControl(t *testing.T) {
	lamp := map[string]any{"device_id": sandbox.DemoLampID}
	spec := r.ok(t, "device_specification_get", lamp)
	var bright map[string]any
	for _, f := range Items(t, spec, "functions") {
		if f["code"] == "bright_value_v2" {
			bright = f
		}
	}
	if spec["category"] != "dj" || bright == nil || bright["type"] != "Integer" || bright["min"] != float64(10) || bright["max"] != float64(1000) {
		t.Fatalf("lamp specification %v", spec)
	}
	sensor := r.ok(t, "device_specification_get", map[string]any{"device_id": sandbox.DemoClimateSensorID})
	if fs := Items(t, sensor, "functions"); len(fs) != 0 {
		t.Errorf("sensor functions %v, want none", fs)
	}
	for _, st := range Items(t, sensor, "status") {
		if st["report_only"] != true {
			t.Errorf("sensor status %v is not report_only", st)
		}
	}
	cat := r.ok(t, "category_function_list", map[string]any{"category": "dj"})
	if len(Items(t, cat, "functions")) < 4 {
		t.Errorf("dj functions %v", cat)
	}
	r.fail(t, "category_function_list", map[string]any{"category": "nosuchcategory"}, "Tuya error 2015")

	sent := r.ok(t, "device_command_send", map[string]any{"device_id": sandbox.DemoLampID,
		"commands": []any{map[string]any{"code": "switch_led", "value": "false"}, map[string]any{"code": "bright_value_v2", "value": "250"}}})
	if got := Items(t, sent, "sent"); got[0]["value"] != false || got[1]["value"] != float64(250) {
		t.Errorf("sent %v, want the values converted", got)
	}
	status := Items(t, r.ok(t, "device_status_get", lamp), "status")
	values := map[string]any{}
	for _, dp := range status {
		values[fmt.Sprint(dp["code"])] = dp["value"]
	}
	if values["switch_led"] != false || values["bright_value_v2"] != float64(250) {
		t.Errorf("status after the commands: %v", values)
	}
	r.fail(t, "device_command_send", map[string]any{"device_id": sandbox.DemoLampID,
		"commands": []any{map[string]any{"code": "bright_value_v2", "value": 1500}, map[string]any{"code": "work_mode", "value": "disco"}}},
		"bright_value_v2: 1500 is outside 10..1000 (raw units, scale 0)", `work_mode: "disco" is not one of white, colour, scene, music`,
		"nothing was sent")
	r.fail(t, "device_command_send", map[string]any{"device_id": sandbox.DemoPlugID,
		"commands": []any{map[string]any{"code": "cur_power", "value": 5}}}, "cur_power: report-only")
	r.fail(t, "device_command_send", map[string]any{"device_id": sandbox.DemoOfflineDeviceID,
		"commands": []any{map[string]any{"code": "motion_switch", "value": true}}}, "Tuya error 2001", "offline")
	r.fail(t, "device_status_get", map[string]any{"device_id": "nosuchdevice0000"}, "Tuya error 2010", "device_list finds devices")
}

// validationSendsNothing proves that rejected arguments never reach the cloud.
func (r *runner) validationSendsNothing(t *testing.T) {
	var before int64
	if r.srv != nil {
		before = r.srv.Stats().Requests
	}
	r.fail(t, "device_list", map[string]any{"page_size": float64(500)},
		"invalid arguments for device_list: page_size: must be between 1 and 100 (got 500)")
	r.fail(t, "device_list", map[string]any{"page_size": "x", "pageNo": true}, `unknown argument "pageNo" (did you mean page_no?)`,
		"page_size: must be an integer")
	r.fail(t, "deviceUser.add", map[string]any{"device_id": sandbox.DemoScaleID}, "nick_name: required; sex: required")
	r.fail(t, "user_sync", map[string]any{"country_code": "86", "username": "a", "password": "p", "password_is_md5": true},
		"password: must be 32 hex digits")
	if r.srv != nil {
		if after := r.srv.Stats().Requests; after != before {
			t.Errorf("%d requests reached the sandbox for invalid arguments", after-before)
		}
	}
}

func (r *runner) destructive(t *testing.T) {
	r.ok(t, "device_factory_reset", map[string]any{"device_id": sandbox.DemoStripID})
	if r.srv != nil {
		if d, _ := r.srv.Device(sandbox.DemoStripID); d.Name == "Desk strip" || len(d.OutletNames) > 0 {
			t.Errorf("after a factory reset the strip is %q with outlet names %v", d.Name, d.OutletNames)
		}
	}
	r.fail(t, "device_factory_reset", map[string]any{"device_id": "nosuchdevice0000"}, "Tuya error 2010")
	r.ok(t, "device_delete", map[string]any{"device_id": sandbox.DemoOfflineDeviceID})
	r.fail(t, "device_get", map[string]any{"device_id": sandbox.DemoOfflineDeviceID}, "Tuya error 2010")
	r.fail(t, "device_delete", map[string]any{"device_id": sandbox.DemoOfflineDeviceID}, "Tuya error 2010")
}
