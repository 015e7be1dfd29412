package sandbox

import (
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"strconv"
)

// Stats are the sandbox's counters since New.
type Stats struct {
	// Requests counts every HTTP request received.
	Requests int64
	// ByRoute counts requests by route template, such as "GET /v1.0/devices/{device_id}";
	// requests that match no route are not in it (they are Rejected[1108]).
	ByRoute map[string]int64
	// TokenGrants and TokenRefreshes count successful token calls.
	TokenGrants    int64
	TokenRefreshes int64
	// Connections counts new TCP connections seen through ConnState.
	Connections int64
	// InjectedFailures, Dropped and RateLimited count the faults injected.
	InjectedFailures int64
	Dropped          int64
	RateLimited      int64
	// Rejected counts failure envelopes by code, injected ones included.
	Rejected map[int]int64
}

// Stats returns a copy of the counters.
func (s *Sandbox) Stats() Stats {
	s.statMu.Lock()
	defer s.statMu.Unlock()
	st := s.stats
	st.ByRoute = maps.Clone(st.ByRoute)
	st.Rejected = maps.Clone(st.Rejected)
	return st
}

// ConnState counts new connections; plug it into http.Server.ConnState.
func (s *Sandbox) ConnState(_ net.Conn, st http.ConnState) {
	if st == http.StateNew {
		s.bump(func(x *Stats) { x.Connections++ })
	}
}

func (s *Sandbox) bump(f func(*Stats)) {
	s.statMu.Lock()
	f(&s.stats)
	s.statMu.Unlock()
}

func (s *Sandbox) countTokenGrant()   { s.bump(func(x *Stats) { x.TokenGrants++ }) }
func (s *Sandbox) countTokenRefresh() { s.bump(func(x *Stats) { x.TokenRefreshes++ }) }

// The sandbox's own endpoints, outside Tuya's paths, without a signature, for callers on this
// machine only, and not counted in Requests. StatsPath answers GET with the counters as JSON
// (StatsJSON): what a fleet of clients did to the cloud. RevokePath, on POST, revokes every
// token (RevokeTokens), as another process sharing the project would.
const (
	StatsPath  = "/_sandbox/stats"
	RevokePath = "/_sandbox/revoke"
)

// StatsJSON is the answer of StatsPath. AnswersByCode counts failure envelopes by code.
type StatsJSON struct {
	TokenGrants    int64            `json:"token_grants"`
	TokenRefreshes int64            `json:"token_refreshes"`
	Requests       int64            `json:"requests"`
	AnswersByCode  map[string]int64 `json:"answers_by_code"`
}

// serveOwn answers the sandbox's own endpoints; it reports false for any other path.
func (s *Sandbox) serveOwn(w http.ResponseWriter, r *http.Request) bool {
	method := map[string]string{StatsPath: http.MethodGet, RevokePath: http.MethodPost}[r.URL.Path]
	if method == "" {
		return false
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	switch ip := net.ParseIP(host); {
	case ip == nil || !ip.IsLoopback():
		http.Error(w, "the sandbox's own endpoints are for this machine only", http.StatusForbidden)
	case r.Method != method:
		w.Header().Set("Allow", method)
		http.Error(w, method+" only", http.StatusMethodNotAllowed)
	case r.URL.Path == RevokePath:
		s.RevokeTokens()
		w.WriteHeader(http.StatusNoContent)
	default:
		s.serveStats(w)
	}
	return true
}

func (s *Sandbox) serveStats(w http.ResponseWriter) {
	st := s.Stats()
	out := StatsJSON{TokenGrants: st.TokenGrants, TokenRefreshes: st.TokenRefreshes, Requests: st.Requests,
		AnswersByCode: make(map[string]int64, len(st.Rejected))}
	for code, n := range st.Rejected {
		out.AnswersByCode[strconv.Itoa(code)] = n
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
