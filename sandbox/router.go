package sandbox

import (
	"net/url"
	"strings"
)

// handler answers one operation. It returns the envelope's result or an *apiError.
type handler func(s *Sandbox, c *call) (any, error)

// route is one documented operation.
type route struct {
	method string
	// pattern is the documented path with {name} placeholders.
	pattern string
	segs    []string
	// token marks the token endpoints: signed without an access token, never faulted.
	token bool
	h     handler
}

// key is how Stats.ByRoute names the route.
func (rt *route) key() string { return rt.method + " " + rt.pattern }

// router matches escaped request paths against the routes. Unlike http.ServeMux it never
// redirects or answers 404/405 on its own: every miss must become a 1108 envelope.
type router []*route

func newRouter() router {
	defs := []struct {
		method, pattern string
		h               handler
	}{
		{"GET", "/v1.0/token", (*Sandbox).grantToken},
		{"GET", "/v1.0/token/{refresh_token}", (*Sandbox).refreshToken},
		{"POST", "/v1.0/apps/{schema}/user", (*Sandbox).syncUser},
		{"GET", "/v2.0/apps/{schema}/users", (*Sandbox).listUsers},
		{"GET", "/v1.0/users/{uid}/infos", (*Sandbox).getUser},
		{"GET", "/v1.0/users/{uid}/devices", (*Sandbox).listUserDevices},
		{"GET", "/v1.0/devices", (*Sandbox).listDevices},
		{"GET", "/v1.0/devices/factory-infos", (*Sandbox).listFactoryInfos},
		{"GET", "/v1.0/devices/{device_id}", (*Sandbox).getDevice},
		{"PUT", "/v1.0/devices/{device_id}", (*Sandbox).renameDevice},
		{"DELETE", "/v1.0/devices/{device_id}", (*Sandbox).deleteDevice},
		{"PUT", "/v1.0/devices/{device_id}/functions/{function_code}", (*Sandbox).renameFunction},
		{"GET", "/v1.0/devices/{device_id}/logs", (*Sandbox).listLogs},
		{"GET", "/v1.0/devices/{device_id}/status", (*Sandbox).getStatus},
		{"GET", "/v1.0/devices/{device_id}/functions", (*Sandbox).getFunctions},
		{"GET", "/v1.0/devices/{device_id}/specifications", (*Sandbox).getSpecification},
		{"POST", "/v1.0/devices/{device_id}/commands", (*Sandbox).sendCommands},
		{"GET", "/v1.0/functions/{category}", (*Sandbox).categoryFunctions},
		{"PUT", "/v1.0/devices/{device_id}/reset-factory", (*Sandbox).resetFactory},
		{"GET", "/v1.0/devices/{device_id}/sub-devices", (*Sandbox).listSubDevices},
		{"PUT", "/v1.0/devices/{device_id}/multiple-name", (*Sandbox).setOutletName},
		{"GET", "/v1.0/devices/{device_id}/multiple-names", (*Sandbox).listOutletNames},
		{"POST", "/v1.0/devices/{device_id}/user", (*Sandbox).addDeviceUser},
		{"GET", "/v1.0/devices/{device_id}/users", (*Sandbox).listDeviceUsers},
		{"GET", "/v1.0/devices/{device_id}/users/{user_id}", (*Sandbox).getDeviceUser},
		{"PUT", "/v1.0/devices/{device_id}/users/{user_id}", (*Sandbox).editDeviceUser},
		{"DELETE", "/v1.0/devices/{device_id}/users/{user_id}", (*Sandbox).deleteDeviceUser},
	}
	rs := make(router, len(defs))
	for i, d := range defs {
		rs[i] = &route{
			method:  d.method,
			pattern: d.pattern,
			segs:    strings.Split(strings.TrimPrefix(d.pattern, "/"), "/"),
			token:   strings.HasPrefix(d.pattern, "/v1.0/token"),
			h:       d.h,
		}
	}
	return rs
}

// match returns the route for method and escaped path with its unescaped parameters, or nil.
// A literal segment beats a placeholder, so /v1.0/devices/factory-infos is not a device id.
func (rs router) match(method, escapedPath string) (*route, map[string]string) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	var best *route
	var bestParams map[string]string
	bestLiterals := -1
	for _, rt := range rs {
		if rt.method != method || len(rt.segs) != len(segs) {
			continue
		}
		params, literals, ok := rt.bind(segs)
		if ok && literals > bestLiterals {
			best, bestParams, bestLiterals = rt, params, literals
		}
	}
	return best, bestParams
}

func (rt *route) bind(segs []string) (map[string]string, int, bool) {
	params := map[string]string{}
	literals := 0
	for i, want := range rt.segs {
		if name, ok := strings.CutPrefix(want, "{"); ok {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, 0, false
			}
			params[strings.TrimSuffix(name, "}")] = v
			continue
		}
		if segs[i] != want {
			return nil, 0, false
		}
		literals++
	}
	return params, literals, true
}
