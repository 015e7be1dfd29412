package tools

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// The advice a model gets with a failure. The client reports what happened (a code and the
// cloud's message, an HTTP status and content type, which request got no answer and for how
// long); this file turns it into what to do next.

// codeHint is the advice for one Tuya error code.
type codeHint struct {
	advice string
	// about are the words (lower case) the cloud's messages for this code use, the documented
	// message first. A code's meaning is trusted unless the message says otherwise: 1110 has
	// been seen with "illegal param", 1106 with "your ip(...) don't have access to this API".
	// The message is read against every code's words (readMessage) and the advice follows the
	// code it reads as.
	about []string
}

const (
	adviceBug        = "this server sent a request the cloud did not accept: report it with the tid"
	adviceArgs       = "check the arguments"
	adviceToken      = "the access token was refused (expired, or revoked by another process sharing the project); retry the call"
	adviceRetry      = "the cloud failed temporarily: retry later"
	adviceRateLimit  = "rate limited: slow down and retry later, or raise the API's rate limit in the cloud project"
	adviceNoSuchUser = "no such user: check the uid or user_id; user_list or device_user_list lists them"
	// 2021 and 2022: Tuya's pages disagree on which is which; the messages say "email" or "phone".
	adviceUsername = "the username does not fit username_type: a mobile phone number for mobile, an email address for email"
)

// codeHints is Tuya's global error table (its error-code page) and the subscription codes,
// each with advice.
func codeHints() map[int]codeHint {
	return map[int]codeHint{
		500: {advice: adviceRetry,
			about: []string{"system error, please contact the admin", "system error", "internal", "server error", "gateway",
				"unavailable", "timeout", "timed out"}},
		1000: {advice: "the data asked for does not exist: check the ids in the arguments",
			about: []string{"data not exist", "not exist", "does not exist", "not found", "no data"}},
		1001: {advice: "the access secret was refused: check it against the cloud project's Access Secret (Cloud > Development > the project > Overview)",
			about: []string{"secret invalid", "secret"}},
		1002: {advice: "the request carried no access token: retry; if it persists, " + adviceBug,
			about: []string{"access_token is null", "access_token", "no access token"}},
		1003: {advice: "the token request's grant type was refused: " + adviceBug,
			about: []string{"grant type invalid", "grant"}},
		1004: {advice: "the signature was refused: check the access ID and access secret, and that the system clock is right",
			about: []string{"sign invalid", "sign"}},
		1005: {advice: "the access ID (client id) was refused: check it against the cloud project's Access ID, and that the endpoint is the data centre the project lives in",
			about: []string{"clientid invalid", "clientid", "client id", "client_id"}},
		1006: {advice: "the cloud refused the request's content type: a proxy may have changed it; otherwise " + adviceBug,
			about: []string{"not support content type", "content type", "content-type"}},
		1007: {advice: "the cloud refused a key of the request: " + adviceBug,
			about: []string{"not support key"}},
		1008: {advice: "access refused: check the access ID and secret, and that the cloud project is active",
			about: []string{"invalid access"}},
		1010: {advice: adviceToken,
			about: []string{"token is expired", "token", "expired"}},
		1011: {advice: adviceToken,
			about: []string{"token invalid", "token"}},
		1012: {advice: adviceToken,
			about: []string{"token status is invalid", "token"}},
		1013: {advice: "the request time was refused: the local clock is off; synchronise it (NTP)",
			about: []string{"request time is invalid", "request time", "clock", "timestamp"}},
		1100: {advice: "a required parameter was empty: " + adviceArgs,
			about: []string{"param is empty", "empty"}},
		1101: {advice: "a parameter is out of range (a page size, a time window, a command's value: device_specification_get gives " +
			"min, max and step in raw units): " + adviceArgs,
			about: []string{"params range invalid", "range", "out of", "exceed"}},
		1102: {advice: "a required parameter was missing: " + adviceArgs,
			about: []string{"param is null", "null", "missing param"}},
		1103: {advice: "the command could not be issued to the device: check that it is online, then retry",
			about: []string{"commands issue error", "issue"}},
		1104: {advice: "a parameter has the wrong type (a command's value must have the type device_specification_get gives, " +
			"e.g. a number for an Integer): " + adviceArgs,
			about: []string{"type is incorrect", "type", "incorrect"}},
		1105: {advice: "a required header was missing: a proxy may have removed it; otherwise " + adviceBug,
			about: []string{"missing the header", "header"}},
		1106: {advice: "permission denied: check the app schema, and that the app and its devices are linked to the cloud project " +
			"(Devices > Link App Account) in the endpoint's data centre (region)",
			about: []string{"permission deny", "permission", "deny", "denied", "authori"}},
		1107: {advice: "a code (a data point or function code) is not valid here: check it against the device's status (device_get)",
			about: []string{"code invalid", "code"}},
		1108: {advice: "the cloud does not know this API path: check the endpoint's region; the API may not exist in that data centre",
			about: []string{"uri path invalid", "uri", "path"}},
		1109: {advice: "a parameter is not valid: " + adviceArgs,
			about: []string{"param is illegal, please check it", "param is illegal", "illegal", "param"}},
		1110: {advice: adviceRateLimit,
			about: []string{"concurrent request over limit", "concurren", "over limit", "frequen", "rate limit", "too many"}},
		1111: {advice: "the cloud is busy: retry later",
			about: []string{"system is busy, please retry later", "busy"}},
		1112: {advice: "the user is being synced in the background: retry in a little while",
			about: []string{"the user is syncing in the background, please try again later", "syncing", "sync"}},
		1113: {advice: "the same operation was repeated too soon: wait a little before repeating it",
			about: []string{"do not repeat the operation in a short time", "repeat", "short time"}},
		1114: {advice: "this server's IP address is not on the cloud project's IP allowlist: add the server's public IP address to the allowlist " +
			"(Cloud > Development > the project > Overview), or remove the allowlist",
			about: []string{"your ip(...) don't have access to this API", "your ip", "ip", "don't have access", "allowlist", "whitelist"}},
		1199: {advice: adviceRateLimit,
			about: []string{"your requests are too frequent", "frequen", "concurren", "over limit", "rate limit", "too many"}},
		1400: {advice: adviceToken,
			about: []string{"token invalid", "token"}},
		2001: {advice: "the device is offline: it must be powered and connected; retry once it is back online (device_get shows " +
			"whether it is, device_status_get its last reported values)",
			about: []string{"device is offline", "offline"}},
		2002: {advice: "the user has no devices",
			about: []string{"this user doesn't have any devices", "any devices", "no devices"}},
		2003: {advice: "the device does not support this function: a device outside the standard instruction set needs its " +
			"product's control instruction mode set to DP Instruction on the Tuya IoT platform",
			about: []string{"function not support", "function", "support"}},
		2004: {advice: "the device's lock type does not support this operation",
			about: []string{"not support the lock type", "lock"}},
		2005: {advice: "no such product: check product_id",
			about: []string{"product not exist", "product"}},
		2006: {advice: adviceNoSuchUser,
			about: []string{"user not exist", "user does not exist", "no such user", "user not found"}},
		2007: {advice: "the device's token expired: pair the device again",
			about: []string{"device token expired", "device token"}},
		2008: {advice: "the device does not support this command or value: device_specification_get lists the codes it accepts " +
			"(functions) and their allowed values",
			about: []string{"command or value not support", "command", "value", "support"}},
		2009: {advice: "this operation is not supported for this device",
			about: []string{"not support this device", "support"}},
		2010: {advice: "no such device: check device_id; device_list finds devices",
			about: []string{"device not exist", "device does not exist", "no such device", "device not found"}},
		2012: {advice: "the app does not support this operation",
			about: []string{"application not support", "application"}},
		2013: {advice: "adding the timer failed: retry later",
			about: []string{"add timer failed", "add timer"}},
		2014: {advice: "the device has no timers",
			about: []string{"this device doesn't have any timers", "timers"}},
		2015: {advice: "this product category does not support the operation",
			about: []string{"this category is not supported", "category"}},
		2016: {advice: "the remote control was removed or does not exist",
			about: []string{"remote control is removed or does not exist", "remote control"}},
		2017: {advice: "no such app schema: check the schema of the app in the cloud project",
			about: []string{"schema does not exist", "schema"}},
		2018: {advice: "the cloud could not decrypt the data: check the access secret",
			about: []string{"data decrypt failed", "decrypt"}},
		2019: {advice: "the time span is over two hours: ask for a shorter window",
			about: []string{"time over two hours", "two hours"}},
		2020: {advice: "this API serves third-party clouds only",
			about: []string{"only third-party clouds are supported", "third-party", "third party"}},
		2021: {advice: adviceUsername,
			about: []string{"illegal email", "illegal phone", "email", "mobile", "phone"}},
		2022: {advice: adviceUsername,
			about: []string{"illegal phone", "illegal email", "email", "mobile", "phone"}},
		2023: {advice: "the user already exists",
			about: []string{"user exist", "already exist"}},
		2024: {advice: "the device file path is not in the standard form",
			about: []string{"device file path is not standardized", "file path", "standardi"}},
		2025: {advice: "the device and the file path do not match",
			about: []string{"device and file path mismatch", "mismatch"}},
		2026: {advice: "the cloud could not determine the request's IP address: check any proxy in between, then retry",
			about: []string{"ip failed to get", "failed to get"}},
		2027: {advice: "the request or its answer is too large: ask for less (a smaller page or window)",
			about: []string{"size too large", "too large"}},
		2401: {advice: "the username or password is wrong",
			about: []string{"username or password wrong", "password"}},
		2402: {advice: "the country code is not valid: use a country calling code such as 1 or 86",
			about: []string{"country code invalid", "country code"}},
		2403: {advice: "the country code is not served by this data centre: use the region of the user's country",
			about: []string{"country code not supported in this data centre", "data centre", "data center"}},
		2405: {advice: "the ticket is not valid or has expired",
			about: []string{"ticket invalid", "ticket"}},
		28841001: {advice: "the project has no permission for this API: check the cloud services authorised for the project",
			about: []string{"no permissions", "no permission"}},
		28841002: {advice: "the cloud development plan of the project has expired: renew it on the Tuya IoT platform",
			about: []string{"no permissions. your subscription to cloud development plan has expired.", "development plan"}},
		28841004: {advice: "the trial quota of the project is used up: upgrade the cloud development plan on the Tuya IoT platform",
			about: []string{"no permissions. your quota of trial edition is used up.", "trial edition", "quota of trial"}},
		28841101: {advice: "the project is not subscribed to this API's cloud service: subscribe to %s on the Tuya IoT platform (Cloud > Cloud Services)",
			about: []string{"no permissions. this api is not subscribed.", "not subscribed", "subscri"}},
		28841105: {advice: "the project is not authorised to call this API: authorise the %s service for the project (Cloud > Development > the project > Service API > Go to Authorize)",
			about: []string{"no permissions. this project is not authorized to call this api.", "not authori", "authori"}},
		28841106: {advice: "the project is not subscribed to this API's cloud service: subscribe to %s on the Tuya IoT platform (Cloud > Cloud Services)",
			about: []string{"no permissions. this api is not subscribed.", "not subscribed", "subscri"}},
	}
}

// cloudService names the Tuya cloud service that holds the API at route.
func cloudService(route string) string {
	if strings.HasPrefix(route, "/v1.0/token") {
		return "Authorization Token Management"
	}
	// The user, device, device-log and device-user APIs are all IoT Core's.
	return "IoT Core"
}

// adviceFor returns the advice for a failure envelope: the code's own (the tool's, else the
// table's), unless the cloud's message clearly says something else: the advice of the code
// whose words it uses then. A message in words no code uses (another language, say) keeps the
// code's meaning, except a rate-limit code the client did not take for one.
func (t *tool) adviceFor(ae *client.APIError) string {
	if ae.ResultFalse {
		// Not Tuya's code: a write answered success with a result saying it was not done.
		check := t.unknownOutcome
		if check == "" {
			check = "check the current state"
		}
		return "the write was not confirmed: " + check
	}
	hints := codeHints()
	h, known := hints[ae.Code]
	code := readMessage(hints, ae)
	switch {
	case code != 0 && code != ae.Code:
		return fmt.Sprintf("the message reads as code %d (%q): %s", code, hints[code].about[0], t.codeAdvice(hints, code, ae))
	case code != 0 && known:
		return t.codeAdvice(hints, code, ae)
	case ae.Code == 0:
		// No code (or Tuya's unused 0): the message, shown with the error, is all there is.
		return ""
	case !known:
		return "see the message; Tuya's error-code page lists the code"
	}
	return fmt.Sprintf("the message does not say %q, what this code usually means: act on the message", h.about[0])
}

// codeAdvice is the advice for code on the request ae failed.
func (t *tool) codeAdvice(hints map[int]codeHint, code int, ae *client.APIError) string {
	if th := t.hints[code]; th != "" {
		return th
	}
	advice := hints[code].advice
	if strings.Contains(advice, "%s") {
		advice = fmt.Sprintf(advice, cloudService(ae.Path))
	}
	if ae.TokenRequest {
		advice = "the request for an access token was refused: " + advice
	}
	return advice
}

// readMessage says which code of hints the cloud's message for ae is about, punctuation,
// spacing and case aside: ae's own when the message is empty, uses the code's words at least as
// much as any other code's, or uses no code's words; else the code whose words cover most of
// the message, the lowest on a tie. 1110 and 1199 keep their meaning exactly when
// client.APIError.RateLimited says so, the reading the client's retries follow: otherwise a
// message in no code's words gives 0.
func readMessage(hints map[int]codeHint, ae *client.APIError) int {
	msg := plainWords(ae.Msg)
	if msg == "" {
		return ae.Code
	}
	rateCode := ae.Code == client.CodeConcurrentLimit || ae.Code == client.CodeTooFrequent
	if rateCode && ae.RateLimited() {
		return ae.Code
	}
	own := 0
	if !rateCode {
		own = coverage(msg, hints[ae.Code].about)
	}
	best, bestCode := 0, 0
	for code, h := range hints {
		if code == ae.Code {
			continue
		}
		if n := coverage(msg, h.about); n > best || n == best && n > 0 && code < bestCode {
			best, bestCode = n, code
		}
	}
	switch {
	case best > own:
		return bestCode
	case own == 0 && rateCode:
		return 0
	}
	return ae.Code
}

// plainWords lower-cases s and turns every run of characters other than letters and digits
// into one space, so that "Not authorized." and "not  authorized" read alike.
func plainWords(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// coverage counts the bytes of msg (normalised) covered by words, each normalised and matched
// where a word starts.
func coverage(msg string, words []string) int {
	covered := make([]bool, len(msg))
	for _, w := range words {
		w = plainWords(w)
		if w == "" {
			continue
		}
		for i := 0; ; {
			j := strings.Index(msg[i:], w)
			if j < 0 {
				break
			}
			at := i + j
			if at == 0 || !isWordByte(msg[at-1]) {
				for k := at; k < at+len(w); k++ {
					covered[k] = true
				}
			}
			i = at + 1
		}
	}
	n := 0
	for _, c := range covered {
		if c {
			n++
		}
	}
	return n
}

// isWordByte reports whether b is an ASCII letter or digit.
func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

// httpAdvice explains an answer that was not a Tuya envelope.
func httpAdvice(he *client.HTTPError) string {
	switch {
	case he.RateLimited() && he.RetryAfter > 0:
		return fmt.Sprintf("the endpoint refused for a rate limit (HTTP 429) and asked to wait %s: retry after that, and make fewer calls", forPeople(he.RetryAfter))
	case he.RateLimited():
		return "the endpoint kept refusing for a rate limit (HTTP 429) after the client's retries: make fewer calls, and retry in a few seconds"
	case he.Gateway() && he.RetryAfter > 0:
		return fmt.Sprintf("the cloud or a proxy is unavailable and asked to wait %s: retry after that", forPeople(he.RetryAfter))
	case he.Gateway():
		// Gateways often answer with an HTML page: the status says more.
		return "the cloud or a proxy did not answer in time. This is transient: retry later"
	case he.Redirect():
		to := ""
		if he.Location != "" {
			to = " to " + he.Location
		}
		return fmt.Sprintf("the endpoint redirected%s, which the Tuya OpenAPI never does: the endpoint (or region) is wrong, "+
			"or a proxy is in between. Check the endpoint", to)
	case he.HTML():
		return "the endpoint answered with an HTML page, not the Tuya OpenAPI: the endpoint (or region) is wrong, or a proxy " +
			"or captive portal is in between. Check the endpoint and any proxy"
	case he.StatusCode >= 500:
		return "the endpoint failed. Retry later; if it persists, check the endpoint or region"
	}
	return "check the endpoint or region"
}

// forPeople writes a wait as people say it: "3.5 s", "45 s", "60 minutes", "2.5 hours".
func forPeople(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Seconds()), ".0") + " s"
	case d < 2*time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < 2*time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Round(time.Minute)/time.Minute))
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Hours()), ".0") + " hours"
}

// noAnswerAdvice says which request got no answer and how long it waited.
func noAnswerAdvice(na *client.NoAnswerError) string {
	what := "the call"
	if na.TokenRequest {
		what = "the request for an access token"
	}
	how := fmt.Sprintf("(%s)", na.Cause())
	if na.TimedOut {
		how = fmt.Sprintf("within its %s limit", na.Limit)
	}
	if na.Attempts > 1 {
		how += fmt.Sprintf(" (%d attempts over %s)", na.Attempts, na.Elapsed.Round(time.Millisecond))
	}
	return fmt.Sprintf("%s (%s %s) got no answer %s. Retry later; if it persists, check the network and the endpoint",
		what, na.Method, na.Path, how)
}
