package sandbox

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentClients runs 100 clients at once, reading and writing, while the faults
// change and the state is saved and inspected; run it with -race.
func TestConcurrentClients(t *testing.T) {
	srv, clk := start(t, Options{})
	const clients, rounds = 100, 8
	var added, synced atomic.Int64
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			c := newTC(t, srv, clk)
			c.grant()
			for r := range rounds {
				switch (i + r) % 6 {
				case 0:
					c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, nil)
				case 1:
					c.ok("GET", "/v1.0/devices"+q("page_no", "1", "page_size", "5", "schema", DemoSchema), nil, nil)
				case 2:
					c.ok("PUT", "/v1.0/devices/"+DemoStripID, map[string]string{"name": fmt.Sprintf("Strip %d", i)}, nil)
				case 3:
					var id string
					c.ok("POST", "/v1.0/devices/"+DemoScaleID+"/user", map[string]any{"nick_name": "C", "sex": 1}, &id)
					added.Add(1)
				case 4:
					c.ok("POST", "/v1.0/apps/"+DemoSchema+"/user", map[string]any{"country_code": "1",
						"username": fmt.Sprintf("c%d-%d", i, r), "password": md5Hex}, nil)
					synced.Add(1)
				case 5:
					c.ok("GET", "/v1.0/devices/"+DemoStripID+"/logs"+q("type", "7", "end_time", millis(clk.Now())), nil, nil)
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			srv.SetFaults(Faults{TokenTTL: 0})
			_ = srv.Stats()
			_ = srv.Devices()
			if err := srv.Save(io.Discard); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if got := int64(len(srv.DeviceUsers(DemoScaleID))) - 3; got != added.Load() {
		t.Errorf("%d device users added, %d answered", got, added.Load())
	}
	if got := int64(len(srv.Users(DemoSchema))) - 30; got != synced.Load() {
		t.Errorf("%d users synced, %d answered", got, synced.Load())
	}
	if st := srv.Stats(); st.Requests != clients*(rounds+1) || st.TokenGrants != clients {
		t.Errorf("stats %+v", st)
	}
}
