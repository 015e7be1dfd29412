package sandbox

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

func save(t *testing.T, s *Sandbox) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.Save(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSaveLoad(t *testing.T) {
	c := client(t, Options{})
	c.ok("PUT", "/v1.0/devices/"+DemoStripID, map[string]string{"name": "Saved Strip"}, nil)
	c.ok("PUT", "/v1.0/devices/"+DemoStripID+"/multiple-name", map[string]string{"identifier": "switch_4", "name": "Router"}, nil)
	c.ok("PUT", "/v1.0/devices/"+DemoStripID+"/functions/switch_usb1", map[string]string{"name": "USB"}, nil)
	c.ok("DELETE", "/v1.0/devices/"+DemoGatewayID, nil, nil)
	var uid, duid string
	var res struct{ UID string }
	c.ok("POST", "/v1.0/apps/"+DemoSchema+"/user", map[string]any{"country_code": "44", "username": "saved", "password": md5Hex}, &res)
	uid = res.UID
	c.ok("POST", "/v1.0/devices/"+DemoScaleID+"/user", map[string]any{"nick_name": "Saved", "sex": 2}, &duid)
	state := save(t, c.srv.Sandbox)

	// A sandbox started at another time, loaded with the state, answers as the first did.
	d, clk := start(t, Options{Now: func() time.Time { return testEpoch.Add(48 * time.Hour) }})
	if clk != nil {
		t.Fatal("unexpected clock")
	}
	if err := d.Load(bytes.NewReader(state)); err != nil {
		t.Fatal(err)
	}
	if again := save(t, d.Sandbox); !bytes.Equal(again, state) {
		t.Fatal("save after load differs from the loaded state")
	}
	c2 := newTC(t, d, testutil.NewClock(testEpoch.Add(48*time.Hour)))
	c2.grant()
	var dev wireDevice
	c2.ok("GET", "/v1.0/devices/"+DemoStripID, nil, &dev)
	if dev.Name != "Saved Strip" {
		t.Errorf("name %q", dev.Name)
	}
	if o := d.OutletNames(DemoStripID); o[3].Name != "Router" {
		t.Errorf("outlets %v", o)
	}
	if dd, _ := d.Device(DemoStripID); dd.FunctionNames["switch_usb1"] != "USB" {
		t.Errorf("function names %v", dd.FunctionNames)
	}
	c2.fail(codeDeviceNotExist, "GET", "/v1.0/devices/"+DemoSubDeviceID, nil)
	if _, ok := d.User(uid); !ok {
		t.Error("synced user lost")
	}
	// The id sequences carry on where they were.
	var next1, next2 string
	c.ok("POST", "/v1.0/devices/"+DemoScaleID+"/user", map[string]any{"nick_name": "Next", "sex": 1}, &next1)
	c2.ok("POST", "/v1.0/devices/"+DemoScaleID+"/user", map[string]any{"nick_name": "Next", "sex": 1}, &next2)
	if next1 != next2 || next1 == duid {
		t.Errorf("next device-user ids %s and %s (last %s)", next1, next2, duid)
	}
	// Tokens are not state: the first sandbox's token means nothing to the second.
	c2.token = c.token
	c2.fail(codeToken, "GET", "/v1.0/devices/"+DemoStripID, nil)
	if strings.Contains(string(state), c.token) {
		t.Error("the state holds a token")
	}
}

func TestLoadKeepsTokens(t *testing.T) {
	c := client(t, Options{})
	if err := c.srv.Load(bytes.NewReader(save(t, New(Options{Now: c.clk.Now})))); err != nil {
		t.Fatal(err)
	}
	c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, nil)
}

func TestSaveFile(t *testing.T) {
	s := New(Options{Now: newClock().Now})
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for range 2 { // the second save replaces the first
		if err := s.SaveFile(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files left: %v", entries)
	}
	other := New(Options{Now: func() time.Time { return testEpoch.Add(time.Hour) }})
	if err := other.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(save(t, other), save(t, s)) {
		t.Fatal("LoadFile did not restore the state")
	}
	if err := other.LoadFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Fatal("loading a missing file succeeded")
	}
	if err := s.SaveFile(filepath.Join(dir, "no", "such", "dir.json")); err == nil {
		t.Fatal("saving into a missing directory succeeded")
	}
}

func TestLoadRejects(t *testing.T) {
	s := New(Options{Now: newClock().Now})
	good := save(t, s)
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name, state, want string
	}{
		{"not JSON", "{", "decode state"},
		{"empty", "", "decode state"},
		{"unknown field", edit(func(m map[string]any) { m["extra"] = 1 }), "unknown field"},
		{"other version", edit(func(m map[string]any) { m["version"] = 99 }), "version"},
		{"no devices", edit(func(m map[string]any) { delete(m, "devices") }), "lacks"},
		{"device keyed wrongly", edit(func(m map[string]any) {
			ds := m["devices"].(map[string]any)
			ds["other"] = ds[DemoStripID]
		}), "keyed"},
		{"device of an unknown product", edit(func(m map[string]any) {
			m["devices"].(map[string]any)[DemoStripID].(map[string]any)["product_id"] = "nope"
		}), "unknown product"},
		{"user keyed wrongly", edit(func(m map[string]any) {
			us := m["users"].(map[string]any)
			us["other"] = us[DemoUserUID]
		}), "uid"},
		{"logs out of order", edit(func(m map[string]any) {
			logs := m["logs"].(map[string]any)[DemoStripID].([]any)
			logs[0], logs[1] = logs[1], logs[0]
		}), "order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Load(strings.NewReader(tt.state))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want one about %q", err, tt.want)
			}
			if !bytes.Equal(save(t, s), good) {
				t.Fatal("a failed load changed the state")
			}
		})
	}
}

// TestLoadStateWithoutSpecs: state saved before products had specifications loads, and its
// devices take commands against the demo products' specifications.
func TestLoadStateWithoutSpecs(t *testing.T) {
	c := client(t, Options{})
	var st map[string]any
	if err := json.Unmarshal(save(t, c.srv.Sandbox), &st); err != nil {
		t.Fatal(err)
	}
	for _, p := range st["products"].(map[string]any) {
		delete(p.(map[string]any), "spec")
	}
	old, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.srv.Load(bytes.NewReader(old)); err != nil {
		t.Fatal(err)
	}
	var ok bool
	c.ok("POST", "/v1.0/devices/"+DemoLampID+"/commands", map[string]any{"commands": []map[string]any{{"code": "switch_led", "value": false}}}, &ok)
	if !ok {
		t.Error("command refused")
	}
}
