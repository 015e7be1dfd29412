package main

import (
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// TestConformance runs the conformance cases of every tool through the built binary, over
// each transport, against a sandbox in this process (so that the cases can also inspect its
// state) and against the binary's own --sandbox.
func TestConformance(t *testing.T) {
	connect := map[string]func(t *testing.T, args []string) *mcpclient.Client{
		"stdio": func(t *testing.T, args []string) *mcpclient.Client {
			c, err := mcpclient.NewStdioMCPClient(binPath, procEnv(), args...)
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		"http": func(t *testing.T, args []string) *mcpclient.Client {
			const token = "conformance-token"
			p := startBin(t, append([]string{"http", "--listen", "127.0.0.1:0", "--http-token", token}, args...)...)
			c, err := mcpclient.NewStreamableHttpClient(p.url(t),
				transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token}))
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	}
	for name, open := range connect {
		t.Run(name+"/endpoint", func(t *testing.T) {
			t.Parallel()
			srv := startSandbox(t, sandbox.Options{})
			c := open(t, demoCloud(srv.URL))
			t.Cleanup(func() { c.Close() })
			tooltest.Initialize(t, c, "")
			tooltest.Run(t, c, srv)
		})
		t.Run(name+"/builtin-sandbox", func(t *testing.T) {
			t.Parallel()
			c := open(t, []string{"--sandbox"})
			t.Cleanup(func() { c.Close() })
			tooltest.Initialize(t, c, "")
			tooltest.Run(t, c, nil)
		})
	}
}
