package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseQuirks(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: "", want: ""},
		{in: "all", want: "numbers,bools,nulls,noresult,extra"},
		{in: " Bools , numbers", want: "numbers,bools"},
		{in: "nulls,noresult,extra", want: "nulls,noresult,extra"},
		{in: "numbers,sometimes", err: true},
	}
	for _, tt := range tests {
		q, err := ParseQuirks(tt.in)
		if (err != nil) != tt.err || q.String() != tt.want {
			t.Errorf("ParseQuirks(%q) = %q, %v; want %q, error %v", tt.in, q, err, tt.want, tt.err)
		}
		if again, err := ParseQuirks(q.String()); err != nil || again != q {
			t.Errorf("ParseQuirks(%q) does not read back %q: %v", q.String(), tt.in, err)
		}
	}
}

// TestQuirks checks that each quirk changes the answers as it says, and that writes still run.
func TestQuirks(t *testing.T) {
	type check func(t *testing.T, device map[string]any, write envelope, hasResult bool)
	tests := []struct {
		quirks Quirks
		check  check
	}{
		{Quirks{}, func(t *testing.T, d map[string]any, w envelope, has bool) {
			if _, ok := d["active_time"].(float64); !ok || d["online"] != true || string(w.Result) != "true" {
				t.Errorf("documented types changed: %v, write %s", d, w.Result)
			}
		}},
		{Quirks{Numbers: true}, func(t *testing.T, d map[string]any, _ envelope, _ bool) {
			if _, ok := d["active_time"].(string); !ok {
				t.Errorf("active_time %v (%T), want a string", d["active_time"], d["active_time"])
			}
		}},
		{Quirks{Bools: true}, func(t *testing.T, d map[string]any, w envelope, _ bool) {
			if d["online"] != float64(1) || d["sub"] != float64(0) || string(w.Result) != "1" {
				t.Errorf("online %v sub %v write %s, want 1, 0 and 1", d["online"], d["sub"], w.Result)
			}
		}},
		{Quirks{Nulls: true}, func(t *testing.T, d map[string]any, w envelope, has bool) {
			if !has || string(w.Result) != "null" {
				t.Errorf("write result %s (present %v), want null", w.Result, has)
			}
		}},
		{Quirks{NoResult: true}, func(t *testing.T, _ map[string]any, w envelope, has bool) {
			if has || !w.Success {
				t.Errorf("write %+v has a result", w)
			}
		}},
		{Quirks{Extra: true}, func(t *testing.T, d map[string]any, _ envelope, _ bool) {
			ext, _ := d["extend"].(map[string]any)
			if d["sandbox_extra"] == nil || d["lat"] == nil || d["lon"] == nil || ext["localKey"] != d["local_key"] {
				t.Errorf("device without the undocumented fields: %v", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.quirks.String(), func(t *testing.T) {
			c := client(t, Options{})
			c.srv.SetFaults(Faults{Quirks: tt.quirks})
			var device map[string]any
			env := c.raw("GET", "/v1.0/devices/"+DemoStripID, nil)
			if err := json.Unmarshal(env.Result, &device); err != nil || !env.Success {
				t.Fatalf("device %s: %v", env.Result, err)
			}
			resp, err := c.send("PUT", "/v1.0/devices/"+DemoStripID, []byte(`{"name":"Strip"}`), signed{token: c.token})
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]json.RawMessage
			if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var write envelope
			write.Success = string(raw["success"]) == "true"
			result, has := raw["result"]
			write.Result = result
			tt.check(t, device, write, has)
			if d, _ := c.srv.Device(DemoStripID); d.Name != "Strip" {
				t.Errorf("the write did not run: name %q", d.Name)
			}
		})
	}
}

// TestQuirksValues checks the quirks inside the values documents of a specification: numbers
// as strings, an empty document as "null" text, the document as an object.
func TestQuirksValues(t *testing.T) {
	tests := []struct {
		quirks Quirks
		// bright and led are the values of bright_value_v2 and switch_led, as sent.
		bright, led string
	}{
		{Quirks{}, `"{\"unit\":\"\",\"min\":10,\"max\":1000,\"scale\":0,\"step\":1}"`, `"{}"`},
		{Quirks{Numbers: true}, `"{\"max\":\"1000\",\"min\":\"10\",\"scale\":\"0\",\"step\":\"1\",\"unit\":\"\"}"`, `"{}"`},
		{Quirks{Nulls: true}, `"{\"max\":1000,\"min\":10,\"scale\":0,\"step\":1,\"unit\":null}"`, `"null"`},
		{Quirks{Extra: true}, `{"max":1000,"min":10,"sandbox_extra":{"empty":"","list":[1,"two"],"zero":0},"scale":0,"step":1,"unit":""}`,
			`{"sandbox_extra":{"empty":"","list":[1,"two"],"zero":0}}`},
	}
	for _, tt := range tests {
		t.Run(tt.quirks.String(), func(t *testing.T) {
			c := client(t, Options{})
			c.srv.SetFaults(Faults{Quirks: tt.quirks})
			var spec struct {
				Functions []map[string]json.RawMessage `json:"functions"`
			}
			env := c.raw("GET", "/v1.0/devices/"+DemoLampID+"/specifications", nil)
			if err := json.Unmarshal(env.Result, &spec); err != nil || !env.Success {
				t.Fatalf("specification %s: %v", env.Result, err)
			}
			got := map[string]string{}
			for _, f := range spec.Functions {
				got[strings.Trim(string(f["code"]), `"`)] = string(f["values"])
			}
			if got["bright_value_v2"] != tt.bright || got["switch_led"] != tt.led {
				t.Errorf("values %s and %s, want %s and %s", got["bright_value_v2"], got["switch_led"], tt.bright, tt.led)
			}
		})
	}
}
