package tools

import (
	"context"
)

type deviceSpecificationGetArgs struct {
	deviceRef
}

type specificationResult struct {
	Category  string      `json:"category"`
	Functions []dataPoint `json:"functions" jsonschema:"required"`
	Status    []dataPoint `json:"status" jsonschema:"required"`
}

func deviceSpecificationGet() tool {
	return newTool(tool{
		name:    "device_specification_get",
		title:   "Device specification",
		toolset: toolsetDeviceControl,
		description: "Get a device's functions (can be sent) and status (reported; report_only: cannot be sent), with " +
			"values decoded: Integer unit, min, max, scale, step (raw units: real = raw / " +
			"10^scale); Enum range; String maxlen; Bitmap label; Json fields.",
		readOnly:   true,
		idempotent: true,
		hints:      controlHints(nil),
	}, func(ctx context.Context, e *env, a *deviceSpecificationGetArgs) (specificationResult, error) {
		s, err := e.c.GetSpecification(ctx, string(a.DeviceID))
		if err != nil {
			return specificationResult{}, err
		}
		// The answer is fresh: device_command_send may use it.
		ds := newDeviceSpec(s)
		e.specs.put(string(a.DeviceID), ds, e.now())
		out := specificationResult{Category: s.Category, Functions: make([]dataPoint, 0, len(s.Functions)), Status: make([]dataPoint, 0, len(s.Status))}
		for _, f := range s.Functions {
			out.Functions = append(out.Functions, dataPointOf(f))
		}
		for _, st := range s.Status {
			dp := dataPointOf(st)
			_, sendable := ds.functions[st.Code]
			dp.ReportOnly = !sendable
			out.Status = append(out.Status, dp)
		}
		return out, nil
	})
}
