package sandbox

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Codes of a cloud project's access settings, which the sandbox answers when Options ask.
const (
	codeIPDenied      = 1114
	codeNotSubscribed = 28841106
)

var errNotSubscribed = &apiError{codeNotSubscribed, "No permissions. This API is not subscribed."}

// access models two settings of a cloud project on the Tuya platform: the API services it is
// subscribed to, and its IP allowlist.
type access struct {
	// unsubscribed are escaped path prefixes of the APIs the project is not subscribed to.
	unsubscribed []string
	// allow is the IP allowlist; empty allows every address.
	allow []netip.Prefix
}

// allowed answers 1114 to a request from outside the allowlist, before anything else is
// looked at: the cloud refuses every API to such an address, token grants included.
func (a access) allowed(r *http.Request) error {
	if len(a.allow) == 0 {
		return nil
	}
	ip := remoteIP(r)
	for _, p := range a.allow {
		if ip.IsValid() && p.Contains(ip) {
			return nil
		}
	}
	return &apiError{codeIPDenied, fmt.Sprintf("your ip(%s) don't have access to this API", ip)}
}

// subscribed answers 28841106 to a verified business call under an unsubscribed prefix.
func (a access) subscribed(r *http.Request, rt *route) error {
	if !rt.token {
		path := r.URL.EscapedPath()
		for _, p := range a.unsubscribed {
			if strings.HasPrefix(path, p) {
				return errNotSubscribed
			}
		}
	}
	return nil
}

// remoteIP is the caller's address as the cloud sees it; the zero Addr when it cannot be told.
func remoteIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}
