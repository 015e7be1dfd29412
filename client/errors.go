package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
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
	// NoCode is set when the failure envelope carried no error code (Code is then 0, which the
	// cloud does not use); Msg is all the cloud said.
	NoCode bool
	// ResultFalse is set when the cloud answered success with the result false to a write: the
	// operation was not done. Code is then 0.
	ResultFalse bool
	// HTTPStatus is the answer's HTTP status when it was not 200: a gateway's 502 or 503 can
	// carry the cloud's envelope.
	HTTPStatus int
}

func (e *APIError) Error() string {
	var b strings.Builder
	switch {
	case e.ResultFalse:
		fmt.Fprintf(&b, "the cloud answered success but result false on %s %s: the operation was not done", e.Method, e.Path)
	case e.NoCode:
		fmt.Fprintf(&b, "the cloud refused without an error code%s on %s %s", parenthesised(e.Msg), e.Method, e.Path)
	default:
		fmt.Fprintf(&b, "Tuya error %d%s on %s %s", e.Code, parenthesised(e.Msg), e.Method, e.Path)
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != http.StatusOK {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Tid != "" {
		fmt.Fprintf(&b, " (tid %s)", e.Tid)
	}
	return b.String()
}

// parenthesised returns " (msg)", or "" for an empty message.
func parenthesised(msg string) string {
	if msg == "" {
		return ""
	}
	return " (" + msg + ")"
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
	// RetryAfter is the wait the answer's Retry-After header asked for, 0 without one.
	RetryAfter time.Duration
}

// RateLimited reports whether the answer was HTTP 429 Too Many Requests: the endpoint, or a
// proxy in front of it, refused for a rate limit. The client retries such refusals on the
// rate-limit budget, waiting RetryAfter when the answer set it.
func (e *HTTPError) RateLimited() bool { return e.StatusCode == http.StatusTooManyRequests }

// Redirect reports whether the answer was a redirect (3xx), which the client does not follow:
// the cloud's API never redirects, a web server or proxy at the endpoint does.
func (e *HTTPError) Redirect() bool { return e.StatusCode >= 300 && e.StatusCode < 400 }

// Gateway reports whether the status is a gateway's (502, 503, 504) or a request timeout
// (408): something in front of the cloud, or the cloud itself, did not answer in time. Such
// failures are transient.
func (e *HTTPError) Gateway() bool {
	switch e.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusRequestTimeout:
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
	// Attempts is how many attempts the call made, over Elapsed, when retries did not help.
	Attempts int
	Elapsed  time.Duration
	Err      error
}

func (e *NoAnswerError) Error() string {
	s := fmt.Sprintf("client: %s %s: %s", e.Method, e.Path, e.Cause())
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (%d attempts over %s)", e.Attempts, e.Elapsed.Round(time.Millisecond))
	}
	return s
}

// Cause says in words why the attempt got no answer: "the connection was closed without an
// answer", "connection refused by 127.0.0.1:1", "no answer within 3s", or Err's text when it is
// none of the known failures.
func (e *NoAnswerError) Cause() string {
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case e.TimedOut:
		return fmt.Sprintf("no answer within %s", e.Limit)
	case errors.Is(e.Err, context.DeadlineExceeded):
		return "the call's time limit ended before an answer came"
	case errors.Is(e.Err, context.Canceled):
		return "the call was cancelled before an answer came"
	case errors.Is(e.Err, io.EOF), errors.Is(e.Err, io.ErrUnexpectedEOF), errors.Is(e.Err, syscall.ECONNRESET):
		return "the connection was closed without an answer"
	case errors.As(e.Err, &dns):
		return fmt.Sprintf("the host name %s could not be resolved", dns.Name)
	case errors.Is(e.Err, syscall.ECONNREFUSED) && errors.As(e.Err, &op) && op.Addr != nil:
		return "connection refused by " + op.Addr.String()
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(e.Err, &op) && op.Timeout():
		return "the connection timed out"
	}
	if why := tlsCause(e.Err); why != "" {
		return why
	}
	return e.Err.Error()
}

// tlsCause says in words why a TLS connection failed, or "" when err is not a TLS failure.
func tlsCause(err error) string {
	var rec tls.RecordHeaderError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	var alert tls.AlertError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &rec), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http reports the second case with a text only.
		return "the endpoint does not speak TLS: use http:// or check the port"
	case errors.As(err, &unknown):
		return "the endpoint's TLS certificate is not trusted (signed by an unknown authority): check the endpoint, or any proxy that intercepts TLS"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the endpoint's TLS certificate has expired or is not yet valid (check the system clock too)"
	case errors.As(err, &invalid):
		return "the endpoint's TLS certificate is not valid: check the endpoint"
	case errors.As(err, &host):
		return fmt.Sprintf("the endpoint's TLS certificate is for another host name than %s: check the endpoint", host.Host)
	case errors.As(err, &verify):
		return "the endpoint's TLS certificate could not be verified: check the endpoint"
	case errors.As(err, &alert):
		return fmt.Sprintf("the TLS handshake with the endpoint failed (%s): check the endpoint", alert.Error())
	}
	return ""
}

func (e *NoAnswerError) Unwrap() error { return e.Err }

func (e *HTTPError) Error() string {
	return fmt.Sprintf("client: %s %s: HTTP %d %s: %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.Reason)
}

// ErrOutcomeUnknown is wrapped by the error of a non-idempotent call (AddDeviceUser, SendCommands) that failed
// after the request may have reached the cloud: it may or may not have taken effect, and the
// client did not retry it so as not to run it twice.
var ErrOutcomeUnknown = errors.New("the outcome is unknown: the request may or may not have been carried out")
