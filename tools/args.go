package tools

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/internal/levenshtein"
)

// Arguments arrive as a JSON object decoded into map[string]any, and mcp-go checks none of them.
// decodeArgs fills an argument struct from that map, driven by the struct's json tags and the
// same jsonschema tags that produce the input schema, so the schema a model reads and the rules
// the server applies cannot drift apart.

// argError lists every problem found in one call's arguments. Nothing is sent to Tuya then.
type argError struct {
	tool     string
	problems []string
}

func (e *argError) Error() string {
	return fmt.Sprintf("invalid arguments for %s: %s", e.tool, strings.Join(e.problems, "; "))
}

// argParser is implemented by argument types that parse and check their own JSON value (ids,
// times, word enums). Tag constraints other than required do not apply to them.
type argParser interface {
	parseArg(v any) error
}

var argParserType = reflect.TypeFor[argParser]()

// field is one argument of a tool: its JSON name, where it lives in the struct, and the
// constraints of its jsonschema tag.
type field struct {
	name     string
	index    []int
	required bool
	min, max *int64
	minLen   int
	maxLen   int
	minItems int
	maxItems int
	enum     []string
	// inside names the keys of the objects inside the argument's value, or is nil when the
	// value holds no objects.
	inside *shape
}

// fieldsOf reads the argument fields of struct type t, flattening embedded structs (shared
// groups such as paging) as encoding/json and the schema reflector do. It fails on tags it
// cannot honour, so a mistake in an argument struct stops the server from starting instead of
// skipping a check.
func fieldsOf(t reflect.Type) ([]field, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("tools: argument type %s is not a struct", t)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("json") == "" {
			inner, err := fieldsOf(sf.Type)
			if err != nil {
				return nil, err
			}
			for _, f := range inner {
				f.index = append([]int{i}, f.index...)
				fs = append(fs, f)
			}
			continue
		}
		f, err := fieldOf(t, sf)
		if err != nil {
			return nil, err
		}
		f.index = []int{i}
		fs = append(fs, f)
	}
	return fs, nil
}

func fieldOf(t reflect.Type, sf reflect.StructField) (field, error) {
	name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
	if name == "" || name == "-" || !sf.IsExported() {
		return field{}, fmt.Errorf("tools: %s.%s needs an exported field with a json name", t, sf.Name)
	}
	if sf.Tag.Get("jsonschema_description") == "" {
		return field{}, fmt.Errorf("tools: %s.%s has no jsonschema_description", t, sf.Name)
	}
	f := field{name: name}
	for _, kv := range strings.Split(sf.Tag.Get("jsonschema"), ",") {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "":
		case "required":
			f.required = true
		case "minimum", "maximum":
			var n int64
			n, err = strconv.ParseInt(v, 10, 64)
			if k == "minimum" {
				f.min = &n
			} else {
				f.max = &n
			}
		case "minLength":
			f.minLen, err = strconv.Atoi(v)
		case "maxLength":
			f.maxLen, err = strconv.Atoi(v)
		case "minItems":
			f.minItems, err = strconv.Atoi(v)
		case "maxItems":
			f.maxItems, err = strconv.Atoi(v)
		case "enum":
			f.enum = append(f.enum, v)
		default:
			err = fmt.Errorf("unsupported keyword %q", k)
		}
		if err != nil {
			return field{}, fmt.Errorf("tools: %s.%s: jsonschema tag: %w", t, sf.Name, err)
		}
	}
	if err := checkKind(sf.Type); err != nil {
		return field{}, fmt.Errorf("tools: %s.%s: %w", t, sf.Name, err)
	}
	if rs, ok := reflect.New(sf.Type).Elem().Interface().(interface{ JSONSchemaRaw() json.RawMessage }); ok {
		var sh shape
		if err := json.Unmarshal(rs.JSONSchemaRaw(), &sh); err != nil {
			return field{}, fmt.Errorf("tools: %s.%s: schema: %w", t, sf.Name, err)
		}
		if sh.holdsObjects() {
			f.inside = &sh
		}
	}
	return f, nil
}

// shape is what a JSON Schema says about the keys of the objects inside a value.
type shape struct {
	Properties map[string]*shape `json:"properties"`
	Items      *shape            `json:"items"`
}

func (s *shape) holdsObjects() bool {
	return s != nil && (s.Properties != nil || s.Items.holdsObjects())
}

// prune applies the rule of unknownKeys to the objects inside v, an argument's value, at any
// depth: it returns v without the keys its schema does not name (v is not changed), those
// keys (quoted, with where they were), and the near misses of a key, rendered as errors. path
// says where v is ("" for the argument itself). An array or object sent as JSON text in a
// string is decoded first, as the argument parsers do; a lone object where an array of them
// is expected stands for an array of one, as commandList takes it.
func (s *shape) prune(v any, path string) (out any, ignored, near []string) {
	if str, ok := v.(string); ok && (s.Items != nil || s.Properties != nil) {
		var decoded any
		if t := strings.TrimSpace(str); (strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")) &&
			json.Unmarshal([]byte(t), &decoded) == nil {
			v = decoded
		}
	}
	switch x := v.(type) {
	case []any:
		if s.Items == nil {
			return v, nil, nil
		}
		items := make([]any, len(x))
		for i, it := range x {
			var ig, nm []string
			items[i], ig, nm = s.Items.prune(it, strings.TrimSpace(fmt.Sprintf("%s item %d", path, i+1)))
			ignored, near = append(ignored, ig...), append(near, nm...)
		}
		return items, ignored, near
	case map[string]any:
		if s.Properties == nil {
			if s.Items != nil {
				return s.Items.prune(v, strings.TrimSpace(path+" item 1"))
			}
			return v, nil, nil
		}
		names := slices.Sorted(maps.Keys(s.Properties))
		obj := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if inner, known := s.Properties[k]; known {
				var ig, nm []string
				obj[k], ig, nm = inner.prune(x[k], strings.TrimSpace(path+" "+k))
				ignored, near = append(ignored, ig...), append(near, nm...)
				continue
			}
			if i := slices.IndexFunc(names, func(n string) bool { return nearMiss(k, n) }); i >= 0 {
				near = append(near, strings.TrimSpace(fmt.Sprintf("%s has unknown key %q (did you mean %s?)", path, clip(k), names[i])))
				obj[k] = x[k]
				continue
			}
			entry := strconv.Quote(clip(k))
			if path != "" {
				entry += " (" + path + ")"
			}
			ignored = append(ignored, entry)
		}
		return obj, ignored, near
	}
	return v, nil, nil
}

// checkKind reports argument types decodeValue cannot fill.
func checkKind(t reflect.Type) error {
	if reflect.PointerTo(t).Implements(argParserType) {
		return nil
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64:
		return nil
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Int {
			return nil
		}
	case reflect.Slice:
		return checkKind(t.Elem())
	}
	return fmt.Errorf("unsupported argument type %s", t)
}

// decodeArgs fills dst (a pointer to an argument struct described by fs) from args and returns
// every problem found, in field order after the near misses. A key that is no argument is
// ignored (see unknownKeys) unless it is a near miss of one.
func decodeArgs(fs []field, args map[string]any, dst any) []string {
	var problems []string
	if _, near := unknownKeys(fs, args); len(near) > 0 {
		problems = append(problems, "unknown argument "+listSome(near))
	}
	v := reflect.ValueOf(dst).Elem()
	for _, f := range fs {
		raw, ok := args[f.name]
		if !ok || raw == nil {
			if f.required {
				problems = append(problems, f.name+": required")
			}
			continue
		}
		if f.inside != nil {
			var near []string
			if raw, _, near = f.inside.prune(raw, ""); len(near) > 0 {
				problems = append(problems, f.name+": "+listSome(near))
				continue
			}
		}
		if err := decodeValue(f, raw, v.FieldByIndex(f.index)); err != nil {
			problems = append(problems, f.name+": "+err.Error())
		}
	}
	return problems
}

// unknownKeys sorts the keys of args that are no argument into those ignored (quoted; clients
// add their own keys, such as Cline's task_progress, and the published schemas allow them) and
// the near misses of an argument, rendered with the argument meant: ignoring a misspelt
// device_id or page_size would silently change what the call does.
func unknownKeys(fs []field, args map[string]any) (ignored, near []string) {
	var keys []string
	for k := range args {
		if !slices.ContainsFunc(fs, func(f field) bool { return f.name == k }) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if i := slices.IndexFunc(fs, func(f field) bool { return nearMiss(k, f.name) }); i >= 0 {
			near = append(near, fmt.Sprintf("%q (did you mean %s?)", clip(k), fs[i].name))
			continue
		}
		ignored = append(ignored, strconv.Quote(clip(k)))
	}
	return ignored, near
}

// maxNearMiss is the largest edit distance at which a key is taken for a misspelt argument.
const maxNearMiss = 2

// nearMiss reports whether key is name written differently: other letter case, '-' for '_',
// a separator left out or added, or at most maxNearMiss letters changed, added or dropped.
func nearMiss(key, name string) bool {
	fold := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '-' || r == '_' {
				return -1
			}
			return unicode.ToLower(r)
		}, s)
	}
	k := strings.ToLower(key)
	// The length check keeps the distance computation off long keys, which cannot be near.
	return fold(key) == fold(name) ||
		len(k) <= len(name)+maxNearMiss && len(name) <= len(k)+maxNearMiss && levenshtein.Distance(k, name) <= maxNearMiss
}

// ignoredNote is the sentence added to a result's text when the call carried keys that are no
// argument, or keys inside an argument's objects that its schema does not name, or "" when it
// carried none.
func ignoredNote(fs []field, args map[string]any) string {
	var notes []string
	switch ignored, _ := unknownKeys(fs, args); len(ignored) {
	case 0:
	case 1:
		notes = append(notes, "Ignored "+ignored[0]+": not an argument of this tool.")
	default:
		notes = append(notes, "Ignored "+listSome(ignored)+": not arguments of this tool.")
	}
	for _, f := range fs {
		if raw := args[f.name]; f.inside != nil && raw != nil {
			if _, ignored, _ := f.inside.prune(raw, ""); len(ignored) > 0 {
				notes = append(notes, "Ignored "+listSome(ignored)+" in "+f.name+": not keys of its items.")
			}
		}
	}
	return strings.Join(notes, " ")
}

// maxListed bounds the unknown keys and bad items an error lists: a model fixes the first few
// and learns the rest from the count, and the error stays short whatever the input.
const maxListed = 5

// listSome joins up to maxListed items and counts the rest.
func listSome(items []string) string {
	if len(items) <= maxListed {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:maxListed], ", "), len(items)-maxListed)
}

// decodeValue sets dst from the JSON value raw, applying f's constraints.
func decodeValue(f field, raw any, dst reflect.Value) error {
	if p, ok := dst.Addr().Interface().(argParser); ok {
		return p.parseArg(raw)
	}
	switch dst.Kind() {
	case reflect.String:
		s, err := decodeString(f, raw)
		if err != nil {
			return err
		}
		dst.SetString(s)
	case reflect.Bool:
		b, err := decodeBool(raw)
		if err != nil {
			return err
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := decodeInt(f, raw)
		if err != nil {
			return err
		}
		dst.SetInt(n)
	case reflect.Pointer:
		n, err := decodeInt(f, raw)
		if err != nil {
			return err
		}
		p := reflect.New(dst.Type().Elem())
		p.Elem().SetInt(n)
		dst.Set(p)
	case reflect.Slice:
		return decodeSlice(f, raw, dst)
	}
	return nil
}

// decodeString checks a plain string argument. Values are not echoed: a plain string may be a
// password.
func decodeString(f field, raw any) (string, error) {
	s, ok := raw.(string)
	if !ok {
		return "", fmt.Errorf("must be a string (got %s)", jsonKind(raw))
	}
	if len(f.enum) > 0 {
		for _, e := range f.enum {
			if strings.EqualFold(s, e) {
				return e, nil
			}
		}
		return "", fmt.Errorf("must be one of %s (got %q)", strings.Join(f.enum, ", "), clip(s))
	}
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		return "", fmt.Errorf("must be valid UTF-8")
	case f.minLen > 0 && f.maxLen > 0 && (n < f.minLen || n > f.maxLen):
		return "", fmt.Errorf("must be %d to %d characters (got %d)", f.minLen, f.maxLen, n)
	case n < f.minLen && f.minLen == 1:
		return "", fmt.Errorf("must not be empty")
	case n < f.minLen:
		return "", fmt.Errorf("must be at least %d characters (got %d)", f.minLen, n)
	case f.maxLen > 0 && n > f.maxLen:
		return "", fmt.Errorf("must be at most %d characters (got %d)", f.maxLen, n)
	case strings.ContainsFunc(s, unicode.IsControl):
		return "", fmt.Errorf("must not contain control characters")
	case strings.ContainsFunc(s, isBidiControl):
		return "", fmt.Errorf("must not contain bidirectional override or isolate characters (U+202A to U+202E, U+2066 to U+2069)")
	}
	return s, nil
}

// isBidiControl reports the explicit bidirectional formatting characters. They reorder the
// text around them, so a name holding one can display as something else in an app, a log or a
// confirmation question. The marks U+200E, U+200F and U+061C, which right-to-left text needs,
// are allowed.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// decodeBool reads a boolean: true or false, as JSON or as text in any case, or 1 and 0.
func decodeBool(raw any) (bool, error) {
	switch b := raw.(type) {
	case bool:
		return b, nil
	case string:
		if v, err := strconv.ParseBool(b); err == nil {
			return v, nil
		}
	case float64, json.Number, int, int64:
		// "1" and "0" are read as booleans, so the numbers are too.
		if n, err := toInt(b); err == nil && (n == 0 || n == 1) {
			return n == 1, nil
		}
	}
	return false, fmt.Errorf(`must be true or false (1, 0, "true", "false", "1" and "0" are read as such) (got %s)`, describe(raw))
}

// decodeInt accepts a JSON number or a numeric string holding an integer, within f's range.
func decodeInt(f field, raw any) (int64, error) {
	n, err := toInt(raw)
	got := strconv.FormatInt(n, 10)
	var huge *outOfRange
	if errors.As(err, &huge) && (huge.negative && f.min != nil || !huge.negative && f.max != nil) {
		// Beyond any bound: the bound is the news, as for any other number past it.
		err, got = nil, huge.text
		if n = math.MaxInt64; huge.negative {
			n = math.MinInt64
		}
	}
	if err != nil {
		return 0, err
	}
	switch {
	case f.min != nil && f.max != nil && (n < *f.min || n > *f.max):
		return 0, fmt.Errorf("must be between %d and %d (got %s)", *f.min, *f.max, got)
	case f.min != nil && n < *f.min:
		return 0, fmt.Errorf("must be at least %d (got %s)", *f.min, got)
	case f.max != nil && n > *f.max:
		return 0, fmt.Errorf("must be at most %d (got %s)", *f.max, got)
	}
	return n, nil
}

// outOfRange is toInt's error for an integer beyond what JSON decoders represent exactly.
type outOfRange struct {
	// text is the number as sent.
	text     string
	negative bool
}

func (e *outOfRange) Error() string { return "is out of range (got " + e.text + ")" }

// maxExactInt is the largest integer every JSON number decoder represents exactly (2^53).
const maxExactInt = 1 << 53

// toInt converts a JSON number (float64 from encoding/json, json.Number, a Go integer from an
// in-process caller) or a numeric string to an int64, rejecting fractions and huge values.
func toInt(raw any) (int64, error) {
	switch v := raw.(type) {
	case float64:
		// Infinities pass this check and fail the range check below.
		if v != math.Trunc(v) {
			return 0, fmt.Errorf("must be an integer (got %s)", describe(raw))
		}
		if math.Abs(v) > maxExactInt {
			return 0, &outOfRange{text: describe(raw), negative: v < 0}
		}
		return int64(v), nil
	case int:
		return int64(v), nil
	case int64:
		return v, nil
	case json.Number:
		return toInt(string(v))
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && n >= -maxExactInt && n <= maxExactInt {
			return n, nil
		}
		// Only the JSON number syntax: ParseFloat also takes "Inf", "NaN", "0x1p4" and "1_0".
		if decimalRE().MatchString(v) {
			if f, ferr := strconv.ParseFloat(v, 64); ferr == nil || errors.Is(ferr, strconv.ErrRange) {
				n, err := toInt(f)
				if huge, ok := err.(*outOfRange); ok {
					// The text as sent: a number beyond float64 (which the JSON-RPC front
					// passes on as a string) is not "+Inf".
					huge.text = clip(v)
				}
				return n, err
			}
		}
		return 0, fmt.Errorf("must be an integer (got %s)", describe(raw))
	}
	return 0, fmt.Errorf("must be an integer (got %s)", jsonKind(raw))
}

// decodeSlice accepts a JSON array, or a string holding one (some clients send every array
// argument as JSON text), or a single string holding a comma-separated list (models often
// pass "a,b"), and decodes each element with the element type's rules.
func decodeSlice(f field, raw any, dst reflect.Value) error {
	items, err := listItems(raw)
	if err != nil {
		return err
	}
	switch {
	case f.minItems > 0 && f.maxItems > 0 && (len(items) < f.minItems || len(items) > f.maxItems):
		return fmt.Errorf("must have %d to %d items (got %d)", f.minItems, f.maxItems, len(items))
	case f.minItems > 0 && len(items) < f.minItems:
		return fmt.Errorf("must have at least %d items (got %d)", f.minItems, len(items))
	case f.maxItems > 0 && len(items) > f.maxItems:
		return fmt.Errorf("must have at most %d items (got %d)", f.maxItems, len(items))
	}
	out := reflect.MakeSlice(dst.Type(), len(items), len(items))
	elem := field{minLen: 1, maxLen: f.maxLen}
	var problems []string
	for i, item := range items {
		if err := decodeValue(elem, item, out.Index(i)); err != nil {
			problems = append(problems, fmt.Sprintf("item %d %v", i+1, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", listSome(problems))
	}
	dst.Set(out)
	return nil
}

// listItems returns the items of a list argument: a JSON array, a string holding a JSON array,
// or a comma-separated list. A string that starts with '[' is taken for JSON text, so its error
// says what is wrong with the text rather than with a piece of it; one that starts with '{' is
// JSON text of an object, which no list is; one holding JSON text of a string is that string.
func listItems(raw any) ([]any, error) {
	switch v := raw.(type) {
	case []any:
		return v, nil
	case string:
		t := strings.TrimSpace(v)
		var inner string
		switch {
		case strings.HasPrefix(t, "{"):
			var obj map[string]any
			if err := json.Unmarshal([]byte(t), &obj); err != nil {
				return nil, fmt.Errorf("must be an array: the string looks like a JSON object but is not one (%s)", jsonTextError(err))
			}
			return nil, fmt.Errorf("must be an array: the string is JSON text of an object, not of an array")
		case strings.HasPrefix(t, `"`) && json.Unmarshal([]byte(t), &inner) == nil:
			if strings.HasPrefix(strings.TrimSpace(inner), "[") {
				// JSON text of JSON text of an array: encoded twice.
				return listItems(inner)
			}
			// Quotes say where the string starts and ends: its commas are its own.
			return []any{inner}, nil
		}
		if strings.HasPrefix(t, "[") {
			var items []any
			err := decodeExact(t, &items)
			if err == nil {
				return items, nil
			}
			// [a, b] without quotes is a list in brackets, not broken JSON.
			inner, ok := strings.CutSuffix(t[1:], "]")
			if !ok || strings.ContainsAny(inner, `"[]{}`) {
				return nil, fmt.Errorf("must be an array: the string looks like a JSON array but is not one (%s)", jsonTextError(err))
			}
			v = inner
		}
		var items []any
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		return items, nil
	}
	return nil, fmt.Errorf("must be an array (got %s)", jsonKind(raw))
}

// markNumbers returns args (decoded with json.Number) with the strings that the JSON-RPC front
// made of numbers beyond a float64, listed in meta (see jsonrpc.QuotedNumbersKey), turned back
// into numbers, so that a string argument refuses them as numbers and a numeric one names its
// range. Only strings holding JSON number text are turned: a list a client wrote itself can do
// no more than make such a string be refused as a number.
func markNumbers(args any, meta *mcp.Meta) any {
	if meta == nil {
		return args
	}
	pointers, _ := meta.AdditionalFields[jsonrpc.QuotedNumbersKey].([]any)
	for _, p := range pointers {
		if p, ok := p.(string); ok {
			args = setNumber(args, p)
		}
	}
	return args
}

// setNumber returns v with the string at the JSON pointer p (RFC 6901) made a json.Number, when
// it holds JSON number text. Maps and slices along the way are changed in place.
func setNumber(v any, p string) any {
	if p == "" {
		if s, ok := v.(string); ok && s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') && json.Valid([]byte(s)) {
			return json.Number(s)
		}
		return v
	}
	if p[0] != '/' {
		return v
	}
	tok, rest, found := strings.Cut(p[1:], "/")
	if found {
		rest = "/" + rest
	}
	tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
	switch x := v.(type) {
	case map[string]any:
		if it, ok := x[tok]; ok {
			x[tok] = setNumber(it, rest)
		}
	case []any:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(x) && strconv.Itoa(i) == tok {
			x[i] = setNumber(x[i], rest)
		}
	}
	return v
}

// decodeExact decodes JSON text into v as json.Unmarshal does, with its errors, but keeps
// numbers as json.Number: exactly as written, whatever their size or precision.
func decodeExact(text string, v any) error {
	if !json.Valid([]byte(text)) {
		return json.Unmarshal([]byte(text), v)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	return dec.Decode(v)
}

// jsonTextError describes why JSON text sent inside a string argument does not parse, without
// the "json: " prefix and with the offset where the text went wrong.
func jsonTextError(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s at character %d", syn.Error(), syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return "it holds " + jsonValueKind(typ.Value) + ", not an array"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonValueKind names a JSON type as encoding/json's UnmarshalTypeError.Value gives it.
func jsonValueKind(v string) string {
	switch v {
	case "object", "array":
		return "an " + v
	case "bool":
		return "a boolean"
	}
	return "a " + v
}

// jsonKind names the JSON type of a decoded value for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64, json.Number, int, int64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// describe renders a scalar argument for an error message, shortened.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(clip(x))
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case json.Number, int, int64, bool:
		return fmt.Sprint(x)
	}
	return jsonKind(v)
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "..."
}
