package tools_test

import "testing"

func TestCategoryFunctionList(t *testing.T) {
	const route = "/functions/dj"
	runControlTable(t, "category_function_list", []controlCase{
		{name: "light", args: map[string]any{"category": "dj"}, want: []string{`"category":"dj"`,
			`{"code":"bright_value_v2","type":"Integer","values":"{\"unit\":\"\",\"min\":10,\"max\":1000,\"scale\":0,\"step\":1}",` +
				`"name":"bright value v2","desc":"bright value v2","min":10,"max":1000,"scale":0,"step":1,"meaning":`,
			`"code":"control_data","type":"Json"`}},
		{name: "socket", args: map[string]any{"category": "cz"}, want: []string{`"code":"relay_status","type":"Enum"`}},
		{name: "unknown category", args: map[string]any{"category": "nosuchcategory"},
			errWant: []string{"Tuya error 2015 (this category is not supported) on GET /v1.0/functions/{category}", "device_get shows a device's category"}},
		{name: "not linked", args: map[string]any{"category": "dj"}, refuse: refuse{"GET", route, 1106, ""},
			errWant: []string{"Tuya error 1106"}},
		{name: "no category", args: map[string]any{}, errWant: []string{"category: required"}},
		{name: "bad category", args: map[string]any{"category": "d j"}, errWant: []string{"category: must be 1 to 64 letters"}},
		{name: "category not a string", args: map[string]any{"category": true}, errWant: []string{"category: must be a string"}},
	})
}
