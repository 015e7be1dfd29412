package tools

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// inspectorLint reimplements the MCP Inspector's schema lint (@modelcontextprotocol/inspector
// 2.12.0, core/json/schemaLint.ts), which `--cli --method tools/list --strict` reports: a bare
// boolean where a schema object is expected (error), a type array (warning), a $ref outside the
// document (warning), and a schema with no validation keyword (warning). The real CLI needs
// Node.js 22.19 and pulls in a web UI's dependencies, so the rules are ported here, walking the
// same subschema keywords. (Its lint module, run alone under Node on schemas/, agrees: the five
// typeless data point values before they became anyOf, nothing since.)
func inspectorLint(raw json.RawMessage) []string {
	var root any
	if err := json.Unmarshal(raw, &root); err != nil {
		return []string{err.Error()}
	}
	var findings []string
	// A document that declares an $id anywhere may resolve a remote-looking $ref itself.
	embedsIDs := strings.Contains(string(raw), `"$id"`)
	var walk func(node any, path, keyword string, depth int)
	walk = func(node any, path, keyword string, depth int) {
		if depth > 64 {
			return
		}
		if _, ok := node.(bool); ok {
			if !slices.Contains(lintBooleanValued, keyword) {
				findings = append(findings, path+": boolean-schema")
			}
			return
		}
		s, ok := node.(map[string]any)
		if !ok {
			return
		}
		if ts, ok := s["type"].([]any); ok && portableUnion(ts) {
			findings = append(findings, path+": type-union")
		}
		if ref, ok := s["$ref"].(string); ok && ref != "" && !strings.HasPrefix(ref, "#") && !embedsIDs {
			findings = append(findings, path+": remote-ref")
		}
		constrains := slices.ContainsFunc(slices.Collect(maps.Keys(s)), func(k string) bool { return slices.Contains(lintConstraining, k) })
		_, hasIf := s["if"]
		_, hasThen := s["then"]
		_, hasElse := s["else"]
		if !constrains && !(hasIf && (hasThen || hasElse)) && keyword != "not" {
			findings = append(findings, path+": untyped-schema")
		}
		for _, k := range lintSubschemaMaps {
			if m, ok := s[k].(map[string]any); ok {
				for name, sub := range m {
					walk(sub, path+"."+k+"."+name, k, depth+1)
				}
			}
		}
		for _, k := range lintSubschemaArrays {
			if a, ok := s[k].([]any); ok {
				for i, sub := range a {
					walk(sub, fmt.Sprintf("%s.%s[%d]", path, k, i), k, depth+1)
				}
			}
		}
		for _, k := range lintSubschemas {
			v, ok := s[k]
			if !ok {
				continue
			}
			if a, isArray := v.([]any); isArray && k == "items" {
				for i, sub := range a {
					walk(sub, fmt.Sprintf("%s.%s[%d]", path, k, i), k, depth+1)
				}
				continue
			}
			walk(v, path+"."+k, k, depth+1)
		}
	}
	walk(root, "$", "", 0)
	return findings
}

// portableUnion reports whether a type array is one the Inspector warns about: non-empty,
// distinct JSON Schema type names only.
func portableUnion(ts []any) bool {
	seen := map[string]bool{}
	for _, v := range ts {
		name, ok := v.(string)
		if !ok || seen[name] || !slices.Contains([]string{"null", "boolean", "object", "array", "number", "string", "integer"}, name) {
			return false
		}
		seen[name] = true
	}
	return len(ts) > 0
}

// The Inspector's keyword lists, as in schemaLint.ts.
var (
	lintBooleanValued = []string{"additionalProperties", "unevaluatedProperties", "additionalItems", "unevaluatedItems"}
	lintSubschemas    = []string{"items", "contains", "not", "propertyNames", "if", "then", "else", "additionalProperties",
		"unevaluatedProperties", "additionalItems", "unevaluatedItems", "contentSchema"}
	lintSubschemaArrays = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
	lintSubschemaMaps   = []string{"properties", "patternProperties", "dependentSchemas", "dependencies", "$defs", "definitions"}
	lintConstraining    = []string{"type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
		"exclusiveMinimum", "maxLength", "minLength", "pattern", "format", "contentMediaType", "contentEncoding",
		"contentSchema", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
		"minProperties", "required", "dependentRequired", "allOf", "anyOf", "oneOf", "not", "items", "prefixItems",
		"contains", "additionalItems", "unevaluatedItems", "properties", "patternProperties", "additionalProperties",
		"unevaluatedProperties", "propertyNames", "dependentSchemas", "dependencies", "$ref", "$dynamicRef", "$recursiveRef"}
)

// TestInspectorStrictLint: the Inspector's --strict schema lint finds nothing in any tool's
// input or output schema.
func TestInspectorStrictLint(t *testing.T) {
	for _, info := range Catalogue() {
		for _, f := range inspectorLint(info.InputSchema) {
			t.Errorf("%s inputSchema %s", info.Name, f)
		}
		for _, f := range inspectorLint(info.OutputSchema) {
			t.Errorf("%s outputSchema %s", info.Name, f)
		}
	}
}

// TestInspectorLintCatches: each rule fires where the Inspector's does, and not where it does not.
func TestInspectorLintCatches(t *testing.T) {
	tests := []struct {
		schema string
		want   []string
	}{
		{`{"type":"object","properties":{"a":{"description":"any"}}}`, []string{"$.properties.a: untyped-schema"}},
		{`{"type":"object","properties":{"a":{"type":["string","null"]}}}`, []string{"$.properties.a: type-union"}},
		{`{"type":"object","properties":{"a":true}}`, []string{"$.properties.a: boolean-schema"}},
		{`{"type":"object","properties":{"a":{"$ref":"https://x/y.json"}}}`, []string{"$.properties.a: remote-ref"}},
		{`{"type":"object","$id":"https://x/","properties":{"a":{"$ref":"y.json"}}}`, nil},
		{`{"type":"object","properties":{"a":{"type":["string","string"]}}}`, nil},
		{`{"type":"array","items":{"anyOf":[{"type":"string"},{}]}}`, []string{"$.items.anyOf[1]: untyped-schema"}},
		{`{"type":"object","additionalProperties":true,"properties":{"a":{"if":{"type":"string"}}}}`,
			[]string{"$.properties.a: untyped-schema"}},
		{`{"not":{}}`, nil},
		{`{"type":"object","properties":{"a":{"if":{"type":"string"},"then":{"minLength":1}},"b":{"$ref":"#/x"}}}`, nil},
		{`{"type":"object","properties":{"a":{"anyOf":[{"type":"boolean"},{"type":"number"},{"type":"string"}]}}}`, nil},
	}
	for _, tt := range tests {
		got := inspectorLint(json.RawMessage(tt.schema))
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("inspectorLint(%s) = %q, want %q", tt.schema, got, tt.want)
		}
	}
}
