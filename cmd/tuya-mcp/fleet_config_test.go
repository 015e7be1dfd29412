package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFleetFlags: the token store's default depends on the command; flags beat the
// environment; bad values are usage errors that never echo a Redis password.
func TestFleetFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		store    string
		rate     int
		metrics  string
		wantErr  string
		notInErr string
	}{
		{name: "stdio shares on this machine", args: []string{"stdio"}, env: creds(), store: "file"},
		{name: "call shares on this machine", args: []string{"call", "device_list"}, env: creds(), store: "file"},
		{name: "http keeps the token in the process", args: []string{"http"}, env: creds(), store: "memory"},
		{name: "environment", args: []string{"http"}, env: creds("TUYA_MCP_TOKEN_STORE=redis://r:6379/2", "TUYA_MCP_RATE_LIMIT=50",
			"TUYA_MCP_METRICS_LISTEN=127.0.0.1:9100"), store: "redis://r:6379/2", rate: 50, metrics: "127.0.0.1:9100"},
		{name: "flags beat the environment", args: []string{"stdio", "--token-store", "file:/tmp/x", "--rate-limit", "7"},
			env: creds("TUYA_MCP_TOKEN_STORE=memory", "TUYA_MCP_RATE_LIMIT=50"), store: "file:/tmp/x", rate: 7},
		{name: "rediss", args: []string{"http", "--token-store", "rediss://u:p@r:6380/0"}, env: creds(), store: "rediss://u:p@r:6380/0"},
		{name: "unknown store", args: []string{"http", "--token-store", "etcd://u:hunter2@x"}, env: creds(),
			wantErr: "--token-store", notInErr: "hunter2"},
		{name: "negative rate", args: []string{"stdio", "--rate-limit", "-1"}, env: creds(), wantErr: "--rate-limit"},
		{name: "rate not a number", args: []string{"stdio"}, env: creds("TUYA_MCP_RATE_LIMIT=fast"), wantErr: "TUYA_MCP_RATE_LIMIT"},
		{name: "no metrics for call", args: []string{"call", "--metrics-listen", ":9100", "device_list"}, env: creds(), wantErr: "metrics-listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, tt.env)
			if tt.wantErr != "" {
				var ue *usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a usage error about %s", err, tt.wantErr)
				}
				if tt.notInErr != "" && strings.Contains(err.Error(), tt.notInErr) {
					t.Fatalf("the error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.TokenStore != tt.store || c.RateLimit != tt.rate || c.MetricsListen != tt.metrics {
				t.Fatalf("store %q rate %d metrics %q; want %q %d %q", c.TokenStore, c.RateLimit, c.MetricsListen, tt.store, tt.rate, tt.metrics)
			}
		})
	}
}

// TestStoreDir: a file store's directory is absolute: ~ and ~/... in the home directory, a
// relative one from the current directory; ~user is refused rather than taken literally.
func TestStoreDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want, wantErr string }{
		{in: "~", want: home},
		{in: "~/x/y", want: filepath.Join(home, "x", "y")},
		{in: "rel/dir", want: filepath.Join(cwd, "rel", "dir")},
		{in: "./d/../e", want: filepath.Join(cwd, "e")},
		{in: "/abs/d", want: "/abs/d"},
		{in: "~bob/x", wantErr: "~user is not expanded"},
	}
	for _, tt := range tests {
		got, err := storeDir(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: %q, %v; want an error about %s", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
