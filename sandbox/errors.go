package sandbox

import "fmt"

// The cloud's failure codes that the sandbox answers with. Messages are the cloud's; a detail
// naming the offending field is appended where the cloud's own message would leave a caller
// guessing.
const (
	codeSystem         = 500
	codeGrantType      = 1003
	codeSign           = 1004
	codeClientID       = 1005
	codeToken          = 1010
	codeTime           = 1013
	codeEmpty          = 1100
	codeRange          = 1101
	codePermission     = 1106
	codePath           = 1108
	codeIllegal        = 1109
	codeRateLimit      = 1110
	codeUserNotExist   = 2006
	codeNotSupport     = 2009
	codeDeviceNotExist = 2010
	codeSchema         = 2017
	codeMobile         = 2021
	codeEmail          = 2022
	codeCountry        = 2403
)

// apiError is a failure envelope before it is written.
type apiError struct {
	Code int
	Msg  string
}

func (e *apiError) Error() string { return fmt.Sprintf("tuya sandbox: %d %s", e.Code, e.Msg) }

func errEmpty(field string) *apiError {
	return &apiError{codeEmpty, "param is empty: " + field}
}

func errRange(format string, args ...any) *apiError {
	return &apiError{codeRange, "params range invalid: " + fmt.Sprintf(format, args...)}
}

func errIllegal(format string, args ...any) *apiError {
	return &apiError{codeIllegal, "param is illegal, please check it: " + fmt.Sprintf(format, args...)}
}

var (
	// These are never modified; they are shared answers, not state.
	errSystem         = &apiError{codeSystem, "system error"}
	errPath           = &apiError{codePath, "uri path invalid"}
	errSignInvalid    = &apiError{codeSign, "sign invalid"}
	errClientID       = &apiError{codeClientID, "clientId is invalid"}
	errTime           = &apiError{codeTime, "request time is invalid"}
	errTokenInvalid   = &apiError{codeToken, "token invalid"}
	errTokenExpired   = &apiError{codeToken, "token is expired"}
	errRefreshInvalid = &apiError{codeToken, "refresh token invalid"}
	errRateLimit      = &apiError{codeRateLimit, "concurrent request over limit"}
	errPermission     = &apiError{codePermission, "permission deny"}
	errUserNotExist   = &apiError{codeUserNotExist, "user not exist"}
	errNotSupport     = &apiError{codeNotSupport, "not support this device"}
	errDeviceNotExist = &apiError{codeDeviceNotExist, "device not exist"}
	errSchema         = &apiError{codeSchema, "schema does not exist"}
	errMobile         = &apiError{codeMobile, "invalid mobile phone number"}
	errEmail          = &apiError{codeEmail, "invalid email address"}
	errCountry        = &apiError{codeCountry, "country code is not supported in this data center"}
)
