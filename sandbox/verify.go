package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a request's t may be from the sandbox clock.
const maxSkew = 5 * time.Minute

// verify checks a request the way the cloud does, in the cloud's order: client_id (1005),
// t (1013), access token on business calls (1010), then sign_method and sign (1004). It is
// written from the protocol page, independently of package client's signer, so that a bug in
// one cannot hide the same bug in the other.
func (s *Sandbox) verify(r *http.Request, body []byte, query url.Values, rt *route, now time.Time) error {
	if r.Header.Get("client_id") != s.accessID {
		return errClientID
	}
	if !validTime(r.Header.Get("t"), now) {
		return errTime
	}
	token := ""
	if !rt.token {
		token = r.Header.Get("access_token")
		if err := s.checkToken(token, now); err != nil {
			return err
		}
	}
	if r.Header.Get("sign_method") != "HMAC-SHA256" {
		return errSignInvalid
	}
	want := sign(s.accessSecret, s.accessID+token+r.Header.Get("t")+r.Header.Get("nonce")+
		stringToSign(r.Method, body, headersBlock(r.Header), canonicalURL(r.URL.EscapedPath(), query)))
	if !hmac.Equal([]byte(r.Header.Get("sign")), []byte(want)) {
		return errSignInvalid
	}
	return nil
}

// validTime reports whether t is 13 digits of milliseconds within maxSkew of now.
func validTime(t string, now time.Time) bool {
	if len(t) != 13 || strings.Trim(t, "0123456789") != "" {
		return false
	}
	ms, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return false
	}
	skew := now.Sub(time.UnixMilli(ms))
	return skew <= maxSkew && skew >= -maxSkew
}

// headersBlock is one "name:value\n" line per name listed in Signature-Headers, in order.
func headersBlock(h http.Header) string {
	var b strings.Builder
	for name := range strings.SplitSeq(h.Get("Signature-Headers"), ":") {
		if name = strings.TrimSpace(name); name != "" {
			b.WriteString(name + ":" + h.Get(name) + "\n")
		}
	}
	return b.String()
}

// canonicalURL is the escaped path, then "?" and the decoded key=value pairs sorted bytewise by
// key when there is a query. Values of a repeated key keep their order.
func canonicalURL(escapedPath string, query url.Values) string {
	if len(query) == 0 {
		return escapedPath
	}
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(query)) {
		for _, v := range query[k] {
			pairs = append(pairs, k+"="+v)
		}
	}
	return escapedPath + "?" + strings.Join(pairs, "&")
}

func stringToSign(method string, body []byte, headers, url string) string {
	sum := sha256.Sum256(body)
	return method + "\n" + hex.EncodeToString(sum[:]) + "\n" + headers + "\n" + url
}

func sign(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}
