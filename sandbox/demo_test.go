package sandbox

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDemoDeterministic(t *testing.T) {
	a, b := New(Options{Now: newClock().Now}), New(Options{Now: newClock().Now})
	if !bytes.Equal(save(t, a), save(t, b)) {
		t.Fatal("two sandboxes at the same time hold different demo data")
	}
	// Another start time moves the dates, not the ids.
	later := New(Options{Now: func() time.Time { return testEpoch.Add(100 * day) }})
	da, dl := a.Devices(), later.Devices()
	for i := range da {
		if da[i].ID != dl[i].ID || da[i].LocalKey != dl[i].LocalKey || dl[i].ActiveTime-da[i].ActiveTime != int64(100*day/time.Second) {
			t.Fatalf("device %d: %+v vs %+v", i, da[i], dl[i])
		}
	}
	ua, ul := a.Users(DemoSchema), later.Users(DemoSchema)
	for i := range ua {
		if ua[i].UID != ul[i].UID {
			t.Fatalf("user %d: %s vs %s", i, ua[i].UID, ul[i].UID)
		}
	}
}

func TestDemoData(t *testing.T) {
	now := testEpoch
	s := New(Options{Now: newClock().Now})
	devices := s.Devices()
	if len(devices) < 12 {
		t.Fatalf("%d demo devices", len(devices))
	}
	byID := map[string]Device{}
	cats := map[string]bool{}
	perProduct := map[string]int{}
	oldest, newest := now, time.Time{}
	for _, d := range devices {
		byID[d.ID] = d
		cats[d.Category] = true
		perProduct[d.ProductID]++
		at := time.Unix(d.ActiveTime, 0)
		oldest, newest = minTime(oldest, at), maxTime(newest, at)
		if _, ok := s.User(d.UID); !ok || d.LocalKey == "" || len(d.Status) == 0 || d.SN == "" || d.MAC == "" {
			t.Errorf("device %s: %+v", d.ID, d)
		}
	}
	for _, cat := range []string{"wg2", "sj", "mcs", "wsdcg", "pc", "tzc1", "dj", "cz", "sp", "znyxss", "wk", "kt", "cl", "ckmkzq"} {
		if !cats[cat] {
			t.Errorf("no %s device", cat)
		}
	}
	if now.Sub(oldest) > 60*day || now.Sub(oldest) < 30*day || now.Sub(newest) > 30*day {
		t.Errorf("active times from %v to %v", oldest, newest)
	}

	subs := 0
	for _, d := range devices {
		if d.GatewayID == DemoGatewayID {
			subs++
		}
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"gateway has 3+ sub-devices", subs >= 3},
		{"sub-device is the gateway's", byID[DemoSubDeviceID].GatewayID == DemoGatewayID},
		{"strip has 3+ outlets named switch_N", len(s.OutletNames(DemoStripID)) >= 3 && s.OutletNames(DemoStripID)[0].Identifier == "switch_1"},
		{"scale has 2+ device users", len(s.DeviceUsers(DemoScaleID)) >= 2},
		{"scale user is the scale's", slices.ContainsFunc(s.DeviceUsers(DemoScaleID), func(u DeviceUser) bool { return u.UserID == DemoScaleUserID })},
		{"offline device is offline", !byID[DemoOfflineDeviceID].Online},
		{"product has 2+ devices", perProduct[DemoProductID] >= 2},
		{"user owns most devices", countOwned(devices, DemoUserUID) > len(devices)/2},
		{"other user owns devices", countOwned(devices, DemoOtherUserUID) > 0},
		{"other user shares with the user", slices.ContainsFunc(devices, func(d Device) bool {
			return d.UID == DemoOtherUserUID && slices.Contains(d.SharedWith, DemoUserUID)
		})},
		{"other app has devices", slices.ContainsFunc(devices, func(d Device) bool { return d.Schema == OtherSchema })},
		{"home id", byID[DemoStripID].OwnerID == DemoHomeID},
	}
	for _, c := range checks {
		if !c.ok {
			t.Error(c.what)
		}
	}

	users := s.Users(DemoSchema)
	if len(users) < 25 || len(s.Users(OtherSchema)) < 3 {
		t.Errorf("%d demo app users, %d other app users", len(users), len(s.Users(OtherSchema)))
	}
	seen := map[string]bool{}
	inWindow := 0
	for _, u := range append(users, s.Users(OtherSchema)...) {
		if len(u.UID) != 21 || !strings.HasPrefix(u.UID, "ay") || seen[u.UID] {
			t.Errorf("uid %q", u.UID)
		}
		seen[u.UID] = true
		if u.Schema == DemoSchema && u.CreateTime >= now.Add(-30*day).Unix() {
			inWindow++
		}
	}
	if inWindow <= 20 || inWindow == len(users) {
		t.Errorf("%d of %d demo app users in the last 30 days; want more than a page of 20, not all", inWindow, len(users))
	}
}

func countOwned(ds []Device, uid string) int {
	n := 0
	for _, d := range ds {
		if d.UID == uid {
			n++
		}
	}
	return n
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func TestDemoLogs(t *testing.T) {
	s := New(Options{Now: newClock().Now})
	from := testEpoch.Add(-10 * day).UnixMilli()
	for _, d := range s.Devices() {
		logs := s.Logs(d.ID)
		if len(logs) < 60 || len(logs) > 260 {
			t.Errorf("%s: %d logs", d.ID, len(logs))
		}
		types, sources := map[int]bool{}, map[string]bool{}
		for _, l := range logs {
			types[l.EventID] = true
			sources[l.EventFrom] = true
			if l.EventTime < from || l.EventTime > testEpoch.UnixMilli() {
				t.Fatalf("%s: log at %d outside the last 10 days", d.ID, l.EventTime)
			}
			if (l.EventID == eventReport || l.EventID == eventCommand) &&
				!slices.ContainsFunc(d.Status, func(dp DP) bool { return dp.Code == l.Code }) {
				t.Fatalf("%s: log %+v of an unknown data point", d.ID, l)
			}
		}
		if len(types) != 10 || len(sources) != 4 {
			t.Errorf("%s: event types %v, sources %v", d.ID, types, sources)
		}
	}
	if logs := s.Logs(DemoOfflineDeviceID); logs[len(logs)-1].EventID != eventOffline {
		t.Error("the offline device's last event is not going offline")
	}
}

// TestAddLogsMatchesAddLog checks that a batch gets the sequence numbers and the order that
// adding its events one by one gives, whatever the device already holds.
func TestAddLogsMatchesAddLog(t *testing.T) {
	ev := func(ms int64, code string) Log {
		return Log{EventID: eventReport, EventFrom: fromDevice, EventTime: ms, Code: code}
	}
	tests := []struct {
		name            string
		existing, batch []Log
	}{
		{"empty batch", []Log{ev(5, "a")}, nil},
		{"into nothing", nil, []Log{ev(30, "a"), ev(10, "b"), ev(20, "c")}},
		{"same millisecond keeps arrival order", []Log{ev(10, "x")}, []Log{ev(10, "a"), ev(10, "b"), ev(5, "c"), ev(10, "d")}},
		{"interleaved with existing", []Log{ev(10, "x"), ev(30, "y"), ev(50, "z")}, []Log{ev(60, "a"), ev(20, "b"), ev(40, "c"), ev(0, "d")}},
		{"reversed", nil, []Log{ev(5, "a"), ev(4, "b"), ev(3, "c"), ev(2, "d"), ev(1, "e")}},
		{"many, with ties", []Log{ev(7, "x"), ev(70, "y")}, randomLogs(300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one, batch := newStore(), newStore()
			for _, st := range []*store{one, batch} {
				st.addLog("other", ev(1, "o"))
				for _, l := range tt.existing {
					st.addLog("d", l)
				}
			}
			for _, l := range tt.batch {
				one.addLog("d", l)
			}
			batch.addLogs("d", slices.Clone(tt.batch))
			if !slices.Equal(one.Logs["d"], batch.Logs["d"]) || one.LogSeq != batch.LogSeq {
				t.Errorf("addLogs gave %+v (seq %d), addLog one by one %+v (seq %d)", batch.Logs["d"], batch.LogSeq, one.Logs["d"], one.LogSeq)
			}
		})
	}
}

// randomLogs returns n events at random milliseconds from a small range, so that many share one.
func randomLogs(n int) []Log {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]Log, n)
	for i := range out {
		out[i] = Log{EventID: eventReport, EventFrom: fromDevice, EventTime: rng.Int64N(100), Code: strconv.Itoa(i)}
	}
	return out
}
