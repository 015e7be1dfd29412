package bench_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// fleetClient is a client of sb with the given store and rate budget, as one replica.
func fleetClient(tb testing.TB, sb *sandbox.Server, store *client.TokenStore, rate int) *client.Client {
	tb.Helper()
	c, err := client.New(client.Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret,
		Endpoint: sb.URL, TokenStore: store, RateLimit: rate})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.CloseIdleConnections)
	return c
}

func openStore(tb testing.TB, spec string) *client.TokenStore {
	tb.Helper()
	st, err := client.OpenTokenStore(spec, client.StoreOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkTokenStore is the per-call cost of sharing: one device_get with the token in memory,
// in Redis (kept in memory once read: no round trip), and with a rate budget in the process or
// in Redis (one round trip per request). The budget is far above the rate reached, so nothing
// waits: the difference is the bookkeeping.
func BenchmarkTokenStore(b *testing.B) {
	rs := testutil.StartRedis(b)
	const noWait = 1 << 20
	ways := []struct {
		name  string
		store string
		rate  int
	}{
		{"memory", "memory", 0},
		{"redis", rs.URL(), 0},
		{"memory+rate", "memory", noWait},
		{"redis+rate", rs.URL(), noWait},
	}
	for _, w := range ways {
		b.Run(w.name, func(b *testing.B) {
			sb, err := sandbox.Start(sandbox.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { sb.Close() })
			c := fleetClient(b, sb, openStore(b, w.store), w.rate)
			ctx := context.Background()
			if _, err := c.GetDevice(ctx, sandbox.DemoStripID); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetDevice(ctx, sandbox.DemoStripID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFleetThroughput: three replicas sharing Redis, 24 callers, in front of a cloud that
// refuses above 60 calls a second. Without a budget each replica sends what it can and the
// cloud refuses the excess with 1110 (retried later); with a shared budget of 50 per second
// the fleet stays under the limit. Reported: calls a second, and 1110 answers per call.
func BenchmarkFleetThroughput(b *testing.B) {
	rs := testutil.StartRedis(b)
	for _, w := range []struct {
		name string
		rate int
	}{{"no-budget", 0}, {"shared-budget-50", 50}} {
		b.Run(w.name, func(b *testing.B) {
			sb, err := sandbox.Start(sandbox.Options{Faults: sandbox.Faults{QPS: 60}})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { sb.Close() })
			store := openStore(b, rs.URL())
			var cs []*client.Client
			for range 3 {
				cs = append(cs, fleetClient(b, sb, store, w.rate))
			}
			const callers, perCaller = 24, 10
			var calls, failed atomic.Int64
			start := time.Now()
			for b.Loop() {
				var wg sync.WaitGroup
				for i := range callers {
					wg.Go(func() {
						for range perCaller {
							ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
							_, err := cs[i%3].GetDevice(ctx, sandbox.DemoStripID)
							cancel()
							calls.Add(1)
							if err != nil {
								failed.Add(1)
							}
						}
					})
				}
				wg.Wait()
			}
			secs := time.Since(start).Seconds()
			st := sb.Stats()
			b.ReportMetric(float64(calls.Load())/secs, "calls/s")
			b.ReportMetric(float64(st.Rejected[client.CodeConcurrentLimit])/float64(calls.Load()), "1110/call")
			b.ReportMetric(float64(failed.Load())/float64(calls.Load()), "failed/call")
		})
	}
}
