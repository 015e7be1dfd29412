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
	decoded bool
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

// Extra returns the fields the object carried that its type does not declare, by name, as sent.
func (r Record) Extra() map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(r.extra))
	for _, f := range r.extra {
		m[f.name] = f.raw
	}
	return m
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
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case f.Type == recordType:
			record = []int{i}
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
		fields = append(fields, field{name: name, index: []int{i}})
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
	fields, recIdx := structFields(rv.Type())
	var rec Record
	if recIdx != nil {
		rec = rv.FieldByIndex(recIdx).Interface().(Record)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	written := make(map[string]bool, len(fields))
	put := func(name string, raw []byte) {
		if len(written) > 0 {
			b.WriteByte(',')
		}
		written[name] = true
		key, _ := json.Marshal(name)
		b.Write(key)
		b.WriteByte(':')
		b.Write(raw)
	}
	for _, f := range fields {
		if !rec.Sent(f.name) {
			continue
		}
		raw, err := json.Marshal(rv.FieldByIndex(f.index).Interface())
		if err != nil {
			return nil, fmt.Errorf("client: field %s: %w", f.name, err)
		}
		put(f.name, raw)
	}
	for _, f := range rec.extra {
		if !written[f.name] {
			put(f.name, f.raw)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
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
	d.value(raw, v, "result")
	return d.notes
}

// decoder collects the notes of one result's decoding.
type decoder struct {
	notes []string
}

// drop notes that the value at path was left out.
func (d *decoder) drop(path string, raw json.RawMessage, want string) {
	s := string(raw)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	d.notes = append(d.notes, fmt.Sprintf("%s: %s is not %s; left out", path, s, want))
}

// value decodes raw into v and reports whether it set a value: false for null, an empty string
// where a number or boolean is expected, and a value that cannot be normalised (noted).
func (d *decoder) value(raw json.RawMessage, v reflect.Value, path string) bool {
	raw = bytes.TrimSpace(raw)
	null := string(raw) == "null"
	if v.Type() == rawMessageType {
		// Any JSON value: a data point's value is what the device reports.
		v.SetBytes(bytes.Clone(raw))
		return true
	}
	switch v.Kind() {
	case reflect.Pointer:
		if null {
			return false
		}
		p := reflect.New(v.Type().Elem())
		if !d.value(raw, p.Elem(), path) {
			return false
		}
		v.Set(p)
		return true
	case reflect.Struct:
		if null || raw[0] != '{' {
			if !null {
				d.drop(path, raw, "an object")
			}
			// An object that sent nothing: its Record says every field is absent.
			d.object(json.RawMessage("{}"), v, path)
			return false
		}
		d.object(raw, v, path)
		return true
	case reflect.Slice:
		if null {
			// A list the cloud sent as null is empty.
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return true
		}
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			d.drop(path, raw, "a list")
			// Empty rather than nil, which would encode as null.
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return false
		}
		s := reflect.MakeSlice(v.Type(), 0, len(items))
		for i, item := range items {
			e := reflect.New(v.Type().Elem()).Elem()
			if d.value(item, e, fmt.Sprintf("%s[%d]", path, i)) {
				s = reflect.Append(s, e)
			}
		}
		v.Set(s)
		return true
	case reflect.String:
		return d.str(raw, v, path)
	case reflect.Bool:
		return d.boolean(raw, v, path)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return d.integer(raw, v, path)
	case reflect.Float32, reflect.Float64:
		return d.float(raw, v, path)
	case reflect.Interface:
		if null {
			return false
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var x any
		if dec.Decode(&x) != nil {
			d.drop(path, raw, "JSON")
			return false
		}
		v.Set(reflect.ValueOf(x))
		return true
	}
	if null {
		return false
	}
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		d.drop(path, raw, "of type "+v.Type().String())
		return false
	}
	return true
}

// object decodes a JSON object into struct v: its typed fields by their exact JSON names, every
// other field into its Record.
func (d *decoder) object(raw json.RawMessage, v reflect.Value, path string) {
	fields, recIdx := structFields(v.Type())
	byName := make(map[string][]int, len(fields))
	for _, f := range fields {
		byName[f.name] = f.index
	}
	sent := make(map[string]bool, len(fields))
	var rec Record
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // the opening brace, checked by the caller
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		name, _ := tok.(string)
		var fv json.RawMessage
		if dec.Decode(&fv) != nil {
			break
		}
		idx, typed := byName[name]
		if !typed {
			// A name sent twice keeps its last value, as encoding/json does.
			rec.extra = slices.DeleteFunc(rec.extra, func(f rawField) bool { return f.name == name })
			rec.extra = append(rec.extra, rawField{name: name, raw: fv})
			continue
		}
		target := v.FieldByIndex(idx)
		target.SetZero()
		sent[name] = d.value(fv, target, path+"."+name)
	}
	if recIdx == nil {
		return
	}
	rec.decoded = true
	for _, f := range fields {
		if !sent[f.name] {
			rec.absent = append(rec.absent, f.name)
		}
	}
	v.FieldByIndex(recIdx).Set(reflect.ValueOf(rec))
}

// scalar returns the text of a JSON string, number or boolean: a string unquoted, the others
// as written. ok is false for null, objects and lists.
func scalar(raw json.RawMessage) (text string, quoted, ok bool) {
	switch raw[0] {
	case '"':
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

func (d *decoder) str(raw json.RawMessage, v reflect.Value, path string) bool {
	if string(raw) == "null" {
		return false
	}
	s, _, ok := scalar(raw)
	if !ok {
		d.drop(path, raw, "a string")
		return false
	}
	v.SetString(s)
	return true
}

func (d *decoder) boolean(raw json.RawMessage, v reflect.Value, path string) bool {
	s, _, ok := scalar(raw)
	if string(raw) == "null" || ok && strings.TrimSpace(s) == "" {
		return false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if !ok || err != nil {
		d.drop(path, raw, "a boolean")
		return false
	}
	v.SetBool(b)
	return true
}

func (d *decoder) integer(raw json.RawMessage, v reflect.Value, path string) bool {
	s, _, ok := scalar(raw)
	s = strings.TrimSpace(s)
	if string(raw) == "null" || ok && s == "" {
		return false
	}
	switch s {
	case "true":
		s = "1"
	case "false":
		s = "0"
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
		d.drop(path, raw, "an integer")
		return false
	}
	v.SetInt(n)
	return true
}

func (d *decoder) float(raw json.RawMessage, v reflect.Value, path string) bool {
	s, _, ok := scalar(raw)
	s = strings.TrimSpace(s)
	if string(raw) == "null" || ok && s == "" {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	if !ok || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.drop(path, raw, "a number")
		return false
	}
	v.SetFloat(f)
	return true
}
