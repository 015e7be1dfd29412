package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Quirks make the sandbox answer the way the real cloud, its other servers and SDKs sometimes
// do rather than as the API pages type the fields, so that clients can be tested against them.
// The zero value answers as documented. They apply to the results of successful calls.
type Quirks struct {
	// Numbers sends every number as a string and every string of digits as a number: ids,
	// codes, country codes, times, counts and expire_time, and the numbers inside a data
	// point's values document ("min":"10").
	Numbers bool
	// Bools sends booleans as 1 and 0.
	Bools bool
	// Nulls sends empty strings and empty lists as null, a write's result true as null, and an
	// empty values document as the text "null", as v1.1 answers do for Booleans.
	Nulls bool
	// NoResult leaves a write's result (true) out of the envelope altogether.
	NoResult bool
	// Extra adds undocumented fields to every object: an object, a zero and an empty string,
	// and to devices the lat and lon of real ones and a nested copy of the local key under
	// another spelling. It sends a data point's values document as a JSON object, as the
	// thing-model APIs do, rather than as JSON text.
	Extra bool
}

// quirkNames are the names ParseQuirks accepts, in the order String writes them.
func quirkNames(q *Quirks) []struct {
	name string
	on   *bool
} {
	return []struct {
		name string
		on   *bool
	}{{"numbers", &q.Numbers}, {"bools", &q.Bools}, {"nulls", &q.Nulls}, {"noresult", &q.NoResult}, {"extra", &q.Extra}}
}

// ParseQuirks reads a comma-separated list of quirk names (numbers, bools, nulls, noresult,
// extra), "all", or "" for none.
func ParseQuirks(s string) (Quirks, error) {
	var q Quirks
	for _, word := range strings.Split(s, ",") {
		word = strings.ToLower(strings.TrimSpace(word))
		if word == "" {
			continue
		}
		found := false
		for _, n := range quirkNames(&q) {
			if word == n.name || word == "all" {
				*n.on, found = true, true
			}
		}
		if !found {
			return Quirks{}, fmt.Errorf("unknown quirk %q (want all, numbers, bools, nulls, noresult or extra)", word)
		}
	}
	return q, nil
}

// String lists the quirks that are on, as ParseQuirks reads them.
func (q Quirks) String() string {
	var on []string
	for _, n := range quirkNames(&q) {
		if *n.on {
			on = append(on, n.name)
		}
	}
	return strings.Join(on, ",")
}

func (q Quirks) any() bool { return q != Quirks{} }

// digits matches the strings Numbers sends as numbers: no leading zero (it would be lost) and
// short enough for a float64 to hold exactly, as the clients of the cloud decode numbers.
func digits() *regexp.Regexp { return regexp.MustCompile(`^(0|[1-9][0-9]{0,14})$`) }

// apply rewrites an encoded success envelope's result with the quirks; omit reports that the
// result is to be left out.
func (q Quirks) apply(result any) (out any, omit bool, err error) {
	b, err := json.Marshal(result)
	if err != nil {
		return nil, false, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false, err
	}
	if v == true && (q.NoResult || q.Nulls) {
		// A write's bare true.
		return nil, q.NoResult, nil
	}
	return q.walk(v, digits()), false, nil
}

// values applies the quirks inside a data point's values document, which the cloud sends as
// JSON text holding an object.
func (q Quirks) values(text string, digits *regexp.Regexp) any {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var doc map[string]any
	if dec.Decode(&doc) != nil || doc == nil {
		return q.walk(text, digits)
	}
	if len(doc) == 0 && q.Nulls {
		return "null"
	}
	quirked := q.walk(doc, digits)
	if q.Extra {
		return quirked
	}
	b, err := json.Marshal(quirked)
	if err != nil {
		return text
	}
	return string(b)
}

func (q Quirks) walk(v any, digits *regexp.Regexp) any {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if text, ok := child.(string); ok && k == "values" {
				x[k] = q.values(text, digits)
				continue
			}
			x[k] = q.walk(child, digits)
		}
		if q.Extra {
			x["sandbox_extra"] = map[string]any{"zero": 0, "empty": "", "list": []any{1, "two"}}
			if key, ok := x["local_key"]; ok {
				x["lat"], x["lon"] = "30.2741", "120.1551"
				x["extend"] = map[string]any{"localKey": key}
			}
		}
		return x
	case []any:
		if len(x) == 0 && q.Nulls {
			return nil
		}
		for i, child := range x {
			x[i] = q.walk(child, digits)
		}
		return x
	case json.Number:
		if q.Numbers {
			return x.String()
		}
	case string:
		switch {
		case x == "" && q.Nulls:
			return nil
		case q.Numbers && digits.MatchString(x):
			return json.Number(x)
		}
	case bool:
		if q.Bools {
			if x {
				return 1
			}
			return 0
		}
	}
	return v
}
