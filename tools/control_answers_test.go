package tools

import "fmt"

// The device control reads, for TestFaithfulResults. A data point passes through as sent
// (values as JSON text or as an object, name, desc, dp_id and any other field), and the tools
// add its values decoded; those derive from code, type and values, so they may change when
// these vary, and nothing else may.

const (
	// answerSpecDPs are data points as the OpenAPI pages and the v1.1 and iot-03 answers show
	// them: values as JSON text, dp_id, name, a desc that repeats the values, zero values.
	answerSpecDPs = `{"code":"switch_led","dp_id":1,"type":"Boolean","values":"{}","name":"Switch","desc":""},
		{"code":"bright_value_v2","dp_id":0,"type":"Integer","values":"{\"unit\":\"\",\"min\":10,\"max\":1000,\"scale\":0,\"step\":1}",
			"desc":"{\"unit\":\"\",\"min\":10,\"max\":1000,\"scale\":0,\"step\":1}","lang_config":{"en":"Brightness"}}`
	// answerOddDPs are the other forms of values seen or possible: an object with numbers as
	// strings, "null" text, text that is not JSON, null, a number, and none; and types spelt
	// the old way.
	answerOddDPs = `{"code":"temp_set","type":"value","values":{"unit":"℃","min":"50","max":"300","scale":"1","step":"5"}},
		{"code":"switch","type":"bool","values":"null"},
		{"code":"mode","type":"Enum","values":"{range:[auto]}","extra":null},
		{"code":"fault","type":"fault","values":null},
		{"code":"level","type":"Integer","values":7},
		{"code":"data","type":"Raw"}`
)

func controlAnswerCases() []answerCase {
	spec := func(functions, status string) string {
		return `{"category":"dj","functions":[` + functions + `],"status":[` + status + `],"lang":"en","zero":0}`
	}
	return []answerCase{
		{tool: "device_status_get", args: map[string]any{"device_id": "d1"}, moves: [][2]string{{"", "status"}},
			result: `[{"code":"switch_led","value":true,"t":1700000000000},{"code":"bright_value_v2","value":0,"type":"Integer"},
				{"code":"colour_data_v2","value":"{\"h\":0,\"s\":0,\"v\":0}"},{"code":"fault","value":{"x":[1]}}]`},
		{tool: "device_specification_get", args: map[string]any{"device_id": "d1"}, result: spec(answerSpecDPs, answerSpecDPs),
			derived: decodedPaths(2, 2)},
		{tool: "device_specification_get", args: map[string]any{"device_id": "d2"}, result: spec(answerOddDPs, `{"code":"cur_power",`+
			`"type":"Integer","values":"{\"unit\":\"W\",\"min\":\"0\",\"max\":\"50000\",\"scale\":\"1\",\"step\":\"1\"}"},`+answerOddDPs),
			derived: decodedPaths(6, 7)},
		{tool: "category_function_list", args: map[string]any{"category": "dj"},
			result: `{"category":"dj","functions":[` + answerSpecDPs + `,` + answerOddDPs + `],"total":8}`, derived: decodedPaths(8, 0)},
	}
}

// decodedPaths lists, for a result with functions and status lists of the given lengths, the
// result paths derived from each varied answer path: an item's decoded fields from its code,
// type and values, and the status items' report_only from the function codes.
func decodedPaths(functions, status int) map[string][]string {
	decoded := []string{"unit", "min", "max", "scale", "step", "range", "maxlen", "label", "fields", "meaning", "note"}
	var reportOnly []string
	for j := range status {
		reportOnly = append(reportOnly, fmt.Sprintf("status.%d.report_only", j))
	}
	out := map[string][]string{"functions": reportOnly}
	for list, n := range map[string]int{"functions": functions, "status": status} {
		for i := range n {
			item := fmt.Sprintf("%s.%d.", list, i)
			var own []string
			for _, d := range decoded {
				own = append(own, item+d)
			}
			out[item+"type"] = own
			out[item+"values"] = own
			out[item+"code"] = reportOnly
		}
	}
	return out
}
