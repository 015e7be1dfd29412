// Package reflector generates the tools' JSON schemas from their Go types. Only the generator
// (cmd/schemagen) and the drift test in schemas/ use it: the server serves the generated files,
// embedded.
package reflector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// Files returns the content of every schema file by name: <tool>.input.json and
// <tool>.output.json, indented, with a trailing newline.
func Files() (map[string][]byte, error) {
	ts, err := tools.CatalogueTypes()
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, 2*len(ts))
	for _, t := range ts {
		for suffix, typ := range map[string]reflect.Type{".input.json": t.Input, ".output.json": t.Output} {
			raw, err := schema(typ)
			if err != nil {
				return nil, fmt.Errorf("reflector: %s%s: %w", t.Name, suffix, err)
			}
			var b bytes.Buffer
			if err := json.Indent(&b, raw, "", "  "); err != nil {
				return nil, fmt.Errorf("reflector: %s%s: %w", t.Name, suffix, err)
			}
			b.WriteByte('\n')
			out[t.Name+suffix] = b.Bytes()
		}
	}
	return out, nil
}

// Write writes the schema files into dir and removes the schema files of tools that no longer
// exist.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, path := range old {
		stale := strings.HasSuffix(path, ".input.json") || strings.HasSuffix(path, ".output.json")
		if _, ok := files[filepath.Base(path)]; !ok && stale {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// schema returns the inline JSON Schema of struct type t, in the portable subset every major
// model provider accepts: no $schema, $id, $ref or $defs, and no additionalProperties (unknown
// arguments are refused by the tools' decoder with a better message than a schema validator's).
func schema(t reflect.Type) (json.RawMessage, error) {
	r := jsonschema.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		Anonymous:                  true,
		RequiredFromJSONSchemaTags: true,
		AllowAdditionalProperties:  true,
	}
	var bad error
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		s, err := mapType(t)
		if err != nil && bad == nil {
			bad = err
		}
		return s
	}
	s := r.ReflectFromType(t)
	if bad != nil {
		return nil, bad
	}
	s.Version = ""
	s.ID = ""
	if s.Type != "object" {
		return nil, fmt.Errorf("schema of %s has type %q, want object", t, s.Type)
	}
	return json.Marshal(s)
}

// anyJSON is one schema per JSON type: as the branches of anyOf, any value.
func anyJSON() []*jsonschema.Schema {
	var out []*jsonschema.Schema
	for _, t := range []string{"boolean", "number", "string", "object", "array", "null"} {
		out = append(out, &jsonschema.Schema{Type: t})
	}
	return out
}

// rawSchema is implemented by the tools' argument types that parse their own values and say
// what their schema is.
type rawSchema interface {
	JSONSchemaRaw() json.RawMessage
}

// mapType supplies the schemas of argument types that describe themselves, and of client types
// that results embed and that cannot carry tags. Nil means reflect t.
func mapType(t reflect.Type) (*jsonschema.Schema, error) {
	if t == reflect.TypeFor[client.DP]() {
		props := jsonschema.NewProperties()
		props.Set("code", &jsonschema.Schema{Type: "string", Description: "Data point code."})
		// A data point value is kept as the device reported it, of any JSON type. anyOf with one
		// type per branch says so: a type array is not portable, and a schema without type
		// constrains nothing (both are warnings of the MCP Inspector's strict lint).
		props.Set("value", &jsonschema.Schema{AnyOf: anyJSON()})
		props.Set("type", &jsonschema.Schema{Type: "string"})
		// Nothing is required: a field the cloud did not send stays absent.
		return &jsonschema.Schema{Type: "object", Properties: props}, nil
	}
	rs, ok := reflect.Zero(t).Interface().(rawSchema)
	if !ok {
		return nil, nil
	}
	var s jsonschema.Schema
	if err := json.Unmarshal(rs.JSONSchemaRaw(), &s); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", t, err)
	}
	return &s, nil
}
