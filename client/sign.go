package client

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
)

// stringToSign builds METHOD \n sha256(body) \n headersBlock \n url. The headers block is empty
// because the client signs no extra headers (it sends no Signature-Headers). The url is the
// escaped path as sent followed by the query pairs sorted by key with their values decoded, as
// the cloud recomputes it.
func stringToSign(method string, body []byte, escapedPath string, query url.Values) string {
	var sum [2 * sha256.Size]byte
	raw := sha256.Sum256(body)
	hex.Encode(sum[:], raw[:])
	n := len(method) + len(sum) + 3 + len(escapedPath)
	for k, vs := range query {
		for _, v := range vs {
			n += len(k) + len(v) + 2
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('\n')
	b.Write(sum[:])
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

// sign returns the uppercase hex HMAC-SHA256 of clientID + accessToken + t + nonce + sts.
// accessToken is empty for token calls, which the cloud signs without it.
func sign(secret, clientID, accessToken, t, nonce, sts string) string {
	msg := make([]byte, 0, len(clientID)+len(accessToken)+len(t)+len(nonce)+len(sts))
	msg = append(msg, clientID...)
	msg = append(msg, accessToken...)
	msg = append(msg, t...)
	msg = append(msg, nonce...)
	msg = append(msg, sts...)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	var sum [sha256.Size]byte
	return upperHex(m.Sum(sum[:0]))
}

// upperHex encodes an HMAC-SHA256 sum in upper-case hex, as the cloud compares signs.
func upperHex(sum []byte) string {
	const digits = "0123456789ABCDEF"
	var out [2 * sha256.Size]byte
	for i, c := range sum[:sha256.Size] {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&0x0f]
	}
	return string(out[:])
}

// newNonce returns a random version-4 UUID string.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}
