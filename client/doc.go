// Package client is the Tuya Cloud OpenAPI client of tuya-mcp: it signs requests (HMAC-SHA256),
// holds one lazily fetched, refreshed, single-flight access token, retries with exponential
// backoff and full jitter within the caller's context, and decodes the cloud's envelopes into
// the typed results of the user, device, device-user and device control operations. Results are
// decoded tolerantly and keep every field the cloud sent (see Record); a value that cannot be
// normalised is left out and noted in the context's CallInfo, never failing the call.
//
// Errors state facts, not advice: what to do about them is the caller's to say. A call can
// return, from the most to the least specific:
//   - one wrapping ErrOutcomeUnknown: a non-idempotent call (AddDeviceUser, SendCommands) failed after the
//     request may have reached the cloud; it was not retried, and may or may not have run;
//   - *APIError: the cloud answered with a failure envelope: code, message, tid, whether it
//     answered the token request, and whether an earlier attempt may have run the operation;
//   - *HTTPError: the answer was not an envelope: its status, content type and redirect target;
//   - *NoAnswerError: no answer came: to which request, and how long the attempt waited;
//   - one wrapping context.Canceled or context.DeadlineExceeded: the caller's context ended;
//   - other errors: a request that could not be built, or a token answer without a token.
//
// Errors and logs name the route template (/v1.0/devices/{device_id}), never the secret,
// tokens, signatures or bodies.
package client
