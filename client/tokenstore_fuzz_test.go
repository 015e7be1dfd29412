package client

import (
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
