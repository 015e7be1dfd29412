package tools_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// TestLocalKeysNeverInAnswers: a local key the cloud sends where the tool does not expect it,
// under any spelling, in a value left out (quoted by no note), in a status entry named like
// one, or in JSON text encoded twice, shows in no answer of a server that hides local keys.
func TestLocalKeysNeverInAnswers(t *testing.T) {
	ce := startControl(t, tools.Options{})
	spellings := []string{"local_key", "localKey", "LocalKey", "local-key", "devLocalKey", "localKeys", "local_key_v2"}
	id := sandbox.DemoLampID
	type call struct {
		tool, suffix string
		args         map[string]any
		// answer makes the result for a spelling and a secret.
		answer func(k, secret string) string
	}
	calls := []call{
		{"device_get", "/devices/" + id, map[string]any{"device_id": id},
			func(k, s string) string { return fmt.Sprintf(`{"id":%q,%q:{"v":%q}}`, id, k, s) }},
		{"device_get", "/devices/" + id, map[string]any{"device_id": id},
			func(k, s string) string { return fmt.Sprintf(`{"id":%q,"status":{%q:%q}}`, id, k, s) }},
		{"device_get", "/devices/" + id, map[string]any{"device_id": id},
			func(k, s string) string { return fmt.Sprintf(`{"id":%q,"name":[{%q:%q}],%q:[%q]}`, id, k, s, k, s) }},
		{"device_status_get", "/status", map[string]any{"device_id": id},
			func(k, s string) string { return fmt.Sprintf(`[{"code":%q,"value":%q},{%q:%q}]`, k, s, k, s) }},
		{"device_status_get", "/status", map[string]any{"device_id": id},
			func(k, s string) string { return fmt.Sprintf(`{%q:%q}`, k, s) }},
		{"device_get", "/devices/" + id, map[string]any{"device_id": id},
			func(k, s string) string {
				// A JSON string holding the JSON text of a string holding JSON.
				inner := fmt.Sprintf(`{%q:%q}`, k, s)
				twice := fmt.Sprintf("%q", inner)
				return fmt.Sprintf(`{"id":%q,"ext":%q}`, id, twice)
			}},
	}
	for i, c := range calls {
		for j, k := range spellings {
			secret := fmt.Sprintf("SEC%dx%dZ", i, j)
			body := c.answer(k, secret)
			f := func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, c.suffix) {
					return false
				}
				envelope(w, `"success":true,"result":`+body)
				return true
			}
			ce.intercept.Store(&f)
			res, err := callWithin(ce.c, 20*time.Second, c.tool, c.args)
			if err != nil {
				t.Fatalf("%s %s: %v", c.tool, body, err)
			}
			if text := tools.ResultText(res); strings.Contains(text, secret) {
				t.Errorf("%s answered %s: the local key shows: %s", c.tool, body, text)
			}
		}
	}
	ce.intercept.Store(nil)
}
