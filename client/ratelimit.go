package client

import "strings"

// rateLimitWords are what the cloud's messages for a real rate-limit refusal say ("concurrent
// request over limit", "your requests are too frequent"). A 1110 or 1199 whose message says
// none of them is about something else: "illegal param" was seen on 1110.
var rateLimitWords = []string{"limit", "frequen", "too many", "concurren", "rate", "quota", "exceed", "busy", "throttl"}

// RateLimited reports whether the failure is a rate-limit refusal (1110, 1199): the code says
// so and the cloud's message does not say otherwise. An empty message trusts the code. Only
// real refusals are retried as rate limits and explained as such.
func (e *APIError) RateLimited() bool {
	if e.Code != CodeConcurrentLimit && e.Code != CodeTooFrequent {
		return false
	}
	msg := strings.ToLower(strings.TrimSpace(e.Msg))
	if msg == "" {
		return true
	}
	for _, w := range rateLimitWords {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}
