package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// maxWindow is the longest start_time..end_time span the list operations accept.
const maxWindow = 30 * 24 * time.Hour

// intParam parses an optional integer query parameter.
func intParam(q url.Values, name string) (n int64, present bool, err error) {
	v := q.Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, true, errIllegal("%s must be an integer, got %q", name, v)
	}
	return n, true, nil
}

// secondsParam parses an optional 10-digit unix-seconds query parameter. Requiring the digits
// catches milliseconds sent where seconds are documented, which would otherwise match nothing.
func secondsParam(q url.Values, name string) (int64, bool, error) {
	n, ok, err := intParam(q, name)
	if err != nil || !ok {
		return n, ok, err
	}
	if n < 1e9 || n >= 1e10 {
		return 0, true, errIllegal("%s must be a 10-digit unix time in seconds, got %d", name, n)
	}
	return n, true, nil
}

// window checks a start..end span in seconds: ordered and at most 30 days.
func window(start, end int64) error {
	if end < start {
		return errRange("end_time %d is before start_time %d", end, start)
	}
	if end-start > int64(maxWindow/time.Second) {
		return errRange("start_time and end_time must be at most 30 days apart")
	}
	return nil
}

// paging is a page request; size 0 is allowed where the API allows it.
type paging struct{ no, size int64 }

// parsePaging parses page_no and page_size, required or not, with page_size in [minSize, 100].
func parsePaging(q url.Values, required bool, minSize int64) (paging, bool, error) {
	no, noOK, err := intParam(q, "page_no")
	if err != nil {
		return paging{}, false, err
	}
	size, sizeOK, err := intParam(q, "page_size")
	if err != nil {
		return paging{}, false, err
	}
	switch {
	case required && !noOK:
		return paging{}, false, errEmpty("page_no")
	case required && !sizeOK:
		return paging{}, false, errEmpty("page_size")
	case !noOK && !sizeOK:
		return paging{}, false, nil
	case !noOK:
		no = 1
	case !sizeOK:
		size = 20
	}
	if no < 1 {
		return paging{}, false, errRange("page_no must be at least 1, got %d", no)
	}
	if size < minSize || size > 100 {
		return paging{}, false, errRange("page_size must be between %d and 100, got %d", minSize, size)
	}
	return paging{no: no, size: size}, true, nil
}

// page returns the page's slice of n items as [from, to) and whether more follow.
func (p paging) page(n int) (from, to int, more bool) {
	from64 := min((p.no-1)*p.size, int64(n))
	to64 := min(from64+p.size, int64(n))
	return int(from64), int(to64), to64 < int64(n)
}

// decodeBody decodes a JSON object body into v; an empty body leaves v as it is, so that the
// handler reports the missing fields (1100). Malformed JSON and wrong types are 1109.
func decodeBody(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return errIllegal("%s must be a JSON %s", te.Field, jsonKind(te.Type))
	default:
		return errIllegal("the body is not a JSON object")
	}
}

// jsonKind names a Go type the way a JSON caller thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	}
	return "value of the documented type"
}

// splitList splits a comma list, dropping empty items.
func splitList(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
