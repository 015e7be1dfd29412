package client

import (
	"encoding/json"
	"testing"
)

func TestValuesText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`"{\"min\":0,\"max\":10}"`, `{"min":0,"max":10}`},
		{`{"min":0,"max":10}`, `{"min":0,"max":10}`},
		{`"{}"`, `{}`},
		{`"null"`, `null`},
		{`null`, ``},
		{`""`, ``},
	}
	for _, tt := range tests {
		var s DPSpec
		if err := json.Unmarshal([]byte(`{"code":"c","type":"Integer","values":`+tt.in+`}`), &s); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if s.ValuesText() != tt.want {
			t.Errorf("%s: got %q, want %q", tt.in, s.ValuesText(), tt.want)
		}
	}
}
