package sandbox

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// Faults are the failures the sandbox injects; the zero value injects none. FailRate, QPS and
// DropRate apply to business calls only, after the request passed verification, as the
// cloud's own rate limits and failures do.
type Faults struct {
	// Latency is added to every request; LatencyJitter adds a uniformly random [0, LatencyJitter).
	Latency       time.Duration
	LatencyJitter time.Duration
	// FailRate is the share of business requests answered {"code":500,"msg":"system error"}.
	FailRate float64
	// QPS limits business requests per second over all clients (a token bucket whose burst is
	// QPS rounded up); requests above it get 1110. Zero means no limit.
	QPS float64
	// TokenTTL is the lifetime of access tokens; zero means 2h (expire_time 7200).
	TokenTTL time.Duration
	// RevokeOnGrant makes a new grant invalidate every earlier access and refresh token.
	RevokeOnGrant bool
	// DropRate is the share of business requests whose connection is closed with no answer.
	DropRate float64
	// Seed seeds the fault RNG, so that runs are reproducible.
	Seed int64
	// Quirks vary the types and presence of the results' fields as the real cloud does.
	Quirks Quirks
}

// fault is what happens to one business request.
type fault int

const (
	faultNone fault = iota
	faultFail
	faultDrop
)

// plan is the fault decided for one request, and whether it strikes after the operation ran
// (the write is done but its answer lost or replaced) or before it.
type plan struct {
	fault fault
	after bool
}

// faultState is guarded by Sandbox.fmu.
type faultState struct {
	f   Faults
	rng *rand.Rand
	// The token bucket of the QPS limit.
	bucket float64
	filled time.Time
}

func newFaultState(f Faults, now time.Time) faultState {
	seed := uint64(f.Seed)
	return faultState{f: f, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), bucket: burst(f.QPS), filled: now}
}

func burst(qps float64) float64 { return math.Ceil(qps) }

// SetFaults replaces the faults at run time. The RNG is reseeded from f.Seed and the QPS
// bucket starts full.
func (s *Sandbox) SetFaults(f Faults) {
	s.fmu.Lock()
	s.fs = newFaultState(f, s.now())
	s.fmu.Unlock()
}

func (s *Sandbox) currentFaults() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.fs.f
}

// delay sleeps the configured latency; it reports false when ctx ended first.
func (s *Sandbox) delay(ctx context.Context) bool {
	s.fmu.Lock()
	d := s.fs.f.Latency
	if j := s.fs.f.LatencyJitter; j > 0 {
		d += time.Duration(s.fs.rng.Int64N(int64(j)))
	}
	s.fmu.Unlock()
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// admit takes a token from the QPS bucket; false means the request is over the limit.
func (s *Sandbox) admit(now time.Time) bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	fs := &s.fs
	if fs.f.QPS <= 0 {
		return true
	}
	if elapsed := now.Sub(fs.filled); elapsed > 0 {
		fs.bucket = min(burst(fs.f.QPS), fs.bucket+elapsed.Seconds()*fs.f.QPS)
		fs.filled = now
	}
	if fs.bucket < 1 {
		return false
	}
	fs.bucket--
	return true
}

// decide draws the fault of one business request.
func (s *Sandbox) decide() plan {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	fs := &s.fs
	if fs.f.DropRate <= 0 && fs.f.FailRate <= 0 {
		return plan{}
	}
	u := fs.rng.Float64()
	var p plan
	switch {
	case u < fs.f.DropRate:
		p.fault = faultDrop
	case u < fs.f.DropRate+fs.f.FailRate:
		p.fault = faultFail
	default:
		return plan{}
	}
	p.after = fs.rng.IntN(2) == 1
	return p
}
