package tools

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// id is a Tuya identifier that ends up in a URL path or query (device, user, data point and
// outlet ids, app schemas). The charset keeps anything that would change the URL out of it.
type id string

const maxIDLen = 64

func (v *id) parseArg(raw any) error {
	// Device-user ids are numeric strings; a model may well send them as numbers.
	s, err := stringOrInteger(raw)
	if err != nil {
		return err
	}
	if s == "" {
		return fmt.Errorf("must not be empty")
	}
	// "." and ".." are path segments that a proxy or the cloud's router resolves: user_id ".."
	// would turn a device-user delete into a device delete.
	if strings.Trim(s, ".") == "" {
		return fmt.Errorf("must not be only dots (got %q)", clip(s))
	}
	if len(s) > maxIDLen || strings.ContainsFunc(s, func(r rune) bool { return !isIDRune(r) }) {
		return fmt.Errorf("must be 1 to %d letters, digits, '_', '-' or '.' (got %q)", maxIDLen, clip(s))
	}
	*v = id(s)
	return nil
}

// stringOrInteger returns a string argument as given, or a whole number in decimal.
func stringOrInteger(raw any) (string, error) {
	switch x := raw.(type) {
	case string:
		return x, nil
	case float64, int, int64, json.Number:
		n, err := toInt(x)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(n, 10), nil
	}
	return "", fmt.Errorf("must be a string (got %s)", jsonKind(raw))
}

func isIDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
}

// ids converts a list of ids for the client.
func ids(in []id) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// instant is a point in time given as RFC 3339, a YYYY-MM-DD date (UTC midnight), or unix
// seconds or milliseconds (a number or a numeric string). The zero value means not given.
type instant struct {
	t time.Time
}

// Argument types that parse their own values describe their JSON Schema with a JSONSchemaRaw
// method, which the schema generator (internal/reflector) uses instead of reflecting the
// Go type. It is not invopop's JSONSchema method so that the server does not link the reflector:
// schemas are generated once and embedded.

// JSONSchemaRaw describes an instant as a string: JSON Schema cannot say "string or number"
// without a type array or anyOf, which some model providers reject. Numbers are accepted anyway.
func (instant) JSONSchemaRaw() json.RawMessage {
	return json.RawMessage(`{"type":"string"}`)
}

// Times before 1900 or from 2200 on (unix seconds) are typos or unit mix-ups, not Tuya data.
const (
	minInstantUnix = -2208988800 // 1900-01-01T00:00:00Z
	maxInstantUnix = 7258118400  // 2200-01-01T00:00:00Z
)

// msThreshold splits unix seconds from milliseconds by magnitude: 1e11 seconds is the year 5138,
// 1e11 milliseconds is 1973.
const msThreshold = 1e11

func (v *instant) parseArg(raw any) error {
	t, err := parseInstant(raw)
	if err != nil {
		return err
	}
	v.t = t
	return nil
}

func parseInstant(raw any) (time.Time, error) {
	bad := fmt.Errorf("must be an RFC 3339 time, a YYYY-MM-DD date, or unix seconds or milliseconds (got %s)", describe(raw))
	var n int64
	switch x := raw.(type) {
	case string:
		if x == "" {
			return time.Time{}, bad
		}
		if len(x) == len(time.DateOnly) && x[4] == '-' {
			t, err := time.Parse(time.DateOnly, x)
			if err != nil {
				return time.Time{}, bad
			}
			return checkInstantRange(t, raw)
		}
		if strings.ContainsAny(x, "T:") {
			t, err := time.Parse(time.RFC3339, x)
			if err != nil {
				return time.Time{}, bad
			}
			return checkInstantRange(t.UTC(), raw)
		}
		var err error
		if n, err = toInt(x); err != nil {
			return time.Time{}, bad
		}
	case float64, int, int64, json.Number:
		var err error
		if n, err = toInt(x); err != nil {
			return time.Time{}, bad
		}
	default:
		return time.Time{}, bad
	}
	if math.Abs(float64(n)) >= msThreshold {
		return checkInstantRange(time.UnixMilli(n).UTC(), raw)
	}
	return checkInstantRange(time.Unix(n, 0).UTC(), raw)
}

func checkInstantRange(t time.Time, raw any) (time.Time, error) {
	if t.Unix() < minInstantUnix || t.Unix() >= maxInstantUnix {
		return time.Time{}, fmt.Errorf("must be between 1900 and 2200 (got %s)", describe(raw))
	}
	return t, nil
}

// wordList names the values of a word enum; the documented number of a word is its index + 1.
type wordList interface {
	words() []string
}

// enum is an argument whose documented values are numbers (sex 1 male, 2 female). The schema
// offers the words; the words and the numbers are both accepted. The zero value means not given.
type enum[W wordList] int

func (enum[W]) JSONSchemaRaw() json.RawMessage {
	var w W
	return stringEnumSchema(w.words())
}

func (e *enum[W]) parseArg(raw any) error {
	var w W
	n, err := parseWord(raw, w.words())
	if err != nil {
		return err
	}
	*e = enum[W](n)
	return nil
}

// stringEnumSchema is the schema of a string that is one of words.
func stringEnumSchema(words []string) json.RawMessage {
	// Marshalling strings cannot fail.
	b, _ := json.Marshal(struct {
		Type string   `json:"type"`
		Enum []string `json:"enum"`
	}{"string", words})
	return b
}

// parseWord returns the number of a word of list, given as the word (any case) or its number.
func parseWord(raw any, list []string) (int, error) {
	if s, ok := raw.(string); ok {
		for i, w := range list {
			if strings.EqualFold(strings.TrimSpace(s), w) {
				return i + 1, nil
			}
		}
	}
	if n, err := toInt(raw); err == nil && n >= 1 && n <= int64(len(list)) {
		return int(n), nil
	}
	return 0, fmt.Errorf("must be one of %s (or 1 to %d) (got %s)", strings.Join(list, ", "), len(list), describe(raw))
}

type sexWords struct{}

func (sexWords) words() []string { return []string{"male", "female"} }

type usernameTypeWords struct{}

func (usernameTypeWords) words() []string { return []string{"mobile", "email", "other"} }

type queryTypeWords struct{}

func (queryTypeWords) words() []string { return []string{"free", "paid"} }

// Username types as the User Management page numbers them.
const (
	usernameMobile = 1
	usernameEmail  = 2
	usernameOther  = 3
)

// eventWords are the device log event types; event type n is eventWords()[n-1].
func eventWords() []string {
	return []string{"online", "offline", "activated", "reset", "command", "firmware_update",
		"dp_report", "semaphore", "restart", "timing"}
}

// eventWord names a log event type; unknown numbers (the cloud may add some) stay numbers.
func eventWord(n int) string {
	if w := eventWords(); n >= 1 && n <= len(w) {
		return w[n-1]
	}
	return strconv.Itoa(n)
}

// eventTypes is a set of device log event types: an array of words or numbers, a string holding
// one as JSON text, or one string with a comma-separated list. The zero value means not given.
type eventTypes []int

func (eventTypes) JSONSchemaRaw() json.RawMessage {
	return json.RawMessage(`{"type":"array","items":` + string(stringEnumSchema(eventWords())) + `}`)
}

func (e *eventTypes) parseArg(raw any) error {
	items := []any{raw}
	switch raw.(type) {
	case []any, string:
		var err error
		if items, err = listItems(raw); err != nil {
			return err
		}
	}
	if len(items) == 0 {
		return fmt.Errorf("must name at least one event type")
	}
	seen := make(map[int]bool, len(items))
	out := make(eventTypes, 0, len(items))
	for _, item := range items {
		n, err := parseWord(item, eventWords())
		if err != nil {
			return err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	*e = out
	return nil
}

// allEventTypes is the default: every documented event type.
func allEventTypes() []int {
	out := make([]int, len(eventWords()))
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// countryCode is a country calling code: 1 to 4 digits, a leading '+' dropped.
type countryCode string

func (c *countryCode) parseArg(raw any) error {
	s, err := stringOrInteger(raw)
	if err != nil {
		return err
	}
	s = strings.TrimPrefix(s, "+")
	if !countryCodeRE().MatchString(s) {
		return fmt.Errorf("must be 1 to 4 digits, e.g. 86 or 1 (got %s)", describe(raw))
	}
	*c = countryCode(s)
	return nil
}

// Format checks from the User Management page (user sync: 2021 for a bad mobile number, 2022
// for a bad email) and for IANA time zone names. They are functions, not package variables, so nothing global is
// mutable; regexp compilation here is cheap next to a network call.
func countryCodeRE() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,4}$`) }
func mobileRE() *regexp.Regexp      { return regexp.MustCompile(`^\+?[0-9]{5,15}$`) }
func emailRE() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
}
func timeZoneRE() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){0,2}$`)
}
func md5HexRE() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-fA-F]{32}$`) }

// decimalRE is the JSON number syntax, with an optional leading '+'.
func decimalRE() *regexp.Regexp {
	return regexp.MustCompile(`^[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`)
}
