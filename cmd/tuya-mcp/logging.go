package main

import (
	"io"
	"log"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// newLogger logs to w (stderr): human-readable on a terminal, JSON lines otherwise.
func newLogger(w io.Writer, level zerolog.Level) zerolog.Logger {
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		w = zerolog.ConsoleWriter{Out: f, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

// logLevel is the configured level, except that a one-shot command (tools, call, check) whose
// stderr is not a terminal logs nothing unless a level was asked for: its stderr then carries
// only the message a script or a person reads.
func logLevel(cfg Config, stderr io.Writer) zerolog.Level {
	oneShot := cfg.Command == cmdTools || cfg.Command == cmdCall || cfg.Command == cmdCheck
	if f, ok := stderr.(*os.File); oneShot && !cfg.LogLevelSet && !(ok && isTerminal(f)) {
		return zerolog.Disabled
	}
	return cfg.LogLevel
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// stdLogger bridges the standard library's *log.Logger (used by net/http and mcp-go's stdio
// transport) into zerolog at a fixed level.
func stdLogger(l zerolog.Logger, component string, level zerolog.Level) *log.Logger {
	return log.New(levelWriter{l: l.With().Str("component", component).Logger(), level: level}, "", 0)
}

type levelWriter struct {
	l     zerolog.Logger
	level zerolog.Level
}

func (w levelWriter) Write(p []byte) (int, error) {
	w.l.WithLevel(w.level).Msg(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// slogLogger bridges log/slog (used by mcp-go's HTTP transport) into zerolog.
func slogLogger(l zerolog.Logger, component string) *slog.Logger {
	return slog.New(zerolog.NewSlogHandler(l.With().Str("component", component).Logger()))
}
