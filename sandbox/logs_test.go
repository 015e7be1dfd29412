package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"
)

type wireLog struct {
	Code      *string `json:"code"`
	Value     *string `json:"value"`
	EventTime int64   `json:"event_time"`
	EventFrom string  `json:"event_from"`
	EventID   int     `json:"event_id"`
	Status    string  `json:"status"`
	Row       string  `json:"row"`
}

type logsRes struct {
	Logs          []wireLog `json:"logs"`
	HasNext       bool      `json:"has_next"`
	DeviceID      string    `json:"device_id"`
	CurrentRowKey string    `json:"current_row_key"`
	NextRowKey    *string   `json:"next_row_key"`
	Count         *int      `json:"count"`
}

// expectLogs is what a query should return, newest first, from the store's own logs.
func expectLogs(all []Log, from, to int64, keep func(Log) bool) []Log {
	var out []Log
	for _, l := range slices.Backward(all) {
		if l.EventTime >= from && l.EventTime <= to && keep(l) {
			out = append(out, l)
		}
	}
	return out
}

func sameLogs(t *testing.T, got []wireLog, want []Log) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d logs, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.EventTime != w.EventTime || g.EventID != w.EventID || g.EventFrom != w.EventFrom || g.Status != "1" ||
			(w.Code == "") != (g.Code == nil) || (g.Code != nil && (*g.Code != w.Code || *g.Value != w.Value)) {
			t.Fatalf("log %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestListLogs(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	all := c.srv.Logs(DemoStripID)
	path := "/v1.0/devices/" + DemoStripID + "/logs"
	weekAgo := now.Add(-7 * day).UnixMilli()
	every := func(Log) bool { return true }
	tests := []struct {
		name     string
		query    []string
		from, to int64
		keep     func(Log) bool
	}{
		{"all types, start 0", []string{"type", "1,2,3,4,5,6,7,8,9,10", "start_time", "0", "end_time", millis(now)}, weekAgo, now.UnixMilli(), every},
		{"start empty", []string{"type", "1,2,3,4,5,6,7,8,9,10", "start_time", "", "end_time", millis(now)}, weekAgo, now.UnixMilli(), every},
		{"reports only", []string{"type", "7", "end_time", millis(now)}, weekAgo, now.UnixMilli(), func(l Log) bool { return l.EventID == eventReport }},
		{"online and offline", []string{"type", "1,2", "end_time", millis(now)}, weekAgo, now.UnixMilli(),
			func(l Log) bool { return l.EventID == eventOnline || l.EventID == eventOffline }},
		{"codes", []string{"type", "5,7", "codes", "switch_1,cur_power", "end_time", millis(now)}, weekAgo, now.UnixMilli(),
			func(l Log) bool { return l.Code == "switch_1" || l.Code == "cur_power" }},
		{"window", []string{"type", "1,2,3,4,5,6,7,8,9,10", "start_time", millis(now.Add(-9 * day)), "end_time", millis(now.Add(-2 * day))},
			now.Add(-9 * day).UnixMilli(), now.Add(-2 * day).UnixMilli(), every},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := expectLogs(all, tt.from, tt.to, tt.keep)
			if len(want) < 3 {
				t.Fatalf("only %d logs match: the demo data does not exercise this", len(want))
			}
			// Free edition: walk the pages by start_row_key.
			var got []wireLog
			key := ""
			for pages := 0; ; pages++ {
				var res logsRes
				c.ok("GET", path+q(append(slices.Clone(tt.query), "size", "7", "start_row_key", key)...), nil, &res)
				if res.DeviceID != DemoStripID || res.Count != nil || len(res.Logs) > 7 {
					t.Fatalf("page %+v", res)
				}
				if key != "" && res.CurrentRowKey != key {
					t.Fatalf("current_row_key %q, want the start_row_key %q", res.CurrentRowKey, key)
				}
				got = append(got, res.Logs...)
				if !res.HasNext {
					if res.NextRowKey != nil {
						t.Fatalf("next_row_key %q on the last page", *res.NextRowKey)
					}
					break
				}
				key = *res.NextRowKey
			}
			sameLogs(t, got, want)

			// Paid edition: walk by last_row_key and last_event_time; count is the total.
			got = nil
			lastRow, lastTime := "", ""
			for {
				var res logsRes
				c.ok("GET", path+q(append(slices.Clone(tt.query), "size", "9", "query_type", "2", "last_row_key", lastRow, "last_event_time", lastTime)...), nil, &res)
				if res.Count == nil || *res.Count != len(want) {
					t.Fatalf("count %v, want %d", res.Count, len(want))
				}
				got = append(got, res.Logs...)
				if !res.HasNext {
					break
				}
				last := res.Logs[len(res.Logs)-1]
				lastRow, lastTime = last.Row, strconv.FormatInt(last.EventTime, 10)
			}
			sameLogs(t, got, want)
			for _, l := range got {
				if l.Row == "" {
					t.Fatal("paid edition log without row")
				}
			}
		})
	}
}

func TestListLogsDefaults(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	var res logsRes
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID+"/logs"+q("type", "1,2,3,4,5,6,7,8,9,10", "end_time", millis(now)), nil, &res)
	if len(res.Logs) != defaultLogSize || !res.HasNext || res.NextRowKey == nil {
		t.Fatalf("default page: %d logs, has_next %v", len(res.Logs), res.HasNext)
	}
	if _, err := base64.StdEncoding.DecodeString(res.CurrentRowKey); err != nil || res.CurrentRowKey == "" {
		t.Errorf("current_row_key %q is not base64", res.CurrentRowKey)
	}
	for i := 1; i < len(res.Logs); i++ {
		if res.Logs[i].EventTime > res.Logs[i-1].EventTime {
			t.Fatal("not newest first")
		}
	}
	// Paid edition: last_event_time alone resumes strictly before that time.
	var paid logsRes
	at := res.Logs[4].EventTime
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID+"/logs"+q("type", "1,2,3,4,5,6,7,8,9,10", "end_time", millis(now),
		"query_type", "2", "last_event_time", strconv.FormatInt(at, 10)), nil, &paid)
	if len(paid.Logs) == 0 || paid.Logs[0].EventTime >= at {
		t.Errorf("resumed at %+v, want before %d", paid.Logs, at)
	}
	// Values on the wire are strings, sources strings and types numbers.
	var raw struct {
		Logs []map[string]json.RawMessage `json:"logs"`
	}
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID+"/logs"+q("type", "7", "end_time", millis(now), "size", "1"), nil, &raw)
	l := raw.Logs[0]
	for k, prefix := range map[string]byte{"value": '"', "event_from": '"', "code": '"', "status": '"', "event_id": '7'} {
		if v := l[k]; len(v) == 0 || v[0] != prefix {
			t.Errorf("%s = %s", k, v)
		}
	}
}

func TestListLogsAfterWrites(t *testing.T) {
	c := client(t, Options{})
	c.clk.Advance(time.Minute)
	c.ok("PUT", "/v1.0/devices/"+DemoScaleID+"/reset-factory", nil, nil)
	var res logsRes
	c.ok("GET", "/v1.0/devices/"+DemoScaleID+"/logs"+q("type", "4", "start_time", millis(c.clk.Now().Add(-time.Second)),
		"end_time", millis(c.clk.Now())), nil, &res)
	if len(res.Logs) != 1 || res.Logs[0].EventID != eventReset || res.Logs[0].EventFrom != fromCloud {
		t.Fatalf("logs %+v", res.Logs)
	}
}

func TestListLogsErrors(t *testing.T) {
	c := client(t, Options{})
	now := c.clk.Now()
	end := millis(now)
	path := "/v1.0/devices/" + DemoStripID + "/logs"
	tests := []struct {
		name string
		path string
		code int
	}{
		{"no type", path + q("end_time", end), codeEmpty},
		{"type 0", path + q("type", "0", "end_time", end), codeIllegal},
		{"type 11", path + q("type", "1,11", "end_time", end), codeIllegal},
		{"type a word", path + q("type", "online", "end_time", end), codeIllegal},
		{"type with an empty item", path + q("type", "1,,2", "end_time", end), codeIllegal},
		{"no end_time", path + q("type", "1"), codeEmpty},
		{"end_time in seconds", path + q("type", "1", "end_time", secs(now)), codeIllegal},
		{"start_time in seconds", path + q("type", "1", "start_time", secs(now.Add(-day)), "end_time", end), codeIllegal},
		{"end before start", path + q("type", "1", "start_time", end, "end_time", millis(now.Add(-day))), codeRange},
		{"size 0", path + q("type", "1", "end_time", end, "size", "0"), codeRange},
		{"size 101", path + q("type", "1", "end_time", end, "size", "101"), codeRange},
		{"size a word", path + q("type", "1", "end_time", end, "size", "many"), codeIllegal},
		{"query_type 3", path + q("type", "1", "end_time", end, "query_type", "3"), codeIllegal},
		{"start_row_key not base64", path + q("type", "1", "end_time", end, "start_row_key", "%%%"), codeIllegal},
		{"start_row_key not a row", path + q("type", "1", "end_time", end, "start_row_key", base64.StdEncoding.EncodeToString([]byte("x_y"))), codeIllegal},
		{"last_row_key not a row", path + q("type", "1", "end_time", end, "query_type", "2", "last_row_key", "a_b_c_d"), codeIllegal},
		{"last_event_time a word", path + q("type", "1", "end_time", end, "query_type", "2", "last_event_time", "x"), codeIllegal},
		{"unknown device", "/v1.0/devices/bf00000000000000000000/logs" + q("type", "1", "end_time", end), codeDeviceNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { c.fail(tt.code, "GET", tt.path, nil) })
	}
}
