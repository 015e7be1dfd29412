package schemas

import (
	"bytes"
	"encoding/json"
	"testing"
)

var stripSeeds = []string{
	`{"a": 1}`,
	`{"description": "say \"hi\" to  me", "x": [1, 2, {"y": "\\"}]}`,
	`{"k": "back\\slash \" quote", "t": "tab\tafter", "e": "ends in \\"}`,
	`[ "a b", "c\\\"d", {} , [] , null, true, false, -1.5e3 ]`,
	"\t{\r\n  \"a\" :\n\t\"\\u0022 x\"\n}\n",
	`"just a string with  spaces"`,
}

func TestStripSpace(t *testing.T) {
	for _, s := range stripSeeds {
		checkStrip(t, []byte(s))
	}
}

// FuzzStripSpace checks stripSpace against json.Compact on valid JSON, as written and indented.
func FuzzStripSpace(f *testing.F) {
	for _, s := range stripSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		checkStrip(t, data)
	})
}

func checkStrip(t *testing.T, data []byte) {
	t.Helper()
	var indented bytes.Buffer
	if err := json.Indent(&indented, data, "", "  "); err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{data, indented.Bytes()} {
		var want bytes.Buffer
		if err := json.Compact(&want, in); err != nil {
			t.Fatal(err)
		}
		if got := stripSpace(bytes.Clone(in)); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("stripSpace(%q) = %q, want %q", in, got, want.Bytes())
		}
	}
}
