package client

import (
	"fmt"
	"strings"
)

// regions lists the data centres of the protocol page. It is a function rather than a package
// variable so that no caller can change the table.
func regions() []struct{ name, url string } {
	return []struct{ name, url string }{
		{"cn", "https://openapi.tuyacn.com"},
		{"us", "https://openapi.tuyaus.com"},
		{"us-e", "https://openapi-ueaz.tuyaus.com"},
		{"eu", "https://openapi.tuyaeu.com"},
		{"eu-w", "https://openapi-weaz.tuyaeu.com"},
		{"in", "https://openapi.tuyain.com"},
		{"sg", "https://openapi-sg.iotbing.com"},
	}
}

// RegionEndpoint returns the base URL of the named Tuya data centre (cn, us, us-e, eu, eu-w, in,
// sg). Names are matched case-insensitively.
func RegionEndpoint(name string) (string, error) {
	for _, r := range regions() {
		if strings.EqualFold(r.name, strings.TrimSpace(name)) {
			return r.url, nil
		}
	}
	return "", fmt.Errorf("client: unknown region %q (valid: %s)", name, strings.Join(RegionNames(), ", "))
}

// RegionNames returns the region names RegionEndpoint accepts, in the protocol page's order.
func RegionNames() []string {
	rs := regions()
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.name
	}
	return names
}
