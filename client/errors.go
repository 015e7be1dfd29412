package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
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
	// TokenRequest is set when the answer came to a request for an access token, not to the
	// operation itself.
	TokenRequest bool
}

func (e *APIError) Error() string {
	return fmt.Sprintf("Tuya error %d (%s) on %s %s (tid %s)", e.Code, e.Msg, e.Method, e.Path, e.Tid)
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
	// ContentType is the answer's Content-Type header, or what its first bytes look like when it
	// had none; Location is its Location header. An HTML page or a redirect comes from something
	// other than the cloud's API.
	ContentType string
	Location    string
	// TokenRequest is set when the answer came to a request for an access token.
	TokenRequest bool
}

// Redirect reports whether the answer was a redirect (3xx), which the client does not follow:
// the cloud's API never redirects, a web server or proxy at the endpoint does.
func (e *HTTPError) Redirect() bool { return e.StatusCode >= 300 && e.StatusCode < 400 }

// Gateway reports whether the status is a gateway's (502, 503, 504): something in front of the
// cloud, or the cloud itself, did not answer in time. Such failures are transient.
func (e *HTTPError) Gateway() bool {
	switch e.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// HTML reports whether the answer was an HTML page, such as a proxy's login or error page.
func (e *HTTPError) HTML() bool {
	return strings.Contains(strings.ToLower(e.ContentType), "html")
}

// NoAnswerError is a request that got no answer: the connection failed, or no answer came
// within the per-attempt timeout. It is the last attempt's failure when retries did not help.
type NoAnswerError struct {
	Method string
	// Path is the documented route template of the request.
	Path string
	// TokenRequest is set when the request was for an access token, not the operation itself.
	TokenRequest bool
	// TimedOut is set when the attempt ran out of its timeout, Limit.
	TimedOut bool
	Limit    time.Duration
	// Waited is how long the attempt waited before it failed.
	Waited time.Duration
	Err    error
}

func (e *NoAnswerError) Error() string {
	if e.TimedOut {
		return fmt.Sprintf("client: %s %s: no answer within %s: %v", e.Method, e.Path, e.Limit, e.Err)
	}
	return fmt.Sprintf("client: %s %s: %v", e.Method, e.Path, e.Err)
}

func (e *NoAnswerError) Unwrap() error { return e.Err }

func (e *HTTPError) Error() string {
	return fmt.Sprintf("client: %s %s: HTTP %d %s: %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.Reason)
}

// ErrOutcomeUnknown is wrapped by the error of a non-idempotent call (AddDeviceUser, SendCommands) that failed
// after the request may have reached the cloud: it may or may not have taken effect, and the
// client did not retry it so as not to run it twice.
var ErrOutcomeUnknown = errors.New("the outcome is unknown: the request may or may not have been carried out")
