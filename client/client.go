package client

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

// Config configures a Client. AccessID, AccessSecret and Endpoint are required.
type Config struct {
	AccessID     string
	AccessSecret string
	// Endpoint is the base URL: Regions[name], the sandbox, or a proxy.
	Endpoint string
	// HTTPClient is the pooled client to use; nil means one made by New.
	HTTPClient *http.Client
	// RequestTimeout bounds each HTTP attempt; zero means 10s.
	RequestTimeout time.Duration
	// MaxAttempts bounds attempts per call, retries included; zero means 4.
	MaxAttempts int
	Logger      zerolog.Logger
}

// Client is a Tuya OpenAPI client. It is safe for concurrent use.
type Client struct {
	cfg Config
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	return &Client{cfg: cfg}, nil
}

// do is implemented by transport.go: sign, send, decode, retry.
func (c *Client) do(ctx context.Context, o op, out any) error {
	return errors.New("client: transport not implemented yet")
}
