package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Ids of the demo data, for tests and examples. They do not depend on Options.Now.
const (
	// DemoUserUID owns most demo devices (home DemoHomeID) in DemoSchema.
	DemoUserUID = "ay1717737010553WDA1Xi"
	// DemoOtherUserUID owns a speaker, a thermostat and a plug in DemoSchema; it shares the
	// thermostat and the plug with DemoUserUID.
	DemoOtherUserUID = "ay17316861928968Mfk9z"
	// DemoHomeID is DemoUserUID's home, the owner_id of its devices.
	DemoHomeID = "41259371"
	// DemoGatewayID is a Zigbee gateway with four sub-devices.
	DemoGatewayID = "bfvqjxxvbothd0wtflhbmu"
	// DemoSubDeviceID is the gateway's water leak sensor.
	DemoSubDeviceID = "bfzxg02vdhldsun7av8bpp"
	// DemoStripID is a power strip with outlets switch_1 to switch_4.
	DemoStripID = "eb4uje5sgz278v65e54x59"
	// DemoScaleID is a body-fat scale with three device users.
	DemoScaleID = "bfc3c4bhoqmaz4ftv82hnl"
	// DemoScaleUserID is one of the scale's device users.
	DemoScaleUserID = "51212301"
	// DemoOfflineDeviceID is a camera that is offline.
	DemoOfflineDeviceID = "bf30ou4y3vvqm1zh85hjmj"
	// DemoProductID is the smart plug product; three demo devices are of it.
	DemoProductID = "3n19529wnhzycp50"
)

const day = 24 * time.Hour

func dp(code, value string) DP { return DP{Code: code, Value: json.RawMessage(value)} }

// Demo device ids of the device-control examples.
const (
	// DemoLampID is a v2 light (category dj): bright_value_v2 10..1000, colour_data_v2 Json.
	DemoLampID = "bfjmqzmjciz73s0vead2by"
	// DemoPlugID is a metering socket (category cz): switch_1 can be sent, cur_power is
	// report-only.
	DemoPlugID = "6ccuu1fgm1hd8035bxt1et"
	// DemoClimateSensorID is a temperature and humidity sensor (wsdcg) with no functions.
	DemoClimateSensorID = "bfpagxiuwp7317bd9g2lbc"
	// DemoGarageDoorID is a garage door opener (ckmkzq), a safety category.
	DemoGarageDoorID = "bfk2x9ruw8ncq5d1ogarge"
)

// socketSpec is the shared standard set of sockets, switches and strips (cz, kg, pc): n
// switches with countdowns, usb USB switches, and the metering DPs when metering.
func socketSpec(n, usb int, metering bool) []dpSpec {
	var out []dpSpec
	for i := 1; i <= n; i++ {
		out = append(out, boolDP("switch_"+strconv.Itoa(i), modeRW, false))
	}
	for i := 1; i <= usb; i++ {
		out = append(out, boolDP("switch_usb"+strconv.Itoa(i), modeRW, false))
	}
	for i := 1; i <= n; i++ {
		out = append(out, intDP("countdown_"+strconv.Itoa(i), modeRW, "s", 0, 86400, 0, 1, 0))
	}
	if metering {
		out = append(out,
			intDP("add_ele", modeRO, "kwh", 0, 50000, 3, 100, 0),
			intDP("cur_current", modeRO, "mA", 0, 30000, 0, 1, 0),
			intDP("cur_power", modeRO, "W", 0, 50000, 1, 1, 0),
			intDP("cur_voltage", modeRO, "V", 0, 5000, 1, 1, 0),
			bitmapDP("fault", modeRO, "ov_cr", "ov_vol", "ov_pwr", "ls_cr", "ls_vol", "ls_pow"),
			enumDP("relay_status", modeRW, "power_off", "power_off", "power_on", "last"),
			boolDP("child_lock", modeRW, false),
		)
	}
	return out
}

// hsvValues is the values document of the v2 colour DPs.
const hsvValues = `{"h":{"min":0,"scale":0,"unit":"","max":360,"step":1},` +
	`"s":{"min":0,"scale":0,"unit":"","max":1000,"step":1},"v":{"min":0,"scale":0,"unit":"","max":1000,"step":1}}`

func demoProducts() []*product {
	return []*product{
		// Real multi-mode gateways report these (device-control.md 4.4).
		{ID: "fmcv0lsauywyl47w", Name: "Zigbee Smart Gateway", Category: "wg2", Model: "ZHUB-W2",
			Spec: []dpSpec{boolDP("switch_alarm_sound", modeRW, false), enumDP("master_state", modeRW, "normal", "normal", "alarm"),
				boolDP("factory_reset", modeRW, false), stringDP("alarm_active", modeRW, 255), rawDP("alarm_msg", modeRO)}},
		{ID: "wl2yxtqg7wjcb3m6", Name: "Water Leak Sensor", Category: "sj", Model: "TS0207",
			Spec: []dpSpec{enumDP("watersensor_state", modeRO, "normal", "normal", "alarm"),
				intDP("battery_percentage", modeRO, "%", 0, 100, 0, 1, 100)}},
		{ID: "57lr12tws1lmctd2", Name: "Door Window Sensor", Category: "mcs", Model: "TS0203",
			Spec: []dpSpec{boolDP("doorcontact_state", modeRO, false), intDP("battery_percentage", modeRO, "%", 0, 100, 0, 1, 100),
				boolDP("temper_alarm", modeRO, false)}},
		// A battery sensor: everything is report-only, so functions is empty.
		{ID: "7frze58fhqr1z6db", Name: "Temperature Humidity Sensor", Category: "wsdcg", Model: "TS0201",
			Spec: []dpSpec{intDP("va_temperature", modeRO, "℃", -200, 600, 1, 1, 0), intDP("va_humidity", modeRO, "%", 0, 100, 0, 1, 0),
				enumDP("battery_state", modeRO, "high", "low", "middle", "high"), enumDP("temp_unit_convert", modeRO, "c", "c", "f")}},
		{ID: "0u7lw54v8z251nto", Name: "Smoke Alarm", Category: "ywbj", Model: "TS0205",
			Spec: []dpSpec{enumDP("smoke_sensor_status", modeRO, "normal", "alarm", "normal"),
				enumDP("battery_state", modeRO, "high", "low", "middle", "high"), boolDP("muffling", modeRW, false)}},
		{ID: "h7de77w9w9vreu4s", Name: "Smart Power Strip 4AC+2USB", Category: "pc", Model: "SPS-4U2",
			Outlets: []string{"switch_1", "switch_2", "switch_3", "switch_4"},
			Spec: append(socketSpec(4, 1, false),
				intDP("cur_current", modeRO, "mA", 0, 30000, 0, 1, 0), intDP("cur_power", modeRO, "W", 0, 50000, 1, 1, 0),
				intDP("cur_voltage", modeRO, "V", 0, 5000, 1, 1, 0))},
		{ID: "rg38v02zdaqwbqyh", Name: "Wi-Fi Body Fat Scale", Category: "tzc1", Model: "BFS-200",
			Spec: []dpSpec{enumDP("unit_switch", modeRW, "kg", "kg", "lb", "st"), intDP("weight", modeRO, "kg", 0, 1800, 1, 1, 0),
				intDP("lefthand_r", modeRO, "Ohm", 0, 65535, 0, 1, 0), intDP("righthand_r", modeRO, "Ohm", 0, 65535, 0, 1, 0),
				intDP("leftleg_r", modeRO, "Ohm", 0, 65535, 0, 1, 0), intDP("rightleg_r", modeRO, "Ohm", 0, 65535, 0, 1, 0),
				intDP("body_r", modeRO, "Ohm", 0, 65535, 0, 1, 0), intDP("heart_rate", modeRO, "", 1, 300, 0, 1, 1),
				boolDP("battery_low", modeRO, false)}},
		{ID: "z3alf3snqdtxquzg", Name: "Smart Bulb RGBCW", Category: "dj", Model: "A60-RGBCW",
			Spec: []dpSpec{boolDP("switch_led", modeRW, false), enumDP("work_mode", modeRW, "white", "white", "colour", "scene", "music"),
				intDP("bright_value_v2", modeRW, "", 10, 1000, 0, 1, 1000), intDP("temp_value_v2", modeRW, "", 0, 1000, 0, 1, 1000),
				jsonDP("colour_data_v2", modeRW, hsvValues, `{"h":0,"s":1000,"v":1000}`),
				intDP("countdown_1", modeRW, "", 0, 86400, 0, 1, 0), rawDP("rhythm_mode", modeWO),
				jsonDP("control_data", modeWO, `{"change_mode":{"range":["direct","gradient"]},"bright":{"min":0,"max":1000,"scale":0,"step":1},"temperature":{"min":0,"max":1000,"scale":0,"step":1}}`, "")}},
		{ID: DemoProductID, Name: "Wi-Fi Smart Metering Socket", Category: "cz", Model: "SP-111", Spec: socketSpec(1, 0, true)},
		{ID: "6b8j1kad8ittkpkm", Name: "Smart Indoor Camera", Category: "sp", Model: "IPC-C200",
			Spec: []dpSpec{boolDP("basic_indicator", modeRW, true), boolDP("basic_flip", modeRW, false), boolDP("basic_osd", modeRW, true),
				boolDP("motion_switch", modeRW, false), enumDP("motion_sensitivity", modeRW, "1", "0", "1", "2"),
				boolDP("record_switch", modeRW, true), intDP("sd_status", modeRO, "", 1, 5, 0, 1, 1), stringDP("sd_storage", modeRO, 255)}},
		{ID: "2mc1nwtc9z17ujcd", Name: "Wi-Fi smart speaker SS190", Category: "znyxss", Model: "SS190",
			Spec: []dpSpec{intDP("smartspeaker_vol", modeRW, "", 0, 100, 0, 1, 50), boolDP("smartspeaker_mic", modeRW, true),
				boolDP("smartspeaker_play", modeRW, false), enumDP("smartspeaker_wm_switch", modeRW, "btm", "btm", "wifi"),
				boolDP("smartspeaker_bt_switch", modeRW, false),
				enumDP("smartspeaker_play_mode", modeRW, "order", "order", "repeat_all", "repeat_one", "random"),
				stringDP("smartspeaker_alarm_clock", modeRW, 255)}},
		{ID: "0471pe4cuhji7oyo", Name: "Smart Thermostat", Category: "wk", Model: "TH-W3",
			Spec: []dpSpec{boolDP("switch", modeRW, false), enumDP("mode", modeRW, "manual", "auto", "manual", "holiday"),
				intDP("temp_set", modeRW, "℃", 50, 350, 1, 5, 200), intDP("temp_current", modeRO, "℃", -200, 1000, 1, 1, 0),
				boolDP("child_lock", modeRW, false), intDP("upper_temp", modeRW, "℃", 150, 450, 1, 5, 350)}},
		{ID: "k9zp2b7xw4mqe1rt", Name: "Smart Tower Fan", Category: "fs", Model: "TF-90",
			Spec: []dpSpec{boolDP("switch", modeRW, false), enumDP("mode", modeRW, "fresh", "fresh", "nature", "sleep"),
				intDP("fan_speed", modeRW, "", 1, 9, 0, 1, 1), boolDP("light", modeRW, false),
				enumDP("countdown_set", modeRW, "cancel", "cancel", "1h", "2h", "4h", "8h")}},
		// Real products: temp_set 160..880, scale 1, step 5 (device-control.md 4.6).
		{ID: "q7fmx0pkz2hw8ay4", Name: "Split Air Conditioner", Category: "kt", Model: "AC-12K",
			Spec: []dpSpec{boolDP("switch", modeRW, false), intDP("temp_set", modeRW, "℃", 160, 880, 1, 5, 240),
				enumDP("mode", modeRW, "auto", "auto", "cold", "hot", "wet", "wind"), enumDP("windspeed", modeRW, "1", "1", "2", "3"),
				intDP("temp_current", modeRO, "℃", -20, 100, 0, 1, 24), intDP("humidity_current", modeRO, "%", 0, 100, 0, 1, 50)}},
		{ID: "ht3u0c8rq6vn1lxe", Name: "Motorised Curtain", Category: "cl", Model: "CM-1",
			Spec: []dpSpec{enumDP("control", modeRW, "stop", "open", "stop", "close", "continue"),
				intDP("percent_control", modeRW, "%", 0, 100, 0, 1, 0), intDP("percent_state", modeRO, "%", 0, 100, 0, 1, 0),
				enumDP("control_back_mode", modeRW, "forward", "forward", "back"), enumDP("work_state", modeRO, "closing", "opening", "closing"),
				bitmapDP("fault", modeRO, "motor_fault")}},
		{ID: "n5w0c2yd7kqg3vtr", Name: "Garage Door Opener", Category: "ckmkzq", Model: "GD-01",
			Spec: []dpSpec{boolDP("switch_1", modeRW, false), intDP("countdown_1", modeRW, "s", 0, 86400, 0, 1, 0),
				boolDP("doorcontact_state", modeRO, false)}},
	}
}

// demoUser is a user of the demo data; age is how long before Now it was created.
type demoUser struct {
	schema, cc, username, nick string
	typ                        int
	age                        time.Duration
	// role names the users that own demo devices.
	role string
}

// Roles of the demo users that own devices.
const (
	roleOwner    = "owner"
	roleOther    = "other"
	roleOtherApp = "otherapp"
)

func demoUsers() []demoUser {
	users := []demoUser{
		{DemoSchema, "86", "13800138000", "Chen Wei", usernameMobile, 75 * day, roleOwner},
		{DemoSchema, "39", "giulia.romano@example.com", "Giulia", usernameEmail, 70 * day, roleOther},
	}
	// 28 more over the last 40 days: 22 inside the default 30-day window (two pages of 20),
	// 6 outside it.
	names := []string{"Liam Carter", "Sofia Mueller", "Hiroshi Tanaka", "Amelia Brown", "Arjun Patel",
		"Chloe Martin", "Lukas Schmidt", "Mei Lin", "Noah Wilson", "Isabella Rossi", "Mateo Garcia",
		"Yuki Sato", "Emma Dubois", "Oliver Smith", "Priya Sharma", "Jonas Berg", "Ava Johnson",
		"Kenji Watanabe", "Lea Fischer", "Ethan Lee", "Zara Ahmed", "Lucas Silva", "Hannah Kim",
		"Felix Wagner", "Nora Jensen", "Ravi Kumar", "Elena Petrova", "Samuel Cohen"}
	mobiles := []struct {
		cc, prefix string
		digits     int
	}{
		{"86", "139", 11}, {"1", "41555", 10}, {"44", "77009", 10}, {"49", "15112", 11}, {"91", "98", 10}, {"81", "90", 10},
	}
	ccs := []string{"1", "44", "33", "49", "61", "65"}
	for i, name := range names {
		first, last, _ := strings.Cut(strings.ToLower(name), " ")
		u := demoUser{schema: DemoSchema, nick: name, age: time.Duration(len(names)-1-i)*33*time.Hour + 5*time.Hour}
		switch i % 3 {
		case 0:
			m := mobiles[i/3%len(mobiles)]
			u.typ, u.cc = usernameMobile, m.cc
			suffix := fmt.Sprintf("%012d", i*7919+12345)
			u.username = m.prefix + suffix[len(suffix)-(m.digits-len(m.prefix)):]
		case 1:
			u.typ, u.cc, u.username = usernameEmail, ccs[i%len(ccs)], first+"."+last+"@example.com"
		default:
			u.typ, u.cc, u.username = usernameOther, ccs[i%len(ccs)], first+"_"+last[:1]+strconv.Itoa(10+i*3)
		}
		users = append(users, u)
	}
	return append(users,
		demoUser{OtherSchema, "1", "sam.taylor@example.net", "Sam", usernameEmail, 50 * day, roleOtherApp},
		demoUser{OtherSchema, "234", "r.okafor@example.net", "Rita", usernameEmail, 20 * day, ""},
		demoUser{OtherSchema, "1", "2125550147", "Dan", usernameMobile, 10 * day, ""},
		demoUser{OtherSchema, "65", "guest_4471", "", usernameOther, 1 * day, ""},
	)
}

// timeZone is a plausible time zone of a country calling code.
func timeZone(cc string) string {
	switch cc {
	case "86":
		return "Asia/Shanghai"
	case "1":
		return "America/New_York"
	case "44":
		return "Europe/London"
	case "49":
		return "Europe/Berlin"
	case "33":
		return "Europe/Paris"
	case "39":
		return "Europe/Rome"
	case "91":
		return "Asia/Kolkata"
	case "81":
		return "Asia/Tokyo"
	case "61":
		return "Australia/Sydney"
	case "234":
		return "Africa/Lagos"
	}
	return "Asia/Singapore"
}

// demoHome is where a user's devices are: home id, public IP, UTC offset and app biz type.
type demoHome struct {
	ownerID, ip, tz string
	bizType         int64
}

type demoDevice struct {
	id, name, product, gateway string
	home                       demoHome
	uid, localKey, uuid        string
	age                        time.Duration
	offline                    bool
	shared                     bool
	// status overrides the product defaults with the device's current values.
	status map[string]string
}

func demoDevices(ownerUID, otherUID, otherAppUID string) []demoDevice {
	home := demoHome{DemoHomeID, "120.198.34.71", "+08:00", 299009}
	other := demoHome{"41260518", "93.184.12.54", "+01:00", 299009}
	otherApp := demoHome{"50377214", "73.162.88.19", "-05:00", 310002}
	return []demoDevice{
		{id: DemoGatewayID, name: "Living Room Gateway", product: "fmcv0lsauywyl47w", home: home, uid: ownerUID,
			localKey: "o1nIj7BRd03Q2ybv", uuid: "0799dc6ebd718b8c", age: 58 * day,
			status: map[string]string{"switch_alarm_sound": "true"}},
		{id: DemoSubDeviceID, name: "Kitchen Water Leak Sensor", product: "wl2yxtqg7wjcb3m6", gateway: DemoGatewayID,
			home: home, uid: ownerUID, localKey: "CDydesokF5NSAlls", uuid: "bbd142880e8427ab", age: 57 * day,
			status: map[string]string{"battery_percentage": "87"}},
		{id: "bfd9d2veyx0gsaxmknuj0e", name: "Front Door Sensor", product: "57lr12tws1lmctd2", gateway: DemoGatewayID,
			home: home, uid: ownerUID, localKey: "GolUByxRmXBYQ0DV", uuid: "bad821df997d5299", age: 45 * day,
			status: map[string]string{"battery_percentage": "64"}},
		{id: DemoClimateSensorID, name: "Bedroom Climate Sensor", product: "7frze58fhqr1z6db", gateway: DemoGatewayID,
			home: home, uid: ownerUID, localKey: "W18vjsgJ0Wu8FxTw", uuid: "81d960e9558c1530", age: 21 * day,
			status: map[string]string{"va_temperature": "231", "va_humidity": "48"}},
		{id: "bfxnizwkra4uzepz1qssk3", name: "Hallway Smoke Alarm", product: "0u7lw54v8z251nto", gateway: DemoGatewayID,
			home: home, uid: ownerUID, localKey: "IrTtfkbSh2Cde2wi", uuid: "feba9032050d09c5", age: 9 * day},
		{id: DemoStripID, name: "Office Power Strip", product: "h7de77w9w9vreu4s", home: home, uid: ownerUID,
			localKey: "wykTp4EilsS2aQnj", uuid: "3e0b6e9aba45ee6e", age: 33 * day,
			status: map[string]string{"switch_1": "true", "switch_2": "true", "switch_usb1": "true",
				"cur_current": "412", "cur_power": "874", "cur_voltage": "2302"}},
		{id: DemoScaleID, name: "Bathroom Scale", product: "rg38v02zdaqwbqyh", home: home, uid: ownerUID,
			localKey: "ZnCxh1Gd1CJoWD6W", uuid: "63d8b6da25a43a84", age: 40 * day,
			status: map[string]string{"weight": "684", "body_r": "512"}},
		{id: DemoLampID, name: "Desk Lamp", product: "z3alf3snqdtxquzg", home: home, uid: ownerUID,
			localKey: "KcP753ivdSmDrUd7", uuid: "0d1a0dc00f0e71a7", age: 15 * day,
			status: map[string]string{"switch_led": "true", "bright_value_v2": "640", "temp_value_v2": "420"}},
		{id: DemoPlugID, name: "Coffee Maker Plug", product: DemoProductID, home: home, uid: ownerUID,
			localKey: "xWQ3czyrEvmkXbI8", uuid: "93134b65ab3adf32", age: 52 * day,
			status: map[string]string{"add_ele": "37", "cur_voltage": "2296"}},
		{id: "bfw04nkth169dxncwjxcpd", name: "Heater Plug", product: DemoProductID, home: home, uid: ownerUID,
			localKey: "DCIb20W0tvi1jsmC", uuid: "b2f3a9f889eeaf77", age: 4 * day,
			status: map[string]string{"switch_1": "true", "add_ele": "112", "cur_current": "6085", "cur_power": "13980", "cur_voltage": "2297"}},
		{id: DemoOfflineDeviceID, name: "Garage Camera", product: "6b8j1kad8ittkpkm", home: home, uid: ownerUID,
			localKey: "Zp814HtFbtfeeHv0", uuid: "849a845d1f7c3a05", age: 27 * day, offline: true,
			status: map[string]string{"motion_switch": "true", "sd_storage": `"59968|12288|47680"`}},
		{id: "bfh8kq3tzx0m6ayc2r9dle", name: "Bedroom Air Conditioner", product: "q7fmx0pkz2hw8ay4", home: home, uid: ownerUID,
			localKey: "Rk3mWq8ZtY1vBn0x", uuid: "5f2c8e1a9b3d7046", age: 19 * day,
			status: map[string]string{"switch": "true", "mode": `"cold"`, "temp_set": "220", "temp_current": "23"}},
		{id: "bfc7ty2nw0p4xk9m1curtn", name: "Living Room Curtain", product: "ht3u0c8rq6vn1lxe", home: home, uid: ownerUID,
			localKey: "Hs6pLx2Qv9cTe4Ja", uuid: "a81e4c7d02f95b36", age: 13 * day,
			status: map[string]string{"percent_control": "100", "percent_state": "100", "work_state": `"opening"`}},
		{id: DemoGarageDoorID, name: "Garage Door", product: "n5w0c2yd7kqg3vtr", home: home, uid: ownerUID,
			localKey: "Mz4gNc8Rb1yUw7Kd", uuid: "c93b05e6d18f2a74", age: 30 * day},
		{id: "bf6x30fov6kr8i1edwlj5u", name: "Kitchen Speaker", product: "2mc1nwtc9z17ujcd", home: other, uid: otherUID,
			localKey: "tEvGjfLg1gJk7bwK", uuid: "8973381f412a0a4f", age: 36 * day,
			status: map[string]string{"smartspeaker_vol": "26", "smartspeaker_play_mode": `"random"`}},
		{id: "bff6hgshd0vlh5kavbw3lf", name: "Hall Thermostat", product: "0471pe4cuhji7oyo", home: other, uid: otherUID,
			localKey: "7LRiiQbLJmWZTsUr", uuid: "d057e0bd04ab3005", age: 12 * day, shared: true,
			status: map[string]string{"switch": "true", "mode": `"auto"`, "temp_set": "215", "temp_current": "198"}},
		{id: "6crgs99tq2dpa8kxxo68uo", name: "Aquarium Plug", product: DemoProductID, home: other, uid: otherUID,
			localKey: "cpJbsNaUXkFVi3Cz", uuid: "af3d2e2425ba9682", age: 6 * day, shared: true,
			status: map[string]string{"switch_1": "true", "add_ele": "9", "cur_current": "98", "cur_power": "152", "cur_voltage": "2301"}},
		{id: "ebvgss4zip4l20wv17vkdj", name: "Porch Light", product: "z3alf3snqdtxquzg", home: otherApp, uid: otherAppUID,
			localKey: "zU9YGP6SxWw4iUiE", uuid: "e287ba054769ba41", age: 24 * day,
			status: map[string]string{"work_mode": `"colour"`, "colour_data_v2": `"{\"h\":30,\"s\":800,\"v\":900}"`}},
		{id: "bfapkgsa8gqpao9ce178k5", name: "Bedroom Fan", product: "k9zp2b7xw4mqe1rt", home: otherApp, uid: otherAppUID,
			localKey: "uCDuaOHZgO3IwAwu", uuid: "63adfa395d6cff31", age: 48 * day,
			status: map[string]string{"switch": "true", "mode": `"nature"`, "fan_speed": "3"}},
	}
}

// demoStore builds the demo data dated relative to now. Everything but the dates is the same
// on every run.
func demoStore(now time.Time) *store {
	st := newStore()
	st.Schemas = []string{DemoSchema, OtherSchema}
	for _, p := range demoProducts() {
		p.Icon = "smart/product_icon/" + p.Category + ".png"
		p.Defaults = defaultsOf(p.Spec)
		st.Products[p.ID] = p
	}
	owners := map[string]string{}
	for _, du := range demoUsers() {
		created := now.Add(-du.age).Unix()
		u := &User{
			UID:          st.newUID(),
			Schema:       du.schema,
			UsernameType: du.typ,
			CountryCode:  du.cc,
			Username:     du.username,
			Password:     "e10adc3949ba59abbe56e057f20f883e",
			NickName:     du.nick,
			TimeZoneID:   timeZone(du.cc),
			CreateTime:   created,
			UpdateTime:   min(created+int64(2*time.Hour/time.Second), now.Unix()),
		}
		st.Users[u.UID] = u
		if du.role != "" {
			owners[du.role] = u.UID
		}
	}
	for _, dd := range demoDevices(owners[roleOwner], owners[roleOther], owners[roleOtherApp]) {
		p := st.Products[dd.product]
		d := &Device{
			ID:          dd.id,
			Name:        dd.name,
			ProductID:   p.ID,
			ProductName: p.Name,
			Category:    p.Category,
			Model:       p.Model,
			Icon:        p.Icon,
			Schema:      st.Users[dd.uid].Schema,
			UID:         dd.uid,
			OwnerID:     dd.home.ownerID,
			GatewayID:   dd.gateway,
			LocalKey:    dd.localKey,
			UUID:        dd.uuid,
			IP:          dd.home.ip,
			TimeZone:    dd.home.tz,
			BizType:     dd.home.bizType,
			Online:      !dd.offline,
			Status:      cloneDPs(p.Defaults),
			ActiveTime:  now.Add(-dd.age).Unix(),
		}
		for i, v := range d.Status {
			if cur, ok := dd.status[v.Code]; ok {
				d.Status[i].Value = json.RawMessage(cur)
			}
		}
		if dd.shared {
			d.SharedWith = []string{owners[roleOwner]}
		}
		d.SN, d.MAC = factoryIDs(d.ID, dd.gateway != "")
		d.CreateTime = d.ActiveTime - 180
		d.UpdateTime = now.Add(-time.Duration(fnvHash(d.ID)%(12*3600)) * time.Second).Unix()
		st.Devices[d.ID] = d
		demoLogs(st, d, now)
	}
	st.Devices[DemoStripID].OutletNames = map[string]string{"switch_1": "Monitor", "switch_2": "Laptop Charger"}
	st.DeviceUserSeq = 51212300
	for _, u := range []DeviceUser{
		{NickName: "Alice", Sex: 2, Birthday: time.Date(1990, 4, 12, 0, 0, 0, 0, time.UTC).UnixMilli(), Height: 168, Weight: 58200, Contact: "alice@example.com"},
		{NickName: "Bob", Sex: 1, Birthday: time.Date(1987, 9, 30, 0, 0, 0, 0, time.UTC).UnixMilli(), Height: 181, Weight: 80400},
		{NickName: "Mia", Sex: 2, Birthday: time.Date(2016, 2, 5, 0, 0, 0, 0, time.UTC).UnixMilli(), Height: 121, Weight: 23800},
	} {
		u.DeviceID, u.UserID = DemoScaleID, st.newDeviceUserID()
		st.DeviceUsers[DemoScaleID] = append(st.DeviceUsers[DemoScaleID], &u)
	}
	return st
}

func fnvHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// factoryIDs derives a serial number and a MAC address: Wi-Fi devices have 48-bit MACs, Zigbee
// sub-devices 64-bit IEEE addresses.
func factoryIDs(id string, zigbee bool) (sn, mac string) {
	sum := sha256.Sum256([]byte("factory-" + id))
	sn = "TY" + strings.ToUpper(hex.EncodeToString(sum[:6]))
	if zigbee {
		return sn, "a4c138" + hex.EncodeToString(sum[6:11])
	}
	b := sum[6:9]
	return sn, fmt.Sprintf("d8:1f:12:%02x:%02x:%02x", b[0], b[1], b[2])
}

// demoLogs gives a device 60 to 250 events over the last ten days, every event type and source
// among them, from an RNG seeded by the device id.
func demoLogs(st *store, d *Device, now time.Time) {
	seed := fnvHash(d.ID)
	rng := rand.New(rand.NewPCG(seed, seed>>7|1))
	start, end := now.Add(-10*day), now
	if !d.Online {
		// An offline device reports nothing after it went offline.
		end = now.Add(-2 * time.Hour)
	}
	span := end.Sub(start).Milliseconds()
	n := 60 + rng.IntN(191)
	logs := make([]Log, 0, n+1)
	for i := range n {
		ev := i + 1 // the first ten are one of each type
		if i >= eventTiming {
			ev = randomEvent(rng)
		}
		l := Log{EventID: ev, EventFrom: fromDevice, EventTime: start.UnixMilli() + rng.Int64N(span)}
		switch ev {
		case eventCommand:
			l.EventFrom = []string{fromClient, fromThirdParty, fromCloud}[rng.IntN(3)]
			if i < eventTiming {
				l.EventFrom = fromThirdParty
			}
			l.Code, l.Value = randomDP(rng, d.Status)
		case eventReport:
			l.Code, l.Value = randomDP(rng, d.Status)
		case eventReset:
			l.EventFrom = fromClient
		case eventTiming:
			l.EventFrom = fromCloud
		}
		logs = append(logs, l)
	}
	if !d.Online {
		logs = append(logs, Log{EventID: eventOffline, EventFrom: fromDevice, EventTime: end.UnixMilli()})
	}
	st.addLogs(d.ID, logs)
}

// randomEvent draws an event type, data-point reports being the most common.
func randomEvent(rng *rand.Rand) int {
	r := rng.IntN(100)
	for _, c := range []struct{ below, ev int }{
		{55, eventReport}, {70, eventCommand}, {78, eventOnline}, {86, eventOffline}, {89, eventSemaphore},
		{92, eventTiming}, {94, eventRestart}, {96, eventFirmware}, {98, eventActivate},
	} {
		if r < c.below {
			return c.ev
		}
	}
	return eventReset
}

// randomDP draws a data point and a plausible value for it, as a log shows values: strings.
func randomDP(rng *rand.Rand, status []DP) (code, value string) {
	p := status[rng.IntN(len(status))]
	raw := string(p.Value)
	switch {
	case raw == "true" || raw == "false":
		return p.Code, strconv.FormatBool(rng.IntN(2) == 1)
	case strings.HasPrefix(raw, `"`):
		var s string
		json.Unmarshal(p.Value, &s) // demo values are valid JSON strings
		return p.Code, s
	}
	n, _ := strconv.ParseInt(raw, 10, 64)
	return p.Code, strconv.FormatInt(max(0, n+rng.Int64N(n/5+11)-n/10-5), 10)
}
