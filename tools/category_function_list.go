package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

type categoryFunctionListArgs struct {
	Category id `json:"category" jsonschema:"required" jsonschema_description:"Category code, e.g. cz, dj (see device_get)."`
}

// functionListResult is client.FunctionSet with its data points decoded; like it, it carries
// every field the cloud sent.
type functionListResult struct {
	Category  string        `json:"category"`
	Functions []dataPoint   `json:"functions" jsonschema:"required"`
	Record    client.Record `json:"-"`
}

func (v functionListResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

func categoryFunctionList() tool {
	return newTool(tool{
		name:        "category_function_list",
		title:       "Category functions",
		toolset:     toolsetDeviceControl,
		description: "List a category's standard functions, decoded as in device_specification_get; a device has a subset." + notPaged,
		readOnly:    true,
		idempotent:  true,
		hints: map[int]string{
			client.CodeCategoryNotSupport: "unknown category code; device_get shows a device's category (e.g. cz, kg, dj)",
		},
	}, func(ctx context.Context, e *env, a *categoryFunctionListArgs) (functionListResult, error) {
		fs, err := e.c.ListCategoryFunctions(ctx, string(a.Category))
		if err != nil {
			return functionListResult{}, err
		}
		return functionListResult{Category: fs.Category, Functions: convertAll(fs.Functions, dataPointOf),
			Record: fs.Record.Including("functions")}, nil
	})
}
