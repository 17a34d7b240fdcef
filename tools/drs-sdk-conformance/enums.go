package main

import (
	"fmt"
	"reflect"
)

// The SDK's enum types decode any string; these helpers check a decoded
// value against the enum's own list (the Get...Enum() struct, one field per
// value, each with a Value() string method).

// enumValues lists the values of an SDK enum struct.
func enumValues(enum any) []string {
	v := reflect.ValueOf(enum)
	values := make([]string, 0, v.NumField())
	for i := 0; i < v.NumField(); i++ {
		values = append(values, v.Field(i).Interface().(interface{ Value() string }).Value())
	}
	return values
}

// enumByValue is the member of an SDK enum struct whose value is `value`.
func enumByValue[T interface{ Value() string }](enum any, value string) (T, bool) {
	v := reflect.ValueOf(enum)
	for i := 0; i < v.NumField(); i++ {
		if member, ok := v.Field(i).Interface().(T); ok && member.Value() == value {
			return member, true
		}
	}
	var zero T
	return zero, false
}

// inEnum fails when `value` of `field` is not one of the SDK enum's values.
func inEnum(field, value string, enum any) error {
	if !contains(enumValues(enum), value) {
		return fmt.Errorf("%s %q is not one of the SDK's values %v", field, value, enumValues(enum))
	}
	return nil
}
