package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

type deviceSpecificationGetArgs struct {
	deviceRef
}

// specificationResult is client.Specification with its data points decoded; like it, it
// carries every field the cloud sent.
type specificationResult struct {
	Category  string        `json:"category"`
	Functions []dataPoint   `json:"functions" jsonschema:"required"`
	Status    []dataPoint   `json:"status" jsonschema:"required"`
	Record    client.Record `json:"-"`
}

func (v specificationResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

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
		// The error table explains the other codes.
		hints: map[int]string{
			client.CodeDeviceNotSupported: "this device has no specification in the cloud (virtual or IR devices); device_get shows its status",
		},
	}, func(ctx context.Context, e *env, a *deviceSpecificationGetArgs) (specificationResult, error) {
		s, err := e.c.GetSpecification(ctx, string(a.DeviceID))
		if err != nil {
			return specificationResult{}, err
		}
		// The answer is fresh: device_command_send may use it.
		ds := newDeviceSpec(s)
		e.specs.put(string(a.DeviceID), ds, e.now())
		return specificationResult{
			Category:  s.Category,
			Functions: convertAll(s.Functions, dataPointOf),
			Status: convertAll(s.Status, func(st client.DPSpec) dataPoint {
				dp := dataPointOf(st)
				_, sendable := ds.functions[st.Code]
				dp.ReportOnly = !sendable
				return dp
			}),
			Record: s.Record.Including("functions", "status"),
		}, nil
	})
}
