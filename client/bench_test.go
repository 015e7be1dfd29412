package client

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// BenchmarkSandboxGetDevice measures a signed, decoded call over loopback keep-alive, sandbox
// included.
func BenchmarkSandboxGetDevice(b *testing.B) {
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := New(Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.GetDevice(b.Context(), sandbox.DemoStripID); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(srv.Stats().Connections), "conns")
	b.ReportMetric(float64(srv.Stats().TokenGrants), "grants")
}

func BenchmarkSign(b *testing.B) {
	o, err := newOp("GET", "/v1.0/devices/{device_id}/logs", "bf123")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sign(fakeSecret, fakeID, "tok", "1700000000000", newNonce(), stringToSign("GET", nil, o.path, nil))
	}
}
