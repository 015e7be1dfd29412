package client

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The expected signs were computed outside Go with
// printf '<str>' | openssl dgst -sha256 -hmac thesecret.
func TestSignVectors(t *testing.T) {
	const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		name              string
		method, path      string
		query             url.Values
		body              string
		token, nonce      string
		wantStringToSign  string
		wantUpperHexHMAC  string
		wantPathFromRoute []string // route and ids that must produce path, when set
	}{
		{
			name:   "business GET with query sorted and decoded",
			method: "GET", path: "/v1.0/devices",
			query: url.Values{"page_size": {"20"}, "device_ids": {"a,b"}, "page_no": {"1"}},
			token: "tok12345", nonce: "nonce-1",
			wantStringToSign: "GET\n" + emptyHash + "\n\n/v1.0/devices?device_ids=a,b&page_no=1&page_size=20",
			wantUpperHexHMAC: "F1D0CBB76C92F2704CF1CE56544C6CD00967321F21AE1C4934242C1DA25D4C88",
		},
		{
			name:   "token call without access token or nonce",
			method: "GET", path: "/v1.0/token", query: url.Values{"grant_type": {"1"}},
			wantStringToSign: "GET\n" + emptyHash + "\n\n/v1.0/token?grant_type=1",
			wantUpperHexHMAC: "E436BD392EDF0C74F55AF39CE52810854BADDF6C69A48D57C0E307343FD77403",
		},
		{
			name:   "PUT with body and escaped id",
			method: "put", path: "/v1.0/devices/bf%20x%2Fy", body: `{"name":"Desk lamp"}`,
			token: "tok12345", nonce: "n2",
			wantStringToSign:  "PUT\n4f9deca0ffcd9fdcf2d211091764f64904c0b08524ef07de15407ec473d73066\n\n/v1.0/devices/bf%20x%2Fy",
			wantUpperHexHMAC:  "BCFA7F36ACAB964602FD5867FF8D82AEEBF911E423AE70312FBCA488C3BEA150",
			wantPathFromRoute: []string{"/v1.0/devices/{device_id}", "bf x/y"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			sts := stringToSign(tt.method, body, tt.path, tt.query)
			if sts != tt.wantStringToSign {
				t.Fatalf("stringToSign = %q, want %q", sts, tt.wantStringToSign)
			}
			if got := sign("thesecret", "AKIDsomeid0001", tt.token, "1700000000000", tt.nonce, sts); got != tt.wantUpperHexHMAC {
				t.Fatalf("sign = %s, want %s", got, tt.wantUpperHexHMAC)
			}
			if r := tt.wantPathFromRoute; r != nil {
				o, err := newOp(strings.ToUpper(tt.method), r[0], r[1:]...)
				if err != nil || o.path != tt.path {
					t.Fatalf("newOp path = %q, %v; want %q", o.path, err, tt.path)
				}
			}
		})
	}
}

func TestStringToSignQueryValuesDecoded(t *testing.T) {
	q := url.Values{"codes": {"switch_1,cur power"}, "a": {"ü&x=y"}}
	got := stringToSign("GET", nil, "/p", q)
	if !strings.HasSuffix(got, "\n\n/p?a=ü&x=y&codes=switch_1,cur power") {
		t.Fatalf("got %q", got)
	}
}

func TestNonceIsFreshUUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		n := newNonce()
		if !re.MatchString(n) {
			t.Fatalf("nonce %q is not a v4 UUID", n)
		}
		if seen[n] {
			t.Fatalf("nonce %q repeated", n)
		}
		seen[n] = true
	}
}
