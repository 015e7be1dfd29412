package client

import "fmt"

// APIError is a failure envelope from the cloud ({"success": false, "code": ...}).
type APIError struct {
	Code int
	Msg  string
	Tid  string
	// Method and Path name the operation; Path is the documented route template, without ids.
	Method string
	Path   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("Tuya error %d (%s) on %s %s (tid %s)", e.Code, e.Msg, e.Method, e.Path, e.Tid)
}
