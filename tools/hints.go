package tools

import (
	"fmt"
	"strings"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// The advice a model gets with a failure. The client reports what happened (a code and the
// cloud's message, an HTTP status and content type, which request got no answer and for how
// long); this file turns it into what to do next.

// codeHint is the advice for one Tuya error code.
type codeHint struct {
	advice string
	// about, when set, are words (lower case) that the cloud's messages for this code use. A
	// message with none of them is about something else: 1110 has been seen with "illegal
	// param". The advice would then contradict the answer, and meaning says what the code
	// usually stands for instead. 1110 and 1199 are read by client.APIError.RateLimited instead,
	// the reading the client's retries follow.
	about   []string
	meaning string
}

const (
	adviceBug        = "this server sent a request the cloud did not accept: report it with the tid"
	adviceArgs       = "check the arguments"
	adviceToken      = "the access token was refused (expired, or revoked by another process sharing the project); retry the call"
	adviceRetry      = "the cloud failed temporarily: retry later"
	adviceRateLimit  = "rate limited: slow down and retry later, or raise the API's rate limit in the cloud project"
	adviceNoSuchUser = "no such user: check the uid or user_id; user_list or device_user_list lists them"
)

// codeHints is Tuya's global error table (its error-code page) and the subscription codes,
// each with advice.
func codeHints() map[int]codeHint {
	return map[int]codeHint{
		500:  {advice: adviceRetry},
		1000: {advice: "the data asked for does not exist: check the ids in the arguments"},
		1001: {advice: "the access secret was refused: check it against the cloud project's Access Secret (Cloud > Development > the project > Overview)"},
		1002: {advice: "the request carried no access token: retry; if it persists, " + adviceBug},
		1003: {advice: "the token request's grant type was refused: " + adviceBug},
		1004: {advice: "the signature was refused: check the access ID and access secret, and that the system clock is right"},
		1005: {advice: "the access ID (client id) was refused: check it against the cloud project's Access ID, and that the endpoint is the data centre the project lives in"},
		1006: {advice: "the cloud refused the request's content type: a proxy may have changed it; otherwise " + adviceBug},
		1007: {advice: "the cloud refused a key of the request: " + adviceBug},
		1008: {advice: "access refused: check the access ID and secret, and that the cloud project is active"},
		1010: {advice: adviceToken},
		1011: {advice: adviceToken},
		1012: {advice: adviceToken},
		1013: {advice: "the request time was refused: the local clock is off; synchronise it (NTP)"},
		1100: {advice: "a required parameter was empty: " + adviceArgs},
		1101: {advice: "a parameter is out of range (a page size, a time window, a command's value: device_specification_get gives " +
			"min, max and step in raw units): " + adviceArgs, about: []string{"range", "invalid", "exceed", "out of"},
			meaning: "a parameter out of range"},
		1102: {advice: "a required parameter was missing: " + adviceArgs},
		1103: {advice: "the command could not be issued to the device: check that it is online, then retry"},
		1104: {advice: "a parameter has the wrong type (a command's value must have the type device_specification_get gives, " +
			"e.g. a number for an Integer): " + adviceArgs, about: []string{"type"}, meaning: "a parameter of the wrong type"},
		1105: {advice: "a required header was missing: a proxy may have removed it; otherwise " + adviceBug},
		1106: {advice: "permission denied: check the app schema, and that the app and its devices are linked to the cloud project " +
			"(Devices > Link App Account) in the endpoint's data centre (region)",
			about: []string{"permission", "deny", "denied", "authori", "access"}, meaning: "a permission refusal"},
		1107: {advice: "a code (a data point or function code) is not valid here: check it against the device's status (device_get)"},
		1108: {advice: "the cloud does not know this API path: check the endpoint's region; the API may not exist in that data centre"},
		1109: {advice: "a parameter is not valid: " + adviceArgs},
		1110: {advice: adviceRateLimit, meaning: "a rate limit (concurrent requests over the limit)"},
		1111: {advice: "the cloud is busy: retry later"},
		1112: {advice: "the user is being synced in the background: retry in a little while"},
		1113: {advice: "the same operation was repeated too soon: wait a little before repeating it"},
		1114: {advice: "this server's IP address is not on the cloud project's IP allowlist: add the server's public IP address to the allowlist " +
			"(Cloud > Development > the project > Overview), or remove the allowlist", about: []string{"ip"}, meaning: "an IP allowlist refusal"},
		1199: {advice: adviceRateLimit, meaning: "a rate limit (requests too frequent)"},
		1400: {advice: adviceToken},
		2001: {advice: "the device is offline: it must be powered and connected; retry once it is back online (device_get shows " +
			"whether it is, device_status_get its last reported values)", about: []string{"offline"}, meaning: "an offline device"},
		2002: {advice: "the user has no devices"},
		2003: {advice: "the device does not support this function: a device outside the standard instruction set needs its " +
			"product's control instruction mode set to DP Instruction on the Tuya IoT platform",
			about: []string{"support"}, meaning: "an unsupported function"},
		2004: {advice: "the device's lock type does not support this operation"},
		2005: {advice: "no such product: check product_id"},
		2006: {advice: adviceNoSuchUser},
		2007: {advice: "the device's token expired: pair the device again"},
		2008: {advice: "the device does not support this command or value: device_specification_get lists the codes it accepts " +
			"(functions) and their allowed values", about: []string{"support", "command", "value"}, meaning: "an unsupported command or value"},
		2009:     {advice: "this operation is not supported for this device", about: []string{"support"}, meaning: "an unsupported device"},
		2010:     {advice: "no such device: check device_id; device_list finds devices"},
		2012:     {advice: "the app does not support this operation"},
		2013:     {advice: "adding the timer failed: retry later"},
		2014:     {advice: "the device has no timers"},
		2015:     {advice: "this product category does not support the operation"},
		2016:     {advice: "the remote control was removed or does not exist"},
		2017:     {advice: "no such app schema: check the schema of the app in the cloud project"},
		2018:     {advice: "the cloud could not decrypt the data: check the access secret"},
		2019:     {advice: "the time span is over two hours: ask for a shorter window"},
		2020:     {advice: "this API serves third-party clouds only"},
		2021:     {advice: "username_type is mobile but the username is not a valid mobile phone number (or an email address is not valid)"},
		2022:     {advice: "username_type is email but the username is not a valid email address (or a phone number is not valid)"},
		2023:     {advice: "the user already exists"},
		2024:     {advice: "the device file path is not in the standard form"},
		2025:     {advice: "the device and the file path do not match"},
		2026:     {advice: "the cloud could not determine the request's IP address: check any proxy in between, then retry"},
		2027:     {advice: "the request or its answer is too large: ask for less (a smaller page or window)"},
		2401:     {advice: "the username or password is wrong"},
		2402:     {advice: "the country code is not valid: use a country calling code such as 1 or 86"},
		2403:     {advice: "the country code is not served by this data centre: use the region of the user's country"},
		2405:     {advice: "the ticket is not valid or has expired"},
		28841001: {advice: "the project has no permission for this API: check the cloud services authorised for the project"},
		28841002: {advice: "the cloud development plan of the project has expired: renew it on the Tuya IoT platform"},
		28841004: {advice: "the trial quota of the project is used up: upgrade the cloud development plan on the Tuya IoT platform"},
		28841101: {advice: "the project is not subscribed to this API's cloud service: subscribe to %s on the Tuya IoT platform (Cloud > Cloud Services)"},
		28841105: {advice: "the project is not authorised to call this API: authorise the %s service for the project (Cloud > Development > the project > Service API > Go to Authorize)"},
		28841106: {advice: "the project is not subscribed to this API's cloud service: subscribe to %s on the Tuya IoT platform (Cloud > Cloud Services)"},
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

// adviceFor returns the advice for a failure envelope: the tool's own for the code, else the
// table's; neither when the cloud's message says the code means something else this time.
func (t *tool) adviceFor(ae *client.APIError) string {
	h, ok := codeHints()[ae.Code]
	notAbout := len(h.about) > 0 && ae.Msg != "" && !mentions(ae.Msg, h.about)
	if ae.Code == client.CodeConcurrentLimit || ae.Code == client.CodeTooFrequent {
		// The client retried it as a rate limit or not by the same reading.
		notAbout = !ae.RateLimited()
	}
	if notAbout {
		return fmt.Sprintf("the message is not about %s, which this code usually means: act on the message", h.meaning)
	}
	if th := t.hints[ae.Code]; th != "" {
		return th
	}
	if !ok {
		return "see the message; Tuya's error-code page lists the code"
	}
	advice := h.advice
	if strings.Contains(advice, "%s") {
		advice = fmt.Sprintf(advice, cloudService(ae.Path))
	}
	if ae.TokenRequest {
		advice = "the request for an access token was refused: " + advice
	}
	return advice
}

// mentions reports whether msg contains one of words, ignoring case.
func mentions(msg string, words []string) bool {
	msg = strings.ToLower(msg)
	for _, w := range words {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// httpAdvice explains an answer that was not a Tuya envelope.
func httpAdvice(he *client.HTTPError) string {
	switch {
	case he.RateLimited() && he.RetryAfter > 0:
		return fmt.Sprintf("the endpoint refused for a rate limit (HTTP 429) and asked to wait %s: retry after that, and make fewer calls", he.RetryAfter)
	case he.RateLimited():
		return "the endpoint kept refusing for a rate limit (HTTP 429) after the client's retries: make fewer calls, and retry in a few seconds"
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
