package bench_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// BenchmarkStartup measures the work a `tuya-mcp --sandbox` does before it can answer: the
// tools' catalogue with their embedded schemas and argument metadata (tools.Catalogue), the
// server (which builds the catalogue too), the sandbox's demo data, and all of it with the
// sandbox listening and the first exchange answered (initialize and tools/list, replies
// encoded): the in-process part of a cold start.
func BenchmarkStartup(b *testing.B) {
	b.Run("tools.Catalogue", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(tools.Catalogue()) == 0 {
				b.Fatal("empty catalogue")
			}
		}
	})
	b.Run("tools.NewServer", func(b *testing.B) {
		c, err := client.New(client.Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: "http://127.0.0.1:1"})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tools.NewServer(c, tools.Options{DefaultSchema: sandbox.DemoSchema}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sandbox.New", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			// New builds the demo data on another goroutine; the first look waits for it.
			if _, ok := sandbox.New(sandbox.Options{}).Device(sandbox.DemoStripID); !ok {
				b.Fatal("no demo data")
			}
		}
	})
	b.Run("first-exchange", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			sb, err := sandbox.Start(sandbox.Options{})
			if err != nil {
				b.Fatal(err)
			}
			c, err := client.New(client.Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: sb.URL})
			if err != nil {
				b.Fatal(err)
			}
			srv, err := tools.NewServer(c, tools.Options{DefaultSchema: sandbox.DemoSchema})
			if err != nil {
				b.Fatal(err)
			}
			for _, line := range []string{initializeLine, initializedLine, toolsListLine} {
				if resp := srv.HandleMessage(ctx, json.RawMessage(line)); resp != nil {
					if _, err := json.Marshal(resp); err != nil {
						b.Fatal(err)
					}
				}
			}
			sb.Close()
		}
	})
}
