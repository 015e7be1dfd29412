package bench_test

import (
	"context"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/bench"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

func TestToolsListBudget(t *testing.T) {
	s := newStack(t)
	ls, err := listTools(context.Background(), s.srv)
	if err != nil {
		t.Fatal(err)
	}
	cat := tools.Catalogue()
	if len(ls.tools) != len(cat) {
		t.Errorf("tools/list lists %d tools, the catalogue %d", len(ls.tools), len(cat))
	}
	sum := 0
	for _, ts := range ls.tools {
		sum += ts.bytes
		if ts.out == 0 {
			t.Errorf("%s has no output schema", ts.name)
		}
	}
	if sum >= ls.reply {
		t.Errorf("the tools add up to %d bytes, more than the whole reply (%d)", sum, ls.reply)
	}
	// The budget grows with the catalogue by an average per tool; a tool that takes the reply
	// over it shortens its own description or another's (CONTRIBUTING.md, "Adding a tool").
	if budget := len(cat) * bench.TargetToolsListBytesPerTool; ls.reply > budget {
		t.Errorf("tools/list reply is %d bytes, over the budget of %d (%d tools, %d bytes a tool)",
			ls.reply, budget, len(cat), bench.TargetToolsListBytesPerTool)
	}
	t.Logf("tools/list: %d bytes, ~%d tokens", ls.reply, ls.reply/4)
}

// TestNetworkEconomy checks that the tool calls share one token and reuse connections, as the
// network-economy benchmark reports at a larger scale.
func TestNetworkEconomy(t *testing.T) {
	const seq, burst = 200, 100
	e, err := measureEconomy(t, seq, burst)
	if err != nil {
		t.Fatal(err)
	}
	if e.seqGrants != 1 || e.burstGrants != 1 {
		t.Errorf("token grants: %d after %d sequential calls, %d after %d concurrent first calls; want 1 and 1",
			e.seqGrants, seq, e.burstGrants, burst)
	}
	// net/http drops a keep-alive connection whose write it did not see finish within 50 ms, which
	// a loaded machine can cause now and then; a client that fails to reuse connections opens one
	// per call, far above this bound.
	maxConns := int64(1 + seq/100)
	if e.seqConns < 1 || e.seqConns > maxConns {
		t.Errorf("%d sequential calls opened %d connections, want 1 to %d", seq, e.seqConns, maxConns)
	}
	if e.burstConns > burst+1 {
		t.Errorf("%d concurrent calls opened %d connections, want at most %d", burst, e.burstConns, burst+1)
	}
	if e.reuseConns > int64(seq/100) {
		t.Errorf("%d sequential calls after the burst opened %d new connections, want at most %d", seq, e.reuseConns, seq/100)
	}
}
