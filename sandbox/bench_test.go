package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServeHTTP measures one verified business call, in process.
func BenchmarkServeHTTP(b *testing.B) {
	for _, path := range []string{
		"/v1.0/devices/" + DemoStripID,
		"/v1.0/devices" + q("page_no", "1", "page_size", "20"),
		"/v1.0/devices/" + DemoStripID + "/logs" + q("type", "7", "end_time", millis(testEpoch), "size", "20"),
	} {
		b.Run(path[:min(len(path), 40)], func(b *testing.B) {
			clk := newClock()
			s := New(Options{Now: clk.Now})
			const token = "3f8a1b2c3d4e5f60718293a4b5c6d7e8"
			s.tokens.access[token] = &tokenPair{access: token, expires: testEpoch.Add(defaultTokenTTL)}
			ts := testSigner{DemoAccessID, DemoAccessSecret}
			h := ts.sign("GET", "http://h"+path, nil, signed{token: token, t: testEpoch, nonce: "n"})
			for b.Loop() {
				req := httptest.NewRequest("GET", path, http.NoBody)
				req.Header = h
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Body.Len() == 0 || w.Body.Bytes()[11] != 't' { // {"success":true
					b.Fatalf("answer %s", w.Body)
				}
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New(Options{Now: newClock().Now})
	}
}

func BenchmarkSave(b *testing.B) {
	s := New(Options{Now: newClock().Now})
	for b.Loop() {
		if err := s.Save(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
