package sandbox

import (
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

// TestLogsKeepSecrets checks that a request log names the route and code but never a secret:
// tokens, the access secret, signs, passwords or local keys.
func TestLogsKeepSecrets(t *testing.T) {
	var buf testutil.SyncBuffer
	c := client(t, Options{Logger: zerolog.New(&buf).Level(zerolog.DebugLevel)})
	tr := c.grant()
	const password = "5f4dcc3b5aa765d61d8327deb882cf99"
	c.ok("POST", "/v1.0/apps/"+DemoSchema+"/user", map[string]any{"country_code": "1", "username": "logged", "password": password}, nil)
	c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, nil)
	c.ok("GET", "/v1.0/token/"+tr.RefreshToken, nil, nil)
	c.fail(codeToken, "GET", "/v1.0/devices/"+DemoStripID, nil)
	c.srv.SetFaults(Faults{FailRate: 1})
	c.grant()
	c.fail(codeSystem, "GET", "/v1.0/devices/"+DemoStripID, nil)
	logs := buf.String()
	if !strings.Contains(logs, `"route":"GET /v1.0/devices/{device_id}"`) || !strings.Contains(logs, `"code":1010`) {
		t.Fatalf("logs lack routes or codes:\n%s", logs)
	}
	d, _ := c.srv.Device(DemoStripID)
	for _, secret := range []string{DemoAccessSecret, tr.AccessToken, tr.RefreshToken, c.token, password, d.LocalKey} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs hold the secret %q", secret)
		}
	}
}
