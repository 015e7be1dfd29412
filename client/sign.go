package client

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// stringToSign builds METHOD \n sha256(body) \n headersBlock \n url. The headers block is empty
// because the client signs no extra headers (it sends no Signature-Headers). The url is the
// escaped path as sent followed by the query pairs sorted by key with their values decoded, as
// the cloud recomputes it.
func stringToSign(method string, body []byte, escapedPath string, query url.Values) string {
	sum := sha256.Sum256(body)
	var b strings.Builder
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('\n')
	b.WriteString(hex.EncodeToString(sum[:]))
	b.WriteString("\n\n")
	b.WriteString(escapedPath)
	if len(query) > 0 {
		keys := make([]string, 0, len(query))
		for k := range query {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sep := byte('?')
		for _, k := range keys {
			for _, v := range query[k] {
				b.WriteByte(sep)
				b.WriteString(k)
				b.WriteByte('=')
				b.WriteString(v)
				sep = '&'
			}
		}
	}
	return b.String()
}

// sign returns the uppercase hex HMAC-SHA256 of the signed string. accessToken is empty for token
// calls, which the cloud signs without it.
func sign(secret, clientID, accessToken, t, nonce, sts string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(clientID))
	m.Write([]byte(accessToken))
	m.Write([]byte(t))
	m.Write([]byte(nonce))
	m.Write([]byte(sts))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// newNonce returns a random version-4 UUID string.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
