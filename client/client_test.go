package client

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	base := Config{AccessID: "id", AccessSecret: "secret", Endpoint: "https://openapi.tuyaeu.com"}
	tests := []struct {
		name     string
		mod      func(*Config)
		wantErr  string // substring; "" for success
		wantBase string
	}{
		{name: "defaults", wantBase: "https://openapi.tuyaeu.com"},
		{name: "trailing slash trimmed", mod: func(c *Config) { c.Endpoint = "http://127.0.0.1:8080/" }, wantBase: "http://127.0.0.1:8080"},
		{name: "proxy prefix kept", mod: func(c *Config) { c.Endpoint = "https://proxy.example/tuya/" }, wantBase: "https://proxy.example/tuya"},
		{name: "all missing", mod: func(c *Config) { *c = Config{} }, wantErr: "AccessID, AccessSecret, Endpoint required"},
		{name: "blank secret", mod: func(c *Config) { c.AccessSecret = "  " }, wantErr: "AccessSecret required"},
		{name: "not http", mod: func(c *Config) { c.Endpoint = "ftp://x" }, wantErr: "http or https"},
		{name: "no host", mod: func(c *Config) { c.Endpoint = "https://" }, wantErr: "http or https"},
		{name: "relative", mod: func(c *Config) { c.Endpoint = "openapi.tuyaeu.com" }, wantErr: "http or https"},
		{name: "unparsable", mod: func(c *Config) { c.Endpoint = "http://[::1" }, wantErr: "not a URL"},
		{name: "query", mod: func(c *Config) { c.Endpoint = "https://x/?a=1" }, wantErr: "query"},
		{name: "negative timeout", mod: func(c *Config) { c.RequestTimeout = -time.Second }, wantErr: "negative"},
		{name: "negative rate-limit budget", mod: func(c *Config) { c.MaxRateLimited = -1 }, wantErr: "negative"},
		{name: "negative rate limit", mod: func(c *Config) { c.RateLimit = -1 }, wantErr: "negative"},
		{name: "negative retry budget", mod: func(c *Config) { c.RetryBudget = -1 }, wantErr: "negative"},
		{name: "negative rate-limit window", mod: func(c *Config) { c.RateLimitWindow = -time.Second }, wantErr: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			if tt.mod != nil {
				tt.mod(&cfg)
			}
			c, err := New(cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") && cfg.AccessSecret != "" && strings.Contains(err.Error(), cfg.AccessSecret) {
					t.Fatalf("error %q shows the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.baseURL; got != tt.wantBase {
				t.Fatalf("base = %q, want %q", got, tt.wantBase)
			}
			if c.cfg.RequestTimeout != DefaultRequestTimeout || c.cfg.MaxAttempts != DefaultMaxAttempts || c.cfg.MaxRateLimited != DefaultMaxRateLimited ||
				c.cfg.RetryBaseDelay != DefaultRetryBaseDelay || c.cfg.RetryMaxDelay != DefaultRetryMaxDelay || c.cfg.Now == nil || c.hc == nil {
				t.Fatalf("defaults not filled: %+v", c.cfg)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	want := map[string]string{
		"cn": "https://openapi.tuyacn.com", "us": "https://openapi.tuyaus.com",
		"us-e": "https://openapi-ueaz.tuyaus.com", "eu": "https://openapi.tuyaeu.com",
		"eu-w": "https://openapi-weaz.tuyaeu.com", "in": "https://openapi.tuyain.com",
		"sg": "https://openapi-sg.iotbing.com",
	}
	names := RegionNames()
	if len(names) != len(want) {
		t.Fatalf("RegionNames = %v", names)
	}
	for _, n := range names {
		for _, spelling := range []string{n, strings.ToUpper(n), " " + n + " "} {
			got, err := RegionEndpoint(spelling)
			if err != nil || got != want[n] {
				t.Fatalf("RegionEndpoint(%q) = %q, %v; want %q", spelling, got, err, want[n])
			}
		}
		if _, err := New(Config{AccessID: "i", AccessSecret: "s", Endpoint: want[n]}); err != nil {
			t.Fatalf("New rejects %s: %v", want[n], err)
		}
	}
	names[0] = "changed"
	if RegionNames()[0] != "cn" {
		t.Fatal("RegionNames exposes the table")
	}
	for _, bad := range []string{"", "eu-e", "europe"} {
		if _, err := RegionEndpoint(bad); err == nil || !strings.Contains(err.Error(), "eu-w") {
			t.Fatalf("RegionEndpoint(%q) err = %v, want one listing the names", bad, err)
		}
	}
}

func TestErrorMatching(t *testing.T) {
	ae := &APIError{Code: 2010, Msg: "device not exist", Tid: "t1", Method: "GET", Path: "/v1.0/devices/{device_id}"}
	if got, want := ae.Error(), "Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id} (tid t1)"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	wrapped := fmt.Errorf("tool: %w", ae)
	if !IsCode(wrapped, CodeDeviceNotExist) || IsCode(wrapped, CodeUserNotExist) || IsCode(errors.New("x"), 0) || IsCode(nil, 0) {
		t.Fatal("IsCode")
	}
	unknown := &outcomeUnknownError{method: "POST", route: "/r", err: &APIError{Code: 500}}
	if !errors.Is(unknown, ErrOutcomeUnknown) || !IsCode(unknown, CodeSystemError) || !strings.Contains(unknown.Error(), "Tuya error 500") {
		t.Fatalf("outcome unknown error %q does not match both", unknown)
	}
	he := &HTTPError{StatusCode: 502, Reason: "the answer is not a Tuya envelope", Method: "GET", Path: "/r"}
	if got := he.Error(); got != "client: GET /r: HTTP 502 Bad Gateway: the answer is not a Tuya envelope" {
		t.Fatalf("HTTPError = %q", got)
	}
}
