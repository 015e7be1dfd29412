package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// render turns a result into the tool's answer: structuredContent and the same JSON as text.
// Unless local keys are exposed, every local key is removed from it, at any depth and under any
// spelling (local_key, localKey, LocalKey, local-key), JSON text in string fields included, since
// the cloud's undocumented fields pass through. notes, what decoding Tuya's answer had to leave out, go under "_notes", a name the
// cloud does not use (output schemas allow members they do not declare). Encoding fails only
// for a result that cannot be encoded, which is a bug.
func (e *env) render(res any, notes []string) (*mcp.CallToolResult, error) {
	b, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	redact := !e.exposeLocalKeys && containsFold(b, "local")
	if redact || len(notes) > 0 {
		var tree map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		// Numbers stay as the cloud wrote them, not rounded through float64.
		dec.UseNumber()
		if err := dec.Decode(&tree); err != nil {
			return nil, fmt.Errorf("re-reading the result: %w", err)
		}
		if redact {
			dropLocalKeys(tree)
		}
		if len(notes) > 0 {
			tree["_notes"] = notes
		}
		if b, err = json.Marshal(tree); err != nil {
			return nil, fmt.Errorf("encoding the result: %w", err)
		}
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{mcp.TextContent{Type: mcp.ContentTypeText, Text: string(b)}},
		StructuredContent: json.RawMessage(b),
	}, nil
}

// containsFold reports whether b contains the lower-case ASCII word, in any case.
func containsFold(b []byte, word string) bool {
	for i := 0; i+len(word) <= len(b); i++ {
		if b[i]|0x20 == word[0] && bytes.EqualFold(b[i:i+len(word)], []byte(word)) {
			return true
		}
	}
	return false
}

// dropLocalKeys removes every object member named like a local key from v, at any depth,
// JSON text in strings included: a specification's values document, a Json data point's value.
// It returns v with them removed and whether there were any; a string it changed is returned
// re-encoded, any other value is changed in place.
func dropLocalKeys(v any) (any, bool) {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		if code, ok := x["code"].(string); ok && client.IsLocalKeyName(code) {
			// A data point or status entry named like a local key: {"code":"local_key","value":...}.
			if _, has := x["value"]; has {
				delete(x, "value")
				changed = true
			}
		}
		for k, child := range x {
			if client.IsLocalKeyName(k) {
				delete(x, k)
				changed = true
				continue
			}
			if nv, c := dropLocalKeys(child); c {
				x[k], changed = nv, true
			}
		}
	case []any:
		for i, child := range x {
			if nv, c := dropLocalKeys(child); c {
				x[i], changed = nv, true
			}
		}
	case string:
		return dropLocalKeysInText(x)
	}
	return v, changed
}

// dropLocalKeysInText removes local keys from s when it is a JSON object or array, or a JSON
// string holding one (text encoded twice); other text,
// and JSON without a local key, is returned unchanged.
func dropLocalKeysInText(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "" || t[0] != '{' && t[0] != '[' && t[0] != '"' || !containsFold([]byte(t), "local") {
		return s, false
	}
	var doc any
	dec := json.NewDecoder(strings.NewReader(t))
	dec.UseNumber()
	if dec.Decode(&doc) != nil || dec.More() {
		return s, false
	}
	doc, changed := dropLocalKeys(doc)
	if !changed {
		return s, false
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// The text stays as readable as sent: no \u0026 for "&" or \u003c for "<".
	enc.SetEscapeHTML(false)
	if enc.Encode(doc) != nil {
		return s, false
	}
	return strings.TrimSuffix(b.String(), "\n"), true
}
