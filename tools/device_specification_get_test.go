package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestDeviceSpecificationGet(t *testing.T) {
	const route = "/specifications"
	runControlTable(t, "device_specification_get", []controlCase{
		{name: "light", args: map[string]any{"device_id": sandbox.DemoLampID}, want: []string{`"category":"dj"`,
			`{"code":"bright_value_v2","type":"Integer","values":"{\"unit\":\"\",\"min\":10,\"max\":1000,\"scale\":0,\"step\":1}",` +
				`"min":10,"max":1000,"scale":0,"step":1,"meaning":"min, max and step are raw units; scale 0: the raw value is the real value"}`,
			`{"code":"work_mode","type":"Enum","values":"{\"range\":[\"white\",\"colour\",\"scene\",\"music\"]}","range":["white","colour","scene","music"]}`,
			`"code":"colour_data_v2","type":"Json","values":"{\"h\":{`, `"fields":[{"name":"h","min":0,"max":360,"scale":0,"step":1}`,
			`{"code":"switch_led","type":"Boolean","values":"{}"}`}},
		{name: "scaled integer says how to read it", args: map[string]any{"device_id": sandbox.DemoPlugID}, want: []string{
			`{"code":"cur_power","type":"Integer","values":"{\"unit\":\"W\",\"min\":0,\"max\":50000,\"scale\":1,\"step\":1}","unit":"W","min":0,"max":50000,"scale":1,"step":1,"report_only":true,"meaning":"min, max and step are raw units: real value = raw / 10^1 (raw 250 is 25.0 W)"}`,
			`{"code":"fault","type":"Bitmap","values":"{\"label\":[\"ov_cr\",\"ov_vol\",\"ov_pwr\",\"ls_cr\",\"ls_vol\",\"ls_pow\"]}","label":["ov_cr","ov_vol","ov_pwr","ls_cr","ls_vol","ls_pow"],"report_only":true}`}},
		{name: "sensor without functions", args: map[string]any{"device_id": sandbox.DemoClimateSensorID},
			want: []string{`"functions":[]`, `"unit":"℃","min":-200,"max":600,"scale":1`, `"report_only":true,"meaning":"min, max and step are raw units: real value = raw / 10^1 (raw 250 is 25.0 ℃)"`}},
		{name: "string maxlen", args: map[string]any{"device_id": sandbox.DemoGatewayID},
			want: []string{`{"code":"alarm_active","type":"String","values":"{\"maxlen\":255}","maxlen":255}`, `{"code":"alarm_msg","type":"Raw","values":"{}","report_only":true}`}},
		{name: "neither list", args: map[string]any{"device_id": sandbox.DemoLampID},
			refuse: refuse{"GET", route, 0, `{"category":"aqcz"}`}, want: []string{`{"category":"aqcz","functions":[],"status":[]}`}},
		// Spellings seen in real answers: v1.1's dp_id, lowercase types, "null" and object values,
		// an iot-03 desc that repeats the values, a key this server does not know, values that are
		// not JSON. Each field reaches the result as sent; the decoded ones follow.
		{name: "odd spellings", args: map[string]any{"device_id": sandbox.DemoLampID}, refuse: refuse{"GET", route, 0, `{"category":"dj",` +
			`"functions":[{"code":"switch_led","dp_id":20,"type":"bool","values":"null"},` +
			`{"code":"bright_value","type":"value","values":{"min":25,"max":255,"scale":0,"step":1},"desc":"{\"min\":25}"},` +
			`{"code":"temp_value","type":"Integer","values":"{\"min\":0,\"max\":255,\"precision\":2}"},` +
			`{"code":"mode","type":"Enum","values":"{range:[a]}","dp_id":"3","min":"x"}],"status":[],"lang_config":{"a":1}}`},
			want: []string{`{"code":"switch_led","type":"bool","values":"null","dp_id":20}`,
				`{"code":"bright_value","type":"value","values":{"min":25,"max":255,"scale":0,"step":1},"desc":"{\"min\":25}","min":25,"max":255,"scale":0,"step":1,"meaning":`,
				`{"code":"temp_value","type":"Integer","values":"{\"min\":0,\"max\":255,\"precision\":2}","min":0,"max":255,"meaning":`,
				// The cloud's min stays: the decoded one would contradict it.
				`{"code":"mode","type":"Enum","values":"{range:[a]}","dp_id":"3","min":"x","note":"values is not a JSON object: shown as sent; commands to this code are checked by type only"}`,
				`"lang_config":{"a":1}`}},
		{name: "unknown device", args: map[string]any{"device_id": "bf00000000000000000000"},
			errWant: []string{"Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}/specifications", "device_list finds devices"}},
		{name: "no specification", args: map[string]any{"device_id": sandbox.DemoLampID}, refuse: refuse{"GET", route, 2009, ""},
			errWant: []string{"Tuya error 2009", "no specification in the cloud"}},
		{name: "not linked", args: map[string]any{"device_id": sandbox.DemoLampID}, refuse: refuse{"GET", route, 1106, ""},
			errWant: []string{"Tuya error 1106", "Link App Account"}},
		{name: "not standard", args: map[string]any{"device_id": sandbox.DemoLampID}, refuse: refuse{"GET", route, 2003, ""},
			errWant: []string{"Tuya error 2003", "DP Instruction"}},
		{name: "no device id", args: nil, errWant: []string{"device_id: required"}},
		{name: "unknown argument", args: map[string]any{"device_id": sandbox.DemoLampID, "device_idd": "x"},
			errWant: []string{`unknown argument "device_idd"`}},
	})
}
