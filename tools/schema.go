package tools

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/invopop/jsonschema"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// reflectSchema returns the inline JSON Schema of struct type t, in the portable subset every
// major model provider accepts: no $schema, $id, $ref or $defs, and no additionalProperties
// (unknown arguments are refused by decodeArgs with a better message than a schema validator's).
func reflectSchema(t reflect.Type) (json.RawMessage, error) {
	r := jsonschema.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		Anonymous:                  true,
		RequiredFromJSONSchemaTags: true,
		AllowAdditionalProperties:  true,
		Mapper:                     mapType,
	}
	s := r.ReflectFromType(t)
	s.Version = ""
	s.ID = ""
	if s.Type != "object" {
		return nil, fmt.Errorf("tools: schema of %s has type %q, want object", t, s.Type)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("tools: schema of %s: %w", t, err)
	}
	return b, nil
}

// mapType supplies schemas for client types that results embed and that cannot carry tags.
func mapType(t reflect.Type) *jsonschema.Schema {
	if t != reflect.TypeFor[client.DP]() {
		return nil
	}
	props := jsonschema.NewProperties()
	props.Set("code", &jsonschema.Schema{Type: "string", Description: "Data point code."})
	// A data point value is a boolean, number, string or JSON text, as the device reports it.
	// A schema with no type admits all of them without a type array.
	props.Set("value", &jsonschema.Schema{Description: "Boolean, number or string, as reported."})
	props.Set("type", &jsonschema.Schema{Type: "string"})
	return &jsonschema.Schema{Type: "object", Properties: props, Required: []string{"code"}}
}
