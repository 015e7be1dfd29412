package client

import (
	"errors"
	"fmt"
	"net/http"
)

// Codes of the cloud's failure envelopes that callers branch on.
const (
	CodeSystemError        = 500
	CodeSignInvalid        = 1004
	CodeTokenInvalid       = 1010
	CodeTokenInvalidAlt    = 1011
	CodeRequestTimeInvalid = 1013
	CodeParamEmpty         = 1100
	CodeParamRange         = 1101
	CodeTypeIncorrect      = 1104
	CodePermissionDeny     = 1106
	CodeURIPathInvalid     = 1108
	CodeParamIllegal       = 1109
	CodeConcurrentLimit    = 1110
	CodeSystemBusy         = 1111
	CodeTooFrequent        = 1199
	CodeDeviceOffline      = 2001
	CodeFunctionNotSupport = 2003
	CodeCommandNotSupport  = 2008
	CodeUserNotExist       = 2006
	CodeDeviceNotSupported = 2009
	CodeDeviceNotExist     = 2010
	CodeCategoryNotSupport = 2015
	CodeSchemaNotExist     = 2017
	CodeInvalidMobile      = 2021
	CodeInvalidEmail       = 2022
	CodeCountryCode        = 2403
	CodePlanExpired        = 28841002
	CodeTrialQuotaUsed     = 28841004
	CodeAPINotSubscribed   = 28841101
)

// APIError is a failure envelope from the cloud ({"success": false, "code": ...}).
type APIError struct {
	Code int
	Msg  string
	Tid  string
	// Method and Path name the operation; Path is the documented route template, without ids.
	Method string
	Path   string
	// AfterUncertainAttempt is set when this answer came to a retry, after an earlier attempt
	// that may have carried the operation out (its answer was lost, or was a 500 or 1111). The
	// answer may then describe the state that attempt left: a delete told that its target does
	// not exist has probably done its work on the earlier attempt.
	AfterUncertainAttempt bool
}

func (e *APIError) Error() string {
	return fmt.Sprintf("Tuya error %d (%s) on %s %s (tid %s)", e.Code, e.Msg, e.Method, e.Path, e.Tid)
}

// Hint returns a short, actionable suggestion for the error's code, or "" when there is none.
func (e *APIError) Hint() string {
	switch e.Code {
	case CodeSignInvalid:
		return "the signature was refused: check the access ID and access secret, and that the system clock is right"
	case CodeTokenInvalid, CodeTokenInvalidAlt:
		return "the access token was refused (expired, or revoked by another process sharing the project); retry the call"
	case CodeRequestTimeInvalid:
		return "the request time was refused: the local clock is off; synchronise it (NTP)"
	case CodePermissionDeny:
		return "permission denied: check the app schema and that the app is authorised in the cloud project (Devices > Link App Account)"
	case CodeUserNotExist:
		return "no such user: check the uid or user_id; user_list or device_user_list lists them"
	case CodeDeviceNotExist:
		return "no such device: check device_id; device_list finds devices"
	case CodeSchemaNotExist:
		return "no such app schema: check the schema of the app in the cloud project"
	case CodeInvalidMobile:
		return "username_type is mobile but the username is not a valid mobile phone number"
	case CodeInvalidEmail:
		return "username_type is email but the username is not a valid email address"
	case CodeCountryCode:
		return "the country code is not served by this data centre: use the region of the user's country"
	case CodeConcurrentLimit, CodeTooFrequent:
		return "rate limited: slow down and retry later, or raise the API's rate limit in the cloud project"
	case CodeSystemBusy, CodeSystemError:
		return "the cloud failed temporarily: retry later"
	case CodePlanExpired:
		return "the cloud development plan of the project has expired: renew it on the Tuya IoT platform"
	case CodeTrialQuotaUsed:
		return "the trial quota of the project is used up: upgrade the cloud development plan on the Tuya IoT platform"
	case CodeAPINotSubscribed:
		return "the project is not subscribed to this API's service: subscribe to it on the Tuya IoT platform (Cloud > Cloud Services)"
	}
	return ""
}

// IsCode reports whether err is, or wraps, an *APIError with the given code.
func IsCode(err error, code int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}

// HTTPError is an answer that is not a Tuya envelope: a status other than 200, or a body that is
// not a JSON envelope (a proxy's error page, say). The cloud itself always answers 200 with an
// envelope, so this usually points at the endpoint or something in front of it.
type HTTPError struct {
	StatusCode int
	// Reason says what was wrong with the answer.
	Reason string
	Method string
	Path   string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("client: %s %s: HTTP %d %s: %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.Reason)
}

// ErrOutcomeUnknown is wrapped by the error of a non-idempotent call (AddDeviceUser, SendCommands) that failed
// after the request may have reached the cloud: it may or may not have taken effect, and the
// client did not retry it so as not to run it twice.
var ErrOutcomeUnknown = errors.New("the outcome is unknown: the request may or may not have been carried out")
