package tools_test

import (
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"

	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// conformanceStack starts a fresh stack of every tool, as tooltest.Run expects.
func conformanceStack(t *testing.T) *tooltest.Stack {
	return tooltest.NewStack(t, tooltest.StackOptions{Tools: tools.Options{Version: "test"}})
}

func TestConformanceInProcess(t *testing.T) {
	st := conformanceStack(t)
	tooltest.Run(t, st.Connect(t), st.Sandbox)
}

func TestConformanceStreamableHTTP(t *testing.T) {
	st := conformanceStack(t)
	c, err := mcpclient.NewStreamableHttpClient(st.HTTP.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	tooltest.Initialize(t, c, "")
	tooltest.Run(t, c, st.Sandbox)
}

// TestConformanceWithoutInspection runs the cases as a test that cannot reach the sandbox's Go
// API does (one embedded in another process).
func TestConformanceWithoutInspection(t *testing.T) {
	tooltest.Run(t, conformanceStack(t).Connect(t), nil)
}
