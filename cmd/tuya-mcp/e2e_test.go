package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// nodeSetUp returns testdata/e2e and the node binary, when node is installed and so is the npm
// package pkg there (by `npm ci`). Without them the test is skipped, except under CI=true, where
// a skipped end-to-end test would hide a broken set-up.
func nodeSetUp(t *testing.T, pkg string) (dir, node string) {
	t.Helper()
	dir = filepath.Join("testdata", "e2e")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(pkg)))
	node, nodeErr := exec.LookPath("node")
	if modErr != nil || nodeErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but the set-up of %s is missing (node: %v; package: %v): run npm ci in %s", pkg, nodeErr, modErr, dir)
		}
		t.Skipf("no node or no %s (run npm ci in %s)", pkg, dir)
	}
	return dir, node
}

// TestE2ETypeScriptSDK drives the binary with the official MCP TypeScript SDK, over stdio and
// Streamable HTTP (testdata/e2e/e2e.mjs). `npm ci` in testdata/e2e installs the SDK; without
// it the test is skipped, except under CI=true, where a skipped end-to-end test would hide a
// broken set-up.
func TestE2ETypeScriptSDK(t *testing.T) {
	dir, node := nodeSetUp(t, "@modelcontextprotocol/sdk")
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e.mjs", binPath)
	cmd.Dir = dir
	cmd.Env = procEnv("E2E_SCALE_ID="+sandbox.DemoScaleID, "E2E_LAMP_ID="+sandbox.DemoLampID)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("e2e: %v", err)
	}
}

// TestTuyaNodeSDK runs the official Tuya Node SDK, unmodified, against the standalone sandbox
// (testdata/e2e/tuya-sdk.mjs): a specification, a command and the new status. Like the
// TypeScript SDK test it needs `npm ci` in testdata/e2e, and fails instead of skipping under
// CI=true.
func TestTuyaNodeSDK(t *testing.T) {
	dir, node := nodeSetUp(t, "@tuya/tuya-connector-nodejs")
	t.Parallel()
	p := startBin(t, "sandbox", "--listen", "127.0.0.1:0")
	url := p.url(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "tuya-sdk.mjs")
	cmd.Dir = dir
	cmd.Env = procEnv("TUYA_ENDPOINT="+url, "TUYA_ACCESS_ID="+sandbox.DemoAccessID,
		"TUYA_ACCESS_SECRET="+sandbox.DemoAccessSecret, "E2E_LAMP_ID="+sandbox.DemoLampID)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("tuya sdk: %v", err)
	}
}
