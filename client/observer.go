package client

import "time"

// Observer is told what a Client does, for metrics. Its methods are called on the calls' own
// goroutines: they must be quick and safe for concurrent use. They are never given a token.
type Observer interface {
	// Attempt is one HTTP exchange with the cloud, token calls included: status is 0 when no
	// answer came, code is the failure envelope's code (0 for a success or no envelope).
	Attempt(status, code int)
	// Retry is a retry about to be made, by reason: RetryRateLimit, RetryServerError,
	// RetryNetwork or RetryTokenInvalid.
	Retry(reason string)
	// RetryBudgetEmpty is a retry not made because the retry budget was spent.
	RetryBudgetEmpty()
	// TokenObtained is an access token this process got from the cloud: a grant, or a refresh.
	TokenObtained(refresh bool)
	// TokenStoreError is a failure of the token store; op is load, save, remove, lock, rate or
	// retry; cause is StoreConfig (a wrong password, missing rights, no such database: retrying
	// does not help) or StoreOutage (anything else, such as a server down).
	TokenStoreError(op, cause string)
	// TokenStoreFallback reports that the process switched to a token of its own because the
	// store failed (true), or back to the shared one (false).
	TokenStoreFallback(active bool)
	// RateWait is a wait for the rate budget (Config.RateLimit) that lasted d.
	RateWait(d time.Duration)
}

// Reasons given to Observer.Retry.
const (
	RetryRateLimit    = "rate_limit"
	RetryServerError  = "server_error"
	RetryNetwork      = "network"
	RetryTokenInvalid = "token_invalid"
)

// nopObserver is the Observer of a Config without one.
type nopObserver struct{}

func (nopObserver) Attempt(int, int)            {}
func (nopObserver) Retry(string)                {}
func (nopObserver) RetryBudgetEmpty()           {}
func (nopObserver) TokenObtained(bool)          {}
func (nopObserver) TokenStoreError(_, _ string) {}
func (nopObserver) TokenStoreFallback(bool)     {}
func (nopObserver) RateWait(time.Duration)      {}
