package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Device control: GET .../status, GET .../functions, GET .../specifications, POST .../commands
// and GET /v1.0/functions/{category}. Each product has a specification, the data points (DPs)
// its devices have, as the cloud reports them: a type name and a "values" document that is JSON
// text inside the JSON answer. Commands are checked against it and applied to the status, and
// logged as an instruction (type 5) followed by the device's report (type 7).

// Data point types, spelt as the OpenAPI specifications spell them.
const (
	dpBoolean = "Boolean"
	dpInteger = "Integer"
	dpEnum    = "Enum"
	dpString  = "String"
	dpJSON    = "Json"
	dpRaw     = "Raw"
	dpBitmap  = "Bitmap"
)

// dpMode says in which list of the specification a data point appears.
type dpMode string

const (
	// modeRW DPs can be sent and are reported: in functions and in status.
	modeRW dpMode = "rw"
	// modeRO DPs are only reported: in status only.
	modeRO dpMode = "ro"
	// modeWO DPs can only be sent: in functions only.
	modeWO dpMode = "wo"
)

// dpSpec is one data point of a product: its specification and, unless write-only, its
// factory value.
type dpSpec struct {
	Code string `json:"code"`
	Type string `json:"type"`
	// Values is the JSON document the cloud sends as a string.
	Values  string          `json:"values"`
	Mode    dpMode          `json:"mode"`
	Default json.RawMessage `json:"default,omitempty"`
	// Name is the standard set's display name of the DP.
	Name string `json:"name,omitempty"`
}

const (
	codeOffline         = 2001
	codeCommandNotSup   = 2008
	codeCategoryUnknown = 2015
)

var (
	errOffline         = &apiError{codeOffline, "device is offline"}
	errCategoryUnknown = &apiError{codeCategoryUnknown, "this category is not supported"}
)

func errCommand(format string, args ...any) *apiError {
	return &apiError{codeCommandNotSup, "command or value not support: " + fmt.Sprintf(format, args...)}
}

// Spec constructors for the demo products.

func boolDP(code string, m dpMode, def bool) dpSpec {
	return dpSpec{Code: code, Type: dpBoolean, Values: "{}", Mode: m, Default: json.RawMessage(strconv.FormatBool(def))}
}

func intDP(code string, m dpMode, unit string, lo, hi, scale, step, def int64) dpSpec {
	v, _ := json.Marshal(struct {
		Unit  string `json:"unit"`
		Min   int64  `json:"min"`
		Max   int64  `json:"max"`
		Scale int64  `json:"scale"`
		Step  int64  `json:"step"`
	}{unit, lo, hi, scale, step})
	return dpSpec{Code: code, Type: dpInteger, Values: string(v), Mode: m, Default: json.RawMessage(strconv.FormatInt(def, 10))}
}

func enumDP(code string, m dpMode, def string, rng ...string) dpSpec {
	v, _ := json.Marshal(map[string][]string{"range": rng})
	d, _ := json.Marshal(def)
	return dpSpec{Code: code, Type: dpEnum, Values: string(v), Mode: m, Default: d}
}

func stringDP(code string, m dpMode, maxlen int) dpSpec {
	return dpSpec{Code: code, Type: dpString, Values: fmt.Sprintf(`{"maxlen":%d}`, maxlen), Mode: m, Default: json.RawMessage(`""`)}
}

// jsonDP's default is JSON text, sent as a JSON string, as the cloud reports Json DPs.
func jsonDP(code string, m dpMode, values, def string) dpSpec {
	d, _ := json.Marshal(def)
	return dpSpec{Code: code, Type: dpJSON, Values: values, Mode: m, Default: d}
}

func rawDP(code string, m dpMode) dpSpec {
	return dpSpec{Code: code, Type: dpRaw, Values: "{}", Mode: m, Default: json.RawMessage(`""`)}
}

func bitmapDP(code string, m dpMode, labels ...string) dpSpec {
	v, _ := json.Marshal(map[string][]string{"label": labels})
	return dpSpec{Code: code, Type: dpBitmap, Values: string(v), Mode: m, Default: json.RawMessage("0")}
}

// defaultsOf is the factory status of a product: every DP that is reported, in spec order.
func defaultsOf(spec []dpSpec) []DP {
	var out []DP
	for _, s := range spec {
		if s.Mode != modeWO {
			out = append(out, DP{Code: s.Code, Value: bytes.Clone(s.Default)})
		}
	}
	return out
}

// specItem is an item of a specification's functions or status list.
type specItem struct {
	Code   string `json:"code"`
	Type   string `json:"type"`
	Values string `json:"values"`
}

// functionItem is an item of an instruction set (device or category functions).
type functionItem struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Desc   string `json:"desc"`
	Type   string `json:"type"`
	Values string `json:"values"`
}

type specification struct {
	Category  string     `json:"category"`
	Functions []specItem `json:"functions"`
	Status    []specItem `json:"status"`
}

type functionSet struct {
	Category  string         `json:"category"`
	Functions []functionItem `json:"functions"`
}

// spec returns the specification of d's product.
func (s *Sandbox) spec(d *Device) []dpSpec {
	if p := s.st.Products[d.ProductID]; p != nil {
		return p.Spec
	}
	return nil
}

// dpName is a DP's display name: the one a user set, the standard one, or its code.
func dpName(sp dpSpec, names map[string]string) string {
	if n := names[sp.Code]; n != "" {
		return n
	}
	if sp.Name != "" {
		return sp.Name
	}
	return strings.ReplaceAll(sp.Code, "_", " ")
}

// getStatus is GET /v1.0/devices/{device_id}/status: the latest value of each DP. An offline
// device answers with its last values.
func (s *Sandbox) getStatus(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	return cloneDPs(d.Status), nil
}

// getSpecification is GET /v1.0/devices/{device_id}/specifications.
func (s *Sandbox) getSpecification(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	out := specification{Category: d.Category, Functions: []specItem{}, Status: []specItem{}}
	for _, sp := range s.spec(d) {
		it := specItem{Code: sp.Code, Type: sp.Type, Values: sp.Values}
		if sp.Mode != modeRO {
			out.Functions = append(out.Functions, it)
		}
		if sp.Mode != modeWO {
			out.Status = append(out.Status, it)
		}
	}
	return out, nil
}

// getFunctions is GET /v1.0/devices/{device_id}/functions: the DPs that can be sent.
func (s *Sandbox) getFunctions(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	out := functionSet{Category: d.Category, Functions: []functionItem{}}
	for _, sp := range s.spec(d) {
		if sp.Mode != modeRO {
			name := dpName(sp, d.FunctionNames)
			out.Functions = append(out.Functions, functionItem{Code: sp.Code, Name: name, Desc: name, Type: sp.Type, Values: sp.Values})
		}
	}
	return out, nil
}

// categoryFunctions is GET /v1.0/functions/{category}: the category's standard instruction
// set: the one Tuya documents for sockets, switches and strips (cz, kg, pc), and for other
// categories every function any product of the category has, in code order. A category with
// neither is 2015.
func (s *Sandbox) categoryFunctions(c *call) (any, error) {
	cat := c.params["category"]
	seen := map[string]bool{}
	out := functionSet{Category: cat, Functions: []functionItem{}}
	var specs [][]dpSpec
	if cat == "cz" || cat == "kg" || cat == "pc" {
		specs = append(specs, socketSpec(6, 6, true))
	}
	for _, id := range slices.Sorted(maps.Keys(s.st.Products)) {
		if p := s.st.Products[id]; p.Category == cat {
			specs = append(specs, p.Spec)
		}
	}
	for _, spec := range specs {
		for _, sp := range spec {
			if sp.Mode != modeRO && !seen[sp.Code] {
				seen[sp.Code] = true
				name := dpName(sp, nil)
				out.Functions = append(out.Functions, functionItem{Code: sp.Code, Name: name, Desc: name, Type: sp.Type, Values: sp.Values})
			}
		}
	}
	if len(specs) == 0 {
		return nil, errCategoryUnknown
	}
	slices.SortFunc(out.Functions, func(a, b functionItem) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// command is one item of a commands body. Code is a pointer so that a null code is told from
// an absent one (both 1100).
type command struct {
	Code  *string         `json:"code"`
	Value json.RawMessage `json:"value"`
}

type commandsBody struct {
	Commands []command `json:"commands"`
}

// sendCommands is POST /v1.0/devices/{device_id}/commands. Every command is checked against
// the device's specification first; one bad command fails the whole call and nothing changes.
// Accepted commands update the status and are logged as an instruction (5) and a report (7).
func (s *Sandbox) sendCommands(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	var b commandsBody
	if err := decodeBody(c.body, &b); err != nil {
		return nil, err
	}
	if len(b.Commands) == 0 {
		return nil, errEmpty("commands")
	}
	spec := s.spec(d)
	values := make([]json.RawMessage, len(b.Commands))
	for i, cmd := range b.Commands {
		if cmd.Code == nil || *cmd.Code == "" {
			return nil, errEmpty("code")
		}
		i0 := slices.IndexFunc(spec, func(sp dpSpec) bool { return sp.Code == *cmd.Code })
		if i0 < 0 || spec[i0].Mode == modeRO {
			return nil, errCommand("%s is not a function of device %s", *cmd.Code, d.ID)
		}
		v, err := checkValue(spec[i0], cmd.Value)
		if err != nil {
			return nil, errCommand("%s: %v", *cmd.Code, err)
		}
		values[i] = v
	}
	if !d.Online {
		return nil, errOffline
	}
	t := c.now.UnixMilli()
	logs := make([]Log, 0, 2*len(b.Commands))
	for i, cmd := range b.Commands {
		logs = append(logs, Log{EventID: eventCommand, EventFrom: fromThirdParty, EventTime: t, Code: *cmd.Code, Value: logValue(values[i])})
	}
	for i, cmd := range b.Commands {
		j := slices.IndexFunc(d.Status, func(dp DP) bool { return dp.Code == *cmd.Code })
		if j < 0 {
			continue // write-only: nothing is reported
		}
		d.Status[j].Value = values[i]
		logs = append(logs, Log{EventID: eventReport, EventFrom: fromDevice, EventTime: t, Code: *cmd.Code, Value: logValue(values[i])})
	}
	s.st.addLogs(d.ID, logs)
	d.UpdateTime = c.now.Unix()
	return true, nil
}

// logValue is a value as logs show it: a string, even for booleans and numbers.
func logValue(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// checkValue checks a command's value against the DP's specification and returns it as the
// status will hold it (a Json value given as an object becomes JSON text).
func checkValue(sp dpSpec, v json.RawMessage) (json.RawMessage, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil, fmt.Errorf("value is missing")
	}
	var x any
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("value is not JSON")
	}
	if sp.Type != dpJSON {
		var vals dpValues
		json.Unmarshal([]byte(sp.Values), &vals) // the sandbox's own specs are valid JSON
		if err := checkScalar(sp.Type, vals, x, v); err != nil {
			return nil, err
		}
		return v, nil
	}
	// A Json value is an object or JSON text of one; status holds it as text.
	obj, isObj := x.(map[string]any)
	text := []byte(nil)
	if y, ok := x.(string); ok {
		dec := json.NewDecoder(strings.NewReader(y))
		dec.UseNumber()
		isObj = dec.Decode(&obj) == nil && obj != nil && !dec.More()
		text = []byte(y)
	}
	if !isObj {
		return nil, fmt.Errorf("%s is not a JSON object or JSON text of one", v)
	}
	if err := checkFields(sp.Values, obj); err != nil {
		return nil, err
	}
	if text == nil {
		var compact bytes.Buffer
		json.Compact(&compact, v) // v decoded above
		b, _ := json.Marshal(compact.String())
		return b, nil
	}
	return v, nil
}

// dpValues is the part of a values document the sandbox checks commands against; a Json DP's
// document maps each of its fields to one of these.
type dpValues struct {
	Min, Max, Step *int64
	Range          []string
	Maxlen         int
	Label          []string
}

// checkFields checks a Json value's fields against its values document: each declared field
// present and valid (an Enum field has a range, an Integer one min and max; others, such as a
// list of scene units, are not checked), and no other field.
func checkFields(values string, obj map[string]any) error {
	var fields map[string]dpValues
	json.Unmarshal([]byte(values), &fields) // the sandbox's own specs are valid JSON
	if len(fields) == 0 {
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if _, ok := fields[k]; !ok {
			return fmt.Errorf("field %s is not one of %s", k, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		x, ok := obj[name]
		if !ok {
			return fmt.Errorf("field %s is missing", name)
		}
		f := fields[name]
		typ := dpInteger
		switch {
		case len(f.Range) > 0:
			typ = dpEnum
		case f.Min == nil && f.Max == nil:
			continue
		}
		b, _ := json.Marshal(x) // decoded from JSON
		if err := checkScalar(typ, f, x, b); err != nil {
			return fmt.Errorf("field %s: %w", name, err)
		}
	}
	return nil
}

// checkScalar checks a value x (decoded with json.Number; v is its JSON text) of a DP that is
// not Json.
func checkScalar(typ string, vals dpValues, x any, v json.RawMessage) error {
	switch typ {
	case dpBoolean:
		if _, ok := x.(bool); !ok {
			return fmt.Errorf("%s is not a boolean", v)
		}
	case dpInteger, dpBitmap:
		n, ok := x.(json.Number)
		i, err := n.Int64()
		if !ok || err != nil {
			return fmt.Errorf("%s is not an integer", v)
		}
		lo, hi, step := int64(0), int64(math.MaxInt64), int64(1)
		if typ == dpBitmap {
			hi = int64(1)<<min(len(vals.Label), 62) - 1
		}
		if vals.Min != nil {
			lo = *vals.Min
		}
		if vals.Max != nil {
			hi = *vals.Max
		}
		if vals.Step != nil && *vals.Step > 0 {
			step = *vals.Step
		}
		if i < lo || i > hi {
			return fmt.Errorf("%d is out of range %d..%d", i, lo, hi)
		}
		if (i-lo)%step != 0 {
			return fmt.Errorf("%d is not on the step %d from %d", i, step, lo)
		}
	case dpEnum:
		s, ok := x.(string)
		if !ok || !slices.Contains(vals.Range, s) {
			return fmt.Errorf("%s is not one of %s", v, strings.Join(vals.Range, ", "))
		}
	case dpString, dpRaw:
		s, ok := x.(string)
		if !ok {
			return fmt.Errorf("%s is not a string", v)
		}
		if vals.Maxlen > 0 && utf8.RuneCountInString(s) > vals.Maxlen {
			return fmt.Errorf("%d characters, at most %d", utf8.RuneCountInString(s), vals.Maxlen)
		}
		// Raw data points carry bytes as base64 text.
		if _, err := base64.StdEncoding.Strict().DecodeString(s); typ == dpRaw && err != nil {
			return fmt.Errorf("%s is not base64", v)
		}
	}
	return nil
}
