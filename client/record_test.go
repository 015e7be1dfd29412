package client

import (
	"reflect"
)

// withoutRecords clears every Record in v (a pointer or slice of result types), in place, and
// returns v: for comparing the typed fields of a decoded result with a literal.
func withoutRecords(v any) any {
	clearRecords(reflect.ValueOf(v))
	return v
}

func clearRecords(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			clearRecords(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			clearRecords(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.Type() == recordType {
				f.SetZero()
			} else if f.CanSet() {
				clearRecords(f)
			}
		}
	}
}
