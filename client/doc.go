// Package client is the Tuya Cloud OpenAPI client of tuya-mcp: it signs requests (HMAC-SHA256),
// holds one lazily fetched, refreshed, single-flight access token, retries with exponential
// backoff and full jitter within the caller's context, and decodes the cloud's envelopes into
// the typed results of the user, device and device-user operations.
//
// Errors a call can return, from the most to the least specific:
//   - one wrapping ErrOutcomeUnknown: a non-idempotent call (AddDeviceUser) failed after the
//     request may have reached the cloud; it was not retried, and may or may not have run;
//   - *APIError: the cloud answered with a failure envelope (IsCode and APIError.Hint help);
//   - *HTTPError: the answer was not an envelope (a status other than 200, or not JSON);
//   - one wrapping context.Canceled or context.DeadlineExceeded: the caller's context ended;
//   - other errors: the network failed on every attempt, or a result did not decode.
//
// Errors and logs name the route template (/v1.0/devices/{device_id}), never the secret,
// tokens, signatures or bodies.
package client
