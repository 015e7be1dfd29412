package tools

import "time"

// Observer is told about every tool call, for metrics: its start, and its end with the
// outcome (ok, invalid_arguments, tuya_error, outcome_unknown, timeout, canceled, no_answer,
// error, or a refusal to confirm) and duration. Its methods are called on the calls' own
// goroutines: they must be quick and safe for concurrent use.
type Observer interface {
	ToolCallStarted(tool string)
	ToolCallFinished(tool, outcome string, d time.Duration)
}

type nopObserver struct{}

func (nopObserver) ToolCallStarted(string)                         {}
func (nopObserver) ToolCallFinished(string, string, time.Duration) {}
