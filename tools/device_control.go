package tools

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// Shared by the device_control tools: data point specifications decoded from the cloud's
// "values" text, the check of commands against them, the per-device specification cache and
// the safety categories.

// Data point types as the OpenAPI spells them. Other spellings seen in answers are mapped to
// these by dpType.
const (
	typeBoolean = "Boolean"
	typeInteger = "Integer"
	typeEnum    = "Enum"
	typeString  = "String"
	typeJSON    = "Json"
	typeRaw     = "Raw"
	typeBitmap  = "Bitmap"
)

// dpType maps the spellings of DP types seen in cloud answers (Integer, value, INTEGER, bool,
// fault...) to the OpenAPI names; unknown types stay as they are.
func dpType(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "boolean", "bool":
		return typeBoolean
	case "integer", "value":
		return typeInteger
	case "enum":
		return typeEnum
	case "string":
		return typeString
	case "json":
		return typeJSON
	case "raw":
		return typeRaw
	case "bitmap", "fault":
		return typeBitmap
	}
	return s
}

// dpField is the constraint of one field of a Json data point.
type dpField struct {
	Name string `json:"name"`
	numberOrEnum
}

// numberOrEnum is the constraint of an Integer or Enum, as a data point's values or a Json
// field's have it.
type numberOrEnum struct {
	Unit  string   `json:"unit,omitempty"`
	Min   *int64   `json:"min,omitempty"`
	Max   *int64   `json:"max,omitempty"`
	Scale *int64   `json:"scale,omitempty"`
	Step  *int64   `json:"step,omitempty"`
	Range []string `json:"range,omitempty"`
}

// set reads the member k of a values document into c: known is false for a member that is no
// part of such a constraint, ok false for one whose value is not of its type.
func (c *numberOrEnum) set(k string, x any) (known, ok bool) {
	switch k {
	case "unit":
		c.Unit, ok = x.(string)
	case "min":
		c.Min, ok = int64Of(x)
	case "max":
		c.Max, ok = int64Of(x)
	case "scale":
		c.Scale, ok = int64Of(x)
	case "step":
		c.Step, ok = int64Of(x)
	case "range":
		c.Range, ok = stringsOf(x)
	default:
		return false, false
	}
	return true, ok
}

// dpValues is a specification's "values" document, decoded: numbers sent as strings are
// numbers here, whatever the document's form.
type dpValues struct {
	numberOrEnum
	Maxlen *int64    `json:"maxlen,omitempty"`
	Label  []string  `json:"label,omitempty"`
	Fields []dpField `json:"fields,omitempty"`
	// openFields are a Json DP's fields whose constraints hold more than an Integer or Enum
	// one (scene_units, a list): a command must hold them, and their values go unchecked.
	openFields []string
}

// dpDecoded is what the tools add to a data point: its values decoded, whether it can be sent,
// how to read raw Integers, and a note when the values could not be read.
type dpDecoded struct {
	dpValues
	// ReportOnly marks status codes that are not functions: they cannot be sent.
	ReportOnly bool   `json:"report_only,omitempty"`
	Meaning    string `json:"meaning,omitempty"`
	Note       string `json:"note,omitempty"`
}

// dataPoint is one data point of a specification or instruction set: every field the cloud
// sent, as sent (code, type, values as text or object, name, desc, dp_id, any other), then the
// decoded ones.
type dataPoint struct {
	spec client.DPSpec
	// typ is the type under its OpenAPI name (dpType), for checking commands.
	typ string
	dpDecoded
}

// JSONSchemaRaw describes a data point by its code and type only. The schema is served three
// times over in tools/list, where every property costs context in every session; the other
// properties are allowed, since output schemas do not forbid additional ones, and the tools'
// descriptions name them. Nothing is required: a field the cloud did not send stays absent.
func (dataPoint) JSONSchemaRaw() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"code":{"type":"string"},"type":{"type":"string"}}}`)
}

// MarshalJSON writes the data point as the cloud sent it, then each decoded field unless the
// cloud sent a field of that name: its own stays, so nothing it said is contradicted.
func (d dataPoint) MarshalJSON() ([]byte, error) {
	sent, err := json.Marshal(d.spec)
	if err != nil {
		return nil, err
	}
	added, err := json.Marshal(d.dpDecoded)
	if err != nil {
		return nil, err
	}
	return appendMembers(sent, added)
}

// appendMembers returns JSON object sent with the members of object added whose names it does
// not have.
func appendMembers(sent, added []byte) ([]byte, error) {
	var have map[string]json.RawMessage
	if err := json.Unmarshal(sent, &have); err != nil {
		return nil, err
	}
	out := append(bytes.TrimSuffix(bytes.TrimSpace(sent), []byte("}")), nil...)
	dec := json.NewDecoder(bytes.NewReader(added))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		if _, dup := have[name]; dup {
			continue
		}
		if len(have) > 0 {
			out = append(out, ',')
		}
		have[name] = raw
		key, _ := json.Marshal(name)
		out = append(append(append(out, key...), ':'), raw...)
	}
	return append(out, '}'), nil
}

// valuesNote is the note of a data point whose values document is not a JSON object.
const valuesNote = "values is not a JSON object: shown as sent; commands to this code are checked by type only"

// dataPointOf decodes a DP specification from the cloud.
func dataPointOf(s client.DPSpec) dataPoint {
	dp := dataPoint{spec: s, typ: dpType(s.Type)}
	var ok bool
	dp.dpValues, ok = parseValues(dp.typ, s.ValuesText())
	if !ok {
		dp.Note = valuesNote
	}
	if dp.typ == typeInteger {
		dp.Meaning = integerMeaning(dp.dpValues)
	}
	return dp
}

// integerMeaning says plainly that Integer bounds are raw units, e.g. "min, max and step are
// raw units: real value = raw / 10^1 (raw 250 is 25.0 ℃)".
func integerMeaning(v dpValues) string {
	scale := int64(0)
	if v.Scale != nil {
		scale = *v.Scale
	}
	unit := ""
	if v.Unit != "" {
		unit = " " + v.Unit
	}
	if scale <= 0 || scale > 9 {
		in := ""
		if v.Unit != "" {
			in = ", in " + v.Unit
		}
		return "min, max and step are raw units; scale 0: the raw value is the real value" + in
	}
	return fmt.Sprintf("min, max and step are raw units: real value = raw / 10^%d (raw 250 is %s%s)",
		scale, strconv.FormatFloat(250/math.Pow10(int(scale)), 'f', int(scale), 64), unit)
}

// parseValues decodes a values document for a DP of type typ; ok is false when it is not a
// JSON object (nor empty). It never fails: what it does not know is left out here, and the
// cloud's document reaches the result as sent.
func parseValues(typ, text string) (v dpValues, ok bool) {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" || trimmed == "{}" || trimmed == "null" {
		return v, true
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.UseNumber()
	if dec.Decode(&m) != nil || m == nil || dec.More() {
		return v, false
	}
	for k, x := range m {
		if known, _ := v.set(k, x); known {
			continue
		}
		switch k {
		case "maxlen":
			v.Maxlen, _ = int64Of(x)
		case "label":
			v.Label, _ = stringsOf(x)
		default:
			if typ != typeJSON {
				break
			}
			if f, fok := jsonFieldOf(k, x); fok {
				v.Fields = append(v.Fields, *f)
			} else {
				v.openFields = append(v.openFields, k)
			}
		}
	}
	slices.SortFunc(v.Fields, func(a, b dpField) int { return strings.Compare(a.Name, b.Name) })
	return v, true
}

// jsonFieldOf decodes the constraint of one field of a Json DP; ok is false when it holds more
// than an Integer or Enum constraint.
func jsonFieldOf(name string, x any) (*dpField, bool) {
	m, isMap := x.(map[string]any)
	if !isMap {
		return nil, false
	}
	f := &dpField{Name: name}
	for k, y := range m {
		known, ok := f.set(k, y)
		if !known {
			ok = k == "type"
		}
		if !ok {
			return f, false
		}
	}
	return f, true
}

// int64Of reads an integer sent as a JSON number or a numeric string.
func int64Of(x any) (*int64, bool) {
	n, err := toInt(x)
	if err != nil {
		return nil, false
	}
	return &n, true
}

func stringsOf(x any) ([]string, bool) {
	items, ok := x.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch s := it.(type) {
		case string:
			out = append(out, s)
		case json.Number:
			out = append(out, s.String())
		default:
			return nil, false
		}
	}
	return out, true
}

// deviceSpec is a device's specification, decoded for checking commands.
type deviceSpec struct {
	category string
	// functions are the DPs that can be sent, by code; reported lists the status codes.
	functions map[string]dataPoint
	order     []string
	reported  map[string]bool
}

func newDeviceSpec(s *client.Specification) *deviceSpec {
	ds := &deviceSpec{category: s.Category, functions: map[string]dataPoint{}, reported: map[string]bool{}}
	for _, f := range s.Functions {
		if _, dup := ds.functions[f.Code]; !dup {
			ds.order = append(ds.order, f.Code)
		}
		ds.functions[f.Code] = dataPointOf(f)
	}
	for _, st := range s.Status {
		ds.reported[st.Code] = true
	}
	return ds
}

// check checks one command and returns the value to send (numeric strings and "true"/"false"
// converted, Json given as text or object kept so), or a problem naming the code and what it
// accepts.
func (ds *deviceSpec) check(code string, value any) (any, string) {
	dp, ok := ds.functions[code]
	switch {
	case !ok && ds.reported[code]:
		return nil, fmt.Sprintf("%s: report-only (listed under status, not functions): it cannot be sent", code)
	case !ok && len(ds.order) == 0:
		return nil, fmt.Sprintf("%s: this device accepts no commands (its specification lists no functions)", code)
	case !ok:
		return nil, fmt.Sprintf("%s: not a function of this device; it accepts %s", code, listSome(ds.order))
	}
	v, problem := checkValue(dp.typ, dp.dpValues, value)
	if problem != "" {
		return nil, code + ": " + problem
	}
	return v, ""
}

// checkValue checks a value against a DP's type and values, and converts it. A refusal names
// what the DP accepts.
func checkValue(typ string, vals dpValues, value any) (any, string) {
	switch typ {
	case typeBoolean:
		b, err := decodeBool(value)
		if err != nil {
			return nil, err.Error()
		}
		return b, ""
	case typeInteger:
		return checkInteger(vals, value)
	case typeBitmap:
		return checkBitmap(vals, value)
	case typeEnum:
		s, ok := enumString(value)
		if !ok {
			return nil, fmt.Sprintf("must be a string, one of %s (got %s)", strings.Join(vals.Range, ", "), describe(value))
		}
		if len(vals.Range) > 0 && !slices.Contains(vals.Range, s) {
			return nil, fmt.Sprintf("%q is not one of %s", clip(s), strings.Join(vals.Range, ", "))
		}
		return s, ""
	case typeString, typeRaw:
		return checkString(typ, vals, value)
	case typeJSON:
		return checkJSON(vals, value)
	}
	return value, ""
}

// enumString reads an Enum value: a string, or a number where the range holds numerals
// ("1", "2", "3" for a fan speed).
func enumString(value any) (string, bool) {
	switch v := value.(type) {
	case string:
		return v, true
	case float64, json.Number, int, int64:
		n, err := toInt(v)
		return strconv.FormatInt(n, 10), err == nil
	}
	return "", false
}

// checkString checks a String (any text up to maxlen characters) or a Raw value (base64 text,
// as the cloud carries raw bytes).
func checkString(typ string, vals dpValues, value any) (any, string) {
	want := "a string"
	if typ == typeRaw {
		want = "base64 text"
	}
	if vals.Maxlen != nil && *vals.Maxlen > 0 {
		want += fmt.Sprintf(" of at most %d characters", *vals.Maxlen)
	}
	s, ok := value.(string)
	if ok && typ == typeRaw {
		_, err := base64.StdEncoding.Strict().DecodeString(s)
		ok = err == nil
	}
	if !ok {
		return nil, fmt.Sprintf("must be %s (got %s)", want, describe(value))
	}
	if n := int64(utf8.RuneCountInString(s)); vals.Maxlen != nil && *vals.Maxlen > 0 && n > *vals.Maxlen {
		return nil, fmt.Sprintf("%d characters, at most %d", n, *vals.Maxlen)
	}
	return s, ""
}

// number is a number as sent, read exactly: its value and its text.
type number struct {
	r    *big.Rat
	text string
}

// maxExponent bounds the exponents read exactly: 1e400 is a 400-digit integer, 1e999999999
// would take gigabytes. Beyond it only the sign and the exponent's matter.
const maxExponent = 1000

// numberOf reads a JSON number (json.Number, float64, a Go integer) or a numeric string in
// JSON number syntax, exactly; ok is false for anything else.
func numberOf(v any) (number, bool) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = string(x)
	case string:
		text = x
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return number{}, false
		}
		text = strconv.FormatFloat(x, 'g', -1, 64)
	case int:
		text = strconv.Itoa(x)
	case int64:
		text = strconv.FormatInt(x, 10)
	default:
		return number{}, false
	}
	if !decimalRE().MatchString(text) {
		return number{}, false
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(text), "e")
	if e, err := strconv.Atoi(exp); hasExp && (err != nil || e > maxExponent || e < -maxExponent) {
		// Too far out to write down: a huge integer, or a tiny fraction, or zero.
		r := new(big.Rat)
		m, _ := new(big.Rat).SetString(mant)
		switch {
		case m.Sign() == 0:
		case strings.HasPrefix(exp, "-"):
			r.SetFrac64(1, 2)
		default:
			r.SetFrac(new(big.Int).Lsh(big.NewInt(int64(m.Sign())), 64), big.NewInt(1))
		}
		return number{r, text}, true
	}
	r, ok := new(big.Rat).SetString(text)
	return number{r, text}, ok
}

// intAllowed names the raw Integer values a DP accepts, e.g. "160..880 in steps of 5 (raw
// units, scale 1)".
func intAllowed(vals dpValues) string {
	steps := ""
	if vals.Step != nil && *vals.Step > 1 {
		steps = fmt.Sprintf(" in steps of %d", *vals.Step)
	}
	return fmt.Sprintf("%s..%s%s (raw units, scale %d)", bound(vals.Min), bound(vals.Max), steps, scaleOf(vals))
}

// mustBeInteger is the rule an Integer value breaks, with its range when the specification
// gives one.
func mustBeInteger(vals dpValues) string {
	if vals.Min == nil && vals.Max == nil {
		return "must be an integer"
	}
	return "must be an integer in " + intAllowed(vals)
}

func scaleOf(vals dpValues) int64 {
	if vals.Scale != nil {
		return *vals.Scale
	}
	return 0
}

// checkInteger checks a raw Integer value: an integer (numeric strings accepted, numbers read
// exactly) in min..max on the step grid from min.
func checkInteger(vals dpValues, value any) (any, string) {
	num, ok := numberOf(value)
	if !ok {
		return nil, fmt.Sprintf("%s (got %s)", mustBeInteger(vals), describe(value))
	}
	if !num.r.IsInt() {
		hint := ""
		if scale := scaleOf(vals); scale > 0 && scale <= 9 {
			raw := new(big.Rat).Mul(num.r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil)))
			hint = fmt.Sprintf("; %s in real units is sent as %s", num.text, raw.FloatString(0))
		}
		return nil, fmt.Sprintf("%s (got %s)%s", mustBeInteger(vals), num.text, hint)
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if vals.Min != nil {
		lo = *vals.Min
	}
	if vals.Max != nil {
		hi = *vals.Max
	}
	n := num.r.Num()
	if !n.IsInt64() || n.Int64() < lo || n.Int64() > hi {
		return nil, fmt.Sprintf("%s is outside %s", num.text, intAllowed(vals))
	}
	if vals.Step != nil && *vals.Step > 1 {
		from := int64(0)
		if vals.Min != nil {
			from = *vals.Min
		}
		if off := (n.Int64() - from) % *vals.Step; off != 0 {
			below := n.Int64() - off
			return nil, fmt.Sprintf("%s is not on the step grid (from %d in steps of %d: %d or %d)", num.text, from, *vals.Step, below, below+*vals.Step)
		}
	}
	return n.Int64(), ""
}

// checkBitmap checks a Bitmap value: an integer whose bit i set means label i.
func checkBitmap(vals dpValues, value any) (any, string) {
	hi := int64(math.MaxInt64)
	allowed := "a bitmask, 0 or more"
	if len(vals.Label) > 0 {
		hi = int64(1)<<min(len(vals.Label), 62) - 1
		allowed = fmt.Sprintf("0..%d (a bitmask of %s)", hi, strings.Join(vals.Label, ", "))
	}
	num, ok := numberOf(value)
	if !ok || !num.r.IsInt() {
		return nil, fmt.Sprintf("must be an integer in %s (got %s)", allowed, describe(value))
	}
	if n := num.r.Num(); !n.IsInt64() || n.Sign() < 0 || n.Int64() > hi {
		return nil, fmt.Sprintf("%s is outside %s", num.text, allowed)
	}
	return num.r.Num().Int64(), ""
}

func bound(b *int64) string {
	if b == nil {
		return "?"
	}
	return strconv.FormatInt(*b, 10)
}

// checkJSON accepts an object or JSON text holding one. When the values document declares the
// fields, the object must hold each of them and no other: Integer and Enum fields of their type
// (numeric strings converted) and in range, fields with richer constraints (lists) as given. The
// value goes out in the form it came, converted. Tuya does not document what the cloud does with
// a missing or an unknown field; refusing tells the model the fields instead of letting the
// device store a colour without a hue.
func checkJSON(vals dpValues, value any) (any, string) {
	names := slices.Clone(vals.openFields)
	for _, f := range vals.Fields {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	want := "a JSON object"
	if len(names) > 0 {
		want += " {" + strings.Join(names, ", ") + "}"
	}
	obj, ok := value.(map[string]any)
	text, isText := value.(string)
	if isText {
		ok = decodeExact(text, &obj) == nil && obj != nil
	}
	if !ok {
		got := jsonKind(value)
		if isText {
			got = "a string that is not"
		}
		return nil, fmt.Sprintf("must be %s, or JSON text holding one (got %s)", want, got)
	}
	if len(names) == 0 {
		return value, ""
	}
	out := make(map[string]any, len(obj))
	var problems, missing []string
	for _, name := range vals.openFields {
		if x, present := obj[name]; present {
			out[name] = x
		} else {
			missing = append(missing, name)
		}
	}
	for _, f := range vals.Fields {
		x, present := obj[f.Name]
		if !present {
			missing = append(missing, f.Name)
			continue
		}
		fv := dpValues{numberOrEnum: f.numberOrEnum}
		typ := typeInteger
		if len(f.Range) > 0 {
			typ = typeEnum
		}
		v, p := checkValue(typ, fv, x)
		if p != "" {
			problems = append(problems, f.Name+" "+p)
		}
		out[f.Name] = v
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		problems = append(problems, fmt.Sprintf("lacks %s (it must hold %s)", strings.Join(missing, ", "), strings.Join(names, ", ")))
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if slices.Contains(names, k) {
			continue
		}
		problems = append(problems, fmt.Sprintf("has unknown field %q (its fields: %s)", clip(k), strings.Join(names, ", ")))
	}
	if len(problems) > 0 {
		return nil, strings.Join(problems, ", ")
	}
	if isText {
		b, _ := json.Marshal(out) // decoded from JSON and converted, so it encodes
		return string(b), ""
	}
	return out, ""
}

// specTTL is how long a device's specification is reused for checking commands. Firmware
// updates and instruction-mode changes alter it rarely; a 2008 answer drops it at once.
const specTTL = 3 * time.Minute

// specCache keeps decoded specifications per device id, for one server.
type specCache struct {
	mu      sync.Mutex
	entries map[string]specEntry
}

type specEntry struct {
	spec    *deviceSpec
	fetched time.Time
}

func newSpecCache() *specCache { return &specCache{entries: map[string]specEntry{}} }

func (c *specCache) put(deviceID string, ds *deviceSpec, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Expired entries go when a new one comes, so the map stays as large as the devices in use.
	for k, e := range c.entries {
		if now.Sub(e.fetched) >= specTTL {
			delete(c.entries, k)
		}
	}
	c.entries[deviceID] = specEntry{ds, now}
}

func (c *specCache) get(deviceID string, now time.Time) *deviceSpec {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[deviceID]
	if !ok || now.Sub(e.fetched) >= specTTL || now.Before(e.fetched) {
		return nil
	}
	return e.spec
}

func (c *specCache) drop(deviceID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, deviceID)
}

// deviceSpec returns the device's specification from the cache, or reads it from Tuya.
func (e *env) deviceSpec(ctx context.Context, deviceID string) (*deviceSpec, error) {
	if ds := e.specs.get(deviceID, e.now()); ds != nil {
		return ds, nil
	}
	s, err := e.c.GetSpecification(ctx, deviceID)
	if err != nil {
		return nil, err
	}
	ds := newDeviceSpec(s)
	e.specs.put(deviceID, ds, e.now())
	return ds, nil
}

// safetyCategories are the Tuya category codes of devices that control access or safety: a
// command to one is destructive for --confirm-destructive.
func safetyCategories() map[string]string {
	return map[string]string{
		"ms":      "door lock",
		"jtmspro": "door lock",
		"jtmsbh":  "door lock",
		"gyms":    "door lock",
		"bxx":     "safe box",
		"ckmkzq":  "garage door or gate opener",
		"sfkzq":   "valve",
		"mal":     "alarm panel",
		"qn":      "heater",
		"rs":      "water heater",
		"dr":      "electric blanket",
	}
}

// SafetyCategories returns the safety category codes, sorted, with what each controls.
func SafetyCategories() [][2]string {
	m := safetyCategories()
	out := make([][2]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, [2]string{k, m[k]})
	}
	return out
}

// jsonCompact renders a command value for a question: JSON, clipped.
func jsonCompact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(string(b))
}
