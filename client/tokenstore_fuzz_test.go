package client

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzDecodeToken: whatever a token file or Redis value holds (another program's, a damaged
// one), decoding never panics, accepts only a token of this project, never quotes the data in
// its error, and gives back what it accepted when encoded again.
func FuzzDecodeToken(f *testing.F) {
	const key = "0123456789abcdef0123456789abcdef"
	good, _ := encodeToken(key, &token{access: "acc", refresh: "ref", expiry: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), lifetime: 2 * time.Hour})
	for _, seed := range []string{string(good), "", "{", "null", "[]", `{"key":"` + key + `"}`,
		`{"key":"` + key + `","access_token":"a","expires_at_ms":-1,"lifetime_s":1}`,
		`{"key":"other","access_token":"a","expires_at_ms":1,"lifetime_s":1}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := decodeToken(key, data)
		if err != nil {
			if len(data) > 8 && strings.Contains(err.Error(), string(data)) {
				t.Fatalf("the error quotes the data: %v", err)
			}
			return
		}
		if tok.access == "" || tok.lifetime <= 0 {
			t.Fatalf("accepted an unusable token: %+v", tok)
		}
		again, err := encodeToken(key, tok)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := decodeToken(key, again); err != nil || *back != *tok {
			t.Fatalf("round trip: %+v, %v; want %+v", back, err, tok)
		}
	})
}

// FuzzRedisURL: whatever --token-store holds after redis://, parsing never panics and its
// error never shows the password, which it names the bad part of instead.
func FuzzRedisURL(f *testing.F) {
	for _, seed := range []string{"127.0.0.1:6379/0", "x:notaport", ":pw@127.0.0.1:1/abc", "u:pw@h:1/0?foo=bar",
		":p%zz@h:1/0", "u:p:w@h/0", "[::1]:6379/2", "h:1/0?dial_timeout=x", "u:pw@h:99999/0"} {
		f.Add(seed, "s3cret")
	}
	f.Fuzz(func(t *testing.T, rest, pw string) {
		if len(pw) < 4 || strings.ContainsAny(pw, "@/?#:%") {
			return
		}
		spec := "redis://user:" + pw + "@" + rest
		// A message may quote rest, and pw may happen to be in it (as written, or escaped).
		if strings.Contains(strconv.Quote(rest), pw) {
			return
		}
		if _, err := parseRedisURL(spec); err != nil && strings.Contains(err.Error(), pw) {
			t.Fatalf("the error shows the password: %v", err)
		}
	})
}
