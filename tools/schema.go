package tools

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/tuya-mcp/tuya-mcp/schemas"
)

// Types are a tool's argument and result types, from which the schema generator reflects the
// schemas that the schemas package embeds and the server serves.
type Types struct {
	Name          string
	Input, Output reflect.Type
}

// CatalogueTypes returns the types of every tool, in catalogue order, or the first mistake in
// a tool's definition.
func CatalogueTypes() ([]Types, error) {
	ts := catalogue()
	out := make([]Types, len(ts))
	for i, t := range ts {
		if t.err != nil {
			return nil, t.err
		}
		out[i] = Types{Name: t.name, Input: t.in, Output: t.out}
	}
	return out, nil
}

// schemasOf returns the generated input and output schemas of tool name. Reflecting them here
// instead would cost every start about 2 ms and link the reflector into the server.
func schemasOf(name string) (in, out json.RawMessage, err error) {
	in, out, err = schemas.Tool(name)
	if err != nil {
		return nil, nil, fmt.Errorf("tools: %w (run `go generate ./...` after changing a tool)", err)
	}
	return in, out, nil
}
