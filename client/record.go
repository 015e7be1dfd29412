package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The cloud types its answers one way in its documentation and, from one server or SDK to the
// next, sometimes another: ids and times as numbers or strings, booleans as 0/1 or "true",
// null for lists and objects. The result types of this package are decoded tolerantly: each
// documented field is normalised to the Go type it is declared with, a value that cannot be
// (an object where a time is expected) is left out with a note rather than failing the call,
// and every field the types do not declare is kept, under its own name, in the Record of the
// object that carried it.

// Record is what one object of an answer carried besides the values of its typed fields: which
// typed fields it did not send (so that an absent field is told apart from a zero one) and every
// field the type does not declare, in the order sent. Result types embed it as a field named
// Record; MarshalRecord writes the object back as the cloud sent it, normalised.
type Record struct {
	// absent lists the JSON names of typed fields the object did not send, sent as null, or
	// sent with a value that could not be normalised.
	absent []string
	extra  []rawField
}

// rawField is one field of an object that its type does not declare.
type rawField struct {
	name string
	raw  json.RawMessage
}

// Sent reports whether the object carried the typed field name with a usable value. Values not
// made by decoding an answer have sent every field.
func (r Record) Sent(name string) bool {
	for _, a := range r.absent {
		if a == name {
			return false
		}
	}
	return true
}

// Including returns a copy of r that counts the named typed fields as sent, so that they are
// written even when the cloud left them out: a result's required list, say.
func (r Record) Including(names ...string) Record {
	out := r
	out.absent = nil
	for _, a := range r.absent {
		if !slices.Contains(names, a) {
			out.absent = append(out.absent, a)
		}
	}
	return out
}

// Excluding returns a copy of r that counts the named typed fields as not sent, so that they are
// not written: a secret the caller withholds, say.
func (r Record) Excluding(names ...string) Record {
	out := r
	out.absent = append(slices.Clone(r.absent), names...)
	return out
}

var (
	recordType     = reflect.TypeFor[Record]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
)

// field is one typed field of a struct, its embedded structs' fields flattened.
type field struct {
	name  string
	index []int
}

// structFields returns the JSON-named fields of struct type t, in order, with the fields of
// untagged embedded structs in place, and the index of its Record field (nil when it has none).
func structFields(t reflect.Type) (fields []field, record []int) {
	// One array holds the indexes of the direct fields: encoding a record calls this per object.
	direct := make([]int, t.NumField())
	fields = make([]field, 0, t.NumField())
	for i := range t.NumField() {
		direct[i] = i
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case f.Type == recordType:
			record = direct[i : i+1 : i+1]
			continue
		case tag == "-":
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			inner, rec := structFields(f.Type)
			for _, in := range inner {
				fields = append(fields, field{name: in.name, index: append([]int{i}, in.index...)})
			}
			if rec != nil && record == nil {
				record = append([]int{i}, rec...)
			}
			continue
		case !f.IsExported():
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields = append(fields, field{name: name, index: direct[i : i+1 : i+1]})
	}
	return fields, record
}

// MarshalRecord encodes struct value v (a result type or a type made from one by conversion)
// as the object the cloud sent: its typed fields that were sent, zero values included and
// omitempty ignored, then its Record's other fields. Typed fields added after decoding (a name
// not in the decoded type) are always written. An extra field with the name of a typed one is
// dropped: a JSON object holds each name once.
func MarshalRecord(v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("client: MarshalRecord of %s, want a struct", rv.Type())
	}
	return appendRecord(make([]byte, 0, 256), rv)
}

// appendRecord appends struct value rv encoded as MarshalRecord says.
func appendRecord(b []byte, rv reflect.Value) ([]byte, error) {
	fields, recIdx := structFields(rv.Type())
	var rec Record
	if recIdx != nil {
		rec = rv.FieldByIndex(recIdx).Interface().(Record)
	}
	b = append(b, '{')
	first := true
	for _, f := range fields {
		if !rec.Sent(f.name) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, f.name)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, rv.FieldByIndex(f.index)); err != nil {
			return nil, fmt.Errorf("client: field %s: %w", f.name, err)
		}
	}
	for _, x := range rec.extra {
		if slices.ContainsFunc(fields, func(f field) bool { return f.name == x.name && rec.Sent(f.name) }) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, x.name)
		b = append(b, ':')
		b = append(b, x.raw...)
	}
	return append(b, '}'), nil
}

// appendValue appends the JSON of v: scalars, raw values and lists of records directly (a
// device's status, say), the rest through encoding/json.
func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	switch {
	case v.Type() == rawMessageType:
		if v.Len() == 0 {
			return append(b, "null"...), nil
		}
		return append(b, v.Bytes()...), nil
	case v.Kind() == reflect.String:
		return appendString(b, v.String()), nil
	case v.Kind() == reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case v.Kind() >= reflect.Int && v.Kind() <= reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct && !v.IsNil():
		if _, rec := structFields(v.Type().Elem()); rec != nil {
			b = append(b, '[')
			for i := range v.Len() {
				if i > 0 {
					b = append(b, ',')
				}
				var err error
				if b, err = appendRecord(b, v.Index(i)); err != nil {
					return nil, err
				}
			}
			return append(b, ']'), nil
		}
	}
	raw, err := json.Marshal(v.Interface())
	return append(b, raw...), err
}

// appendString appends s as a JSON string, as encoding/json writes it.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			raw, _ := json.Marshal(s)
			return append(b, raw...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// decodeResult decodes a success envelope's result into out (a pointer) tolerantly and returns
// a note for each value it had to leave out. It never fails: what cannot be normalised is left
// out, with a note.
func decodeResult(raw json.RawMessage, out any) []string {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	v = v.Elem()
	v.SetZero()
	var d decoder
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("null")
	}
	if string(bytes.TrimSpace(raw)) == "null" && v.Kind() == reflect.Struct {
		d.notes = append(d.notes, "the cloud answered success without a result")
	}
	d.value(raw, v)
	return d.notes
}

// decoder collects the notes of one result's decoding, and the fields of the struct types it
// met, so that a list of a hundred devices reflects on the type once.
type decoder struct {
	notes []string
	types map[reflect.Type]*typeInfo
	// path is where in the result the value being decoded is, for the notes.
	path []segment
}

// segment is one step of a path: a member's name, or an item's index when name is nil.
type segment struct {
	name  []byte
	index int
}

// where writes d.path as the notes name it: result.devices[0].active_time.
func (d *decoder) where() string {
	var b strings.Builder
	b.WriteString("result")
	for _, s := range d.path {
		if s.name == nil {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		b.WriteByte('.')
		b.Write(s.name)
	}
	return b.String()
}

// typeInfo is what decoding needs of a struct type.
type typeInfo struct {
	fields []field
	record []int
	// byName maps a JSON name to its position in fields.
	byName map[string]int
}

func (d *decoder) info(t reflect.Type) *typeInfo {
	if ti, ok := d.types[t]; ok {
		return ti
	}
	fields, record := structFields(t)
	ti := &typeInfo{fields: fields, record: record, byName: make(map[string]int, len(fields))}
	for i, f := range fields {
		ti.byName[f.name] = i
	}
	if d.types == nil {
		d.types = map[reflect.Type]*typeInfo{}
	}
	d.types[t] = ti
	return ti
}

// drop notes that the value at d.path was left out. The note describes an object or list
// rather than quoting it, and quotes a scalar only when it is short and nothing about it names
// a local key: notes are shown as they are, and a dropped value may hold a device's secret.
func (d *decoder) drop(raw json.RawMessage, want string) {
	d.notes = append(d.notes, fmt.Sprintf("%s: %s is not %s; left out", d.where(), d.describe(raw), want))
}

// describe says what raw is without quoting anything that could be secret.
func (d *decoder) describe(raw json.RawMessage) string {
	count := 0
	switch raw[0] {
	case '{':
		members(raw, func([]byte, json.RawMessage) { count++ })
		return plural("an object with %d member", count)
	case '[':
		elements(raw, func(int, json.RawMessage) { count++ })
		return plural("a list of %d item", count)
	}
	secret := bytes.Contains(bytes.ToLower(raw), []byte("local"))
	for _, s := range d.path {
		secret = secret || IsLocalKeyName(string(s.name))
	}
	if secret || len(raw) > 40 {
		if raw[0] == '"' {
			return fmt.Sprintf("a string of %d bytes", len(raw)-2)
		}
		return "a value"
	}
	return string(raw)
}

// plural formats a count, adding an s unless it is 1.
func plural(format string, n int) string {
	s := fmt.Sprintf(format, n)
	if n != 1 {
		s += "s"
	}
	return s
}

// IsLocalKeyName reports whether a member name names a device's local key: lower-cased and with
// everything but letters dropped, it contains "localkey" (local_key, localKey, devLocalKey,
// localKeys, local_key_v2).
func IsLocalKeyName(name string) bool {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Contains(b.String(), "localkey")
}

// value decodes raw, at d.path in the result, into v and reports whether it set a value: false
// for null and for a value that cannot be normalised (noted), such as an empty string where a
// number or boolean is expected.
func (d *decoder) value(raw json.RawMessage, v reflect.Value) bool {
	raw = bytes.TrimSpace(raw)
	null := string(raw) == "null"
	if v.Type() == rawMessageType {
		// Any JSON value: a data point's value is what the device reports. raw is part of
		// the answer's body, which nothing else holds or changes.
		v.SetBytes(raw)
		return true
	}
	if u, ok := addrUnmarshaler(v); ok {
		// A type with its own tolerance decodes itself.
		if null {
			return false
		}
		if err := u.UnmarshalJSON(raw); err != nil {
			d.drop(raw, "of type "+v.Type().String())
			return false
		}
		return true
	}
	switch v.Kind() {
	case reflect.Pointer:
		if null {
			return false
		}
		p := reflect.New(v.Type().Elem())
		if !d.value(raw, p.Elem()) {
			return false
		}
		v.Set(p)
		return true
	case reflect.Struct:
		if null || raw[0] != '{' {
			if !null {
				d.drop(raw, "an object")
			}
			// An object that sent nothing: its Record says every field is absent.
			d.object(json.RawMessage("{}"), v)
			return false
		}
		d.object(raw, v)
		return true
	case reflect.Slice:
		if null {
			// A list the cloud sent as null is empty.
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return true
		}
		if raw[0] != '[' {
			d.drop(raw, "a list")
			// Empty rather than nil, which would encode as null.
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return false
		}
		s := reflect.MakeSlice(v.Type(), 0, 0)
		e := reflect.New(v.Type().Elem()).Elem()
		elements(raw, func(i int, item json.RawMessage) {
			if string(item) == "null" {
				d.notes = append(d.notes, fmt.Sprintf("%s: item %d was null; left out", d.where(), i))
				return
			}
			e.SetZero()
			d.path = append(d.path, segment{index: i})
			if d.value(item, e) {
				s = reflect.Append(s, e)
			}
			d.path = d.path[:len(d.path)-1]
		})
		v.Set(s)
		return true
	case reflect.String:
		return d.str(raw, v)
	case reflect.Bool:
		return d.boolean(raw, v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return d.integer(raw, v)
	case reflect.Interface:
		if null {
			return false
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var x any
		if dec.Decode(&x) != nil {
			d.drop(raw, "JSON")
			return false
		}
		v.Set(reflect.ValueOf(x))
		return true
	}
	if null {
		return false
	}
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		d.drop(raw, "of type "+v.Type().String())
		return false
	}
	return true
}

// object decodes a JSON object into struct v: its typed fields by their exact JSON names, every
// other field into its Record.
func (d *decoder) object(raw json.RawMessage, v reflect.Value) {
	ti := d.info(v.Type())
	sent := make([]bool, len(ti.fields))
	var rec Record
	members(raw, func(name []byte, fv json.RawMessage) {
		i, typed := ti.byName[string(name)]
		if !typed {
			// A name sent twice keeps its last value, as encoding/json does.
			n := string(name)
			rec.extra = slices.DeleteFunc(rec.extra, func(f rawField) bool { return f.name == n })
			rec.extra = append(rec.extra, rawField{name: n, raw: fv})
			return
		}
		target := v.FieldByIndex(ti.fields[i].index)
		target.SetZero()
		d.path = append(d.path, segment{name: name})
		sent[i] = d.value(fv, target)
		d.path = d.path[:len(d.path)-1]
	})
	if ti.record == nil {
		return
	}
	for i, f := range ti.fields {
		if !sent[i] {
			rec.absent = append(rec.absent, f.name)
		}
	}
	*v.FieldByIndex(ti.record).Addr().Interface().(*Record) = rec
}

// The answer was checked to be JSON when its envelope was decoded, so a result is split with a
// scanner that only finds where values end: much cheaper than decoding each member again.

// members calls fn with the name and raw value of each member of JSON object raw, in order.
func members(raw []byte, fn func(name []byte, value json.RawMessage)) {
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] == '"' {
		end := stringEnd(raw, i)
		name := raw[i+1 : max(i+1, end-1)]
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			var unquoted string
			if json.Unmarshal(raw[i:end], &unquoted) != nil {
				return
			}
			name = []byte(unquoted)
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return
		}
		i = skipSpace(raw, i+1)
		if i >= len(raw) {
			return
		}
		vend := valueEnd(raw, i)
		fn(name, raw[i:vend:vend])
		i = skipSpace(raw, vend)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
}

// elements calls fn with each element of JSON array raw, in order.
func elements(raw []byte, fn func(i int, value json.RawMessage)) {
	i := skipSpace(raw, 1)
	for n := 0; i < len(raw) && raw[i] != ']'; n++ {
		vend := valueEnd(raw, i)
		fn(n, raw[i:vend:vend])
		i = skipSpace(raw, vend)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string that starts at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

// scalar returns the text of a JSON string, number or boolean: a string unquoted, the others
// as written. ok is false for null, objects and lists.
func scalar(raw json.RawMessage) (text string, quoted, ok bool) {
	switch raw[0] {
	case '"':
		if inner := raw[1 : len(raw)-1]; len(raw) >= 2 && bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return string(inner), true, true
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false, false
		}
		return s, true, true
	case '{', '[', 'n':
		return "", false, false
	}
	return string(raw), false, true
}

func (d *decoder) str(raw json.RawMessage, v reflect.Value) bool {
	if string(raw) == "null" {
		return false
	}
	s, quoted, ok := scalar(raw)
	if !ok {
		d.drop(raw, "a string")
		return false
	}
	if quoted && strings.ContainsRune(s, utf8.RuneError) && replaced(raw) {
		d.notes = append(d.notes, fmt.Sprintf("%s: a character that is not valid Unicode (a lone UTF-16 surrogate or a "+
			"malformed byte) was replaced by U+FFFD", d.where()))
	}
	v.SetString(s)
	return true
}

// replaced reports whether decoding JSON string raw replaces something by U+FFFD: a lone
// surrogate escape or a byte that is not UTF-8, rather than a U+FFFD the cloud sent. It reads
// the escapes in order, so that an escaped backslash before "ud800" is not taken for one.
func replaced(raw json.RawMessage) bool {
	if !utf8.Valid(raw) {
		return true
	}
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		r, ok := escapedRune(raw, i)
		if !ok {
			i++ // \\, \" and the like: skip the escaped character
			continue
		}
		i += 5
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			// A high surrogate followed by a low one is a valid pair: skip both.
			if low, ok := escapedRune(raw, i+1); ok && low >= 0xDC00 && low <= 0xDFFF {
				i += 6
				continue
			}
			return true
		}
	}
	return false
}

// escapedRune reads the \uXXXX escape at raw[i], if there is one.
func escapedRune(raw []byte, i int) (rune, bool) {
	if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 32)
	return rune(n), err == nil
}

func (d *decoder) boolean(raw json.RawMessage, v reflect.Value) bool {
	if string(raw) == "null" {
		return false
	}
	s, _, ok := scalar(raw)
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if !ok || err != nil {
		d.drop(raw, "a boolean")
		return false
	}
	v.SetBool(b)
	return true
}

// integer normalises an integer however written: 12, "12", 1.2e1, "12.0". A boolean is not a
// number, nor is "": both are left out with a note, as anything else that is not an integer.
func (d *decoder) integer(raw json.RawMessage, v reflect.Value) bool {
	if string(raw) == "null" {
		return false
	}
	s, _, ok := scalar(raw)
	s = strings.TrimSpace(s)
	if raw[0] == 't' || raw[0] == 'f' {
		ok = false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// 1.7e12 or 12.0: integral however written.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
			ok = false
		}
		n = int64(f)
	}
	if !ok || v.OverflowInt(n) {
		d.drop(raw, "an integer")
		return false
	}
	v.SetInt(n)
	return true
}

// addrUnmarshaler returns the json.Unmarshaler of addressable, non-pointer v, if its type has
// one.
func addrUnmarshaler(v reflect.Value) (json.Unmarshaler, bool) {
	if !v.CanAddr() || v.Kind() == reflect.Pointer {
		return nil, false
	}
	u, ok := v.Addr().Interface().(json.Unmarshaler)
	return u, ok
}
