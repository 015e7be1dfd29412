package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// op is one REST call: everything do needs to sign, send, retry and report it.
type op struct {
	method string
	// route is the documented path template; errors and logs name it instead of the ids.
	route string
	// path is the route with its placeholders filled in, path-escaped.
	path  string
	query url.Values
	// body is marshalled to JSON; nil sends no body.
	body any
	// idempotent calls may be retried after the request may have reached the server.
	idempotent bool
}

// newOp fills route's {placeholders}, in order, with the path-escaped ids. An empty id is an
// error: it would silently address a different endpoint. So are "." and "..", which escaping
// leaves as they are: a proxy or server that resolves dot segments would send the call to the
// parent resource (DELETE /v1.0/devices/{device_id}/users/.. deleting the device).
func newOp(method, route string, ids ...string) (op, error) {
	o := op{method: method, route: route, idempotent: method != "POST"}
	var b strings.Builder
	rest := route
	for _, id := range ids {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			return op{}, fmt.Errorf("client: route %s has fewer placeholders than ids", route)
		}
		name := rest[open+1 : end]
		if strings.TrimSpace(id) == "" {
			return op{}, fmt.Errorf("client: %s %s: %s is empty", method, route, name)
		}
		if id == "." || id == ".." {
			return op{}, fmt.Errorf("client: %s %s: %s %q is a dot segment", method, route, name, id)
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(id))
		rest = rest[end+1:]
	}
	if strings.IndexByte(rest, '{') >= 0 {
		return op{}, fmt.Errorf("client: route %s has more placeholders than ids", route)
	}
	b.WriteString(rest)
	o.path = b.String()
	return o, nil
}

// call builds the op and runs it.
func (c *Client) call(ctx context.Context, method, route string, ids []string, query url.Values, body, out any) error {
	o, err := newOp(method, route, ids...)
	if err != nil {
		return err
	}
	o.query, o.body = query, body
	return c.do(ctx, o, out)
}

// setInt, setInt64 and setStr add a query parameter only when it is set.
func setInt(q url.Values, key string, v int) {
	if v != 0 {
		q.Set(key, strconv.Itoa(v))
	}
}

func setInt64(q url.Values, key string, v int64) {
	if v != 0 {
		q.Set(key, strconv.FormatInt(v, 10))
	}
}

func setStr(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

// expectTrue turns the bare boolean result of a write into an error when the cloud says false.
// A success with no result, or a null one (ok nil), is a success.
func expectTrue(ok *bool, err error, method, route string) error {
	if err != nil {
		return err
	}
	if ok != nil && !*ok {
		return &APIError{ResultFalse: true, Msg: "the cloud answered success with result false", Method: method, Path: route}
	}
	return nil
}

// SyncUser creates a user of the app, or updates the one with the same username.
func (c *Client) SyncUser(ctx context.Context, schema string, req SyncUserRequest) (*SyncUserResult, error) {
	var out SyncUserResult
	// Sync is an upsert keyed by username, so repeating it is safe.
	o, err := newOp("POST", "/v1.0/apps/{schema}/user", schema)
	if err != nil {
		return nil, err
	}
	o.body, o.idempotent = req, true
	if err := c.do(ctx, o, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListUsers returns one page of the app's users created in the window.
func (c *Client) ListUsers(ctx context.Context, schema string, req ListUsersRequest) (*UserList, error) {
	q := url.Values{}
	q.Set("page_no", strconv.Itoa(req.PageNo))
	q.Set("page_size", strconv.Itoa(req.PageSize))
	q.Set("start_time", strconv.FormatInt(req.StartTime, 10))
	q.Set("end_time", strconv.FormatInt(req.EndTime, 10))
	var out UserList
	if err := c.call(ctx, "GET", "/v2.0/apps/{schema}/users", []string{schema}, q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetUser returns a user's information.
func (c *Client) GetUser(ctx context.Context, uid string) (*UserInfo, error) {
	var out UserInfo
	if err := c.call(ctx, "GET", "/v1.0/users/{uid}/infos", []string{uid}, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetDevice returns a device's details and latest status.
func (c *Client) GetDevice(ctx context.Context, deviceID string) (*Device, error) {
	var out Device
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}", []string{deviceID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListDevices returns one page of devices by app, product or ids.
func (c *Client) ListDevices(ctx context.Context, req ListDevicesRequest) (*DeviceList, error) {
	q := url.Values{}
	q.Set("page_no", strconv.Itoa(req.PageNo))
	q.Set("page_size", strconv.Itoa(req.PageSize))
	setStr(q, "schema", req.Schema)
	setStr(q, "product_id", req.ProductID)
	setStr(q, "device_ids", strings.Join(req.DeviceIDs, ","))
	setInt64(q, "start_time", req.StartTime)
	setInt64(q, "end_time", req.EndTime)
	setStr(q, "last_id", req.LastID)
	var out DeviceList
	if err := c.call(ctx, "GET", "/v1.0/devices", nil, q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListUserDevices returns the devices available to a user.
func (c *Client) ListUserDevices(ctx context.Context, uid string, req ListUserDevicesRequest) ([]Device, error) {
	q := url.Values{}
	setStr(q, "from", req.From)
	setInt(q, "page_no", req.PageNo)
	setInt(q, "page_size", req.PageSize)
	var out []Device
	if err := c.call(ctx, "GET", "/v1.0/users/{uid}/devices", []string{uid}, q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ListDeviceLogs returns one page of a device's logs.
func (c *Client) ListDeviceLogs(ctx context.Context, deviceID string, req DeviceLogsRequest) (*DeviceLogs, error) {
	types := make([]string, len(req.Types))
	for i, t := range req.Types {
		types[i] = strconv.Itoa(t)
	}
	q := url.Values{}
	q.Set("type", strings.Join(types, ","))
	q.Set("start_time", strconv.FormatInt(req.StartTime, 10))
	q.Set("end_time", strconv.FormatInt(req.EndTime, 10))
	setStr(q, "codes", strings.Join(req.Codes, ","))
	setStr(q, "start_row_key", req.StartRowKey)
	setStr(q, "last_row_key", req.LastRowKey)
	setInt64(q, "last_event_time", req.LastEventTime)
	setInt(q, "size", req.Size)
	setInt(q, "query_type", req.QueryType)
	var out DeviceLogs
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/logs", []string{deviceID}, q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RenameDevice sets a device's name.
func (c *Client) RenameDevice(ctx context.Context, deviceID, name string) error {
	const route = "/v1.0/devices/{device_id}"
	var ok *bool
	err := c.call(ctx, "PUT", route, []string{deviceID}, nil, map[string]string{"name": name}, &ok)
	return expectTrue(ok, err, "PUT", route)
}

// RenameFunction sets the name of one data point of a device.
func (c *Client) RenameFunction(ctx context.Context, deviceID, functionCode, name string) error {
	const route = "/v1.0/devices/{device_id}/functions/{function_code}"
	var ok *bool
	err := c.call(ctx, "PUT", route, []string{deviceID, functionCode}, nil, map[string]string{"name": name}, &ok)
	return expectTrue(ok, err, "PUT", route)
}

// FactoryReset restores a device to its factory defaults.
func (c *Client) FactoryReset(ctx context.Context, deviceID string) error {
	const route = "/v1.0/devices/{device_id}/reset-factory"
	var ok *bool
	err := c.call(ctx, "PUT", route, []string{deviceID}, nil, nil, &ok)
	return expectTrue(ok, err, "PUT", route)
}

// DeleteDevice removes a device.
func (c *Client) DeleteDevice(ctx context.Context, deviceID string) error {
	const route = "/v1.0/devices/{device_id}"
	var ok *bool
	err := c.call(ctx, "DELETE", route, []string{deviceID}, nil, nil, &ok)
	return expectTrue(ok, err, "DELETE", route)
}

// ListSubDevices returns the devices under a gateway.
func (c *Client) ListSubDevices(ctx context.Context, gatewayID string) ([]SubDevice, error) {
	var out []SubDevice
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/sub-devices", []string{gatewayID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ListFactoryInfos returns the factory information of the devices.
func (c *Client) ListFactoryInfos(ctx context.Context, deviceIDs []string) ([]FactoryInfo, error) {
	q := url.Values{}
	q.Set("device_ids", strings.Join(deviceIDs, ","))
	var out []FactoryInfo
	if err := c.call(ctx, "GET", "/v1.0/devices/factory-infos", nil, q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetOutletName names one outlet of a multi-outlet device.
func (c *Client) SetOutletName(ctx context.Context, deviceID string, outlet OutletName) error {
	const route = "/v1.0/devices/{device_id}/multiple-name"
	var ok *bool
	err := c.call(ctx, "PUT", route, []string{deviceID}, nil, outlet, &ok)
	return expectTrue(ok, err, "PUT", route)
}

// ListOutletNames returns the outlet names of a multi-outlet device.
func (c *Client) ListOutletNames(ctx context.Context, deviceID string) ([]OutletName, error) {
	var out []OutletName
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/multiple-names", []string{deviceID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// AddDeviceUser adds a user to a device and returns the new user's id. It is not idempotent: a
// retry after the request may have arrived could add the user twice, so the client never makes one.
func (c *Client) AddDeviceUser(ctx context.Context, deviceID string, in DeviceUserInput) (string, error) {
	o, err := newOp("POST", "/v1.0/devices/{device_id}/user", deviceID)
	if err != nil {
		return "", err
	}
	o.body = in
	var id string
	if err := c.do(ctx, o, &id); err != nil {
		return "", err
	}
	return id, nil
}

// EditDeviceUser replaces a device user's profile.
func (c *Client) EditDeviceUser(ctx context.Context, deviceID, userID string, in DeviceUserInput) error {
	const route = "/v1.0/devices/{device_id}/users/{user_id}"
	var ok *bool
	err := c.call(ctx, "PUT", route, []string{deviceID, userID}, nil, in, &ok)
	return expectTrue(ok, err, "PUT", route)
}

// DeleteDeviceUser removes a user from a device.
func (c *Client) DeleteDeviceUser(ctx context.Context, deviceID, userID string) error {
	const route = "/v1.0/devices/{device_id}/users/{user_id}"
	var ok *bool
	err := c.call(ctx, "DELETE", route, []string{deviceID, userID}, nil, nil, &ok)
	return expectTrue(ok, err, "DELETE", route)
}

// GetDeviceUser returns one user of a device.
func (c *Client) GetDeviceUser(ctx context.Context, deviceID, userID string) (*DeviceUser, error) {
	var out DeviceUser
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/users/{user_id}", []string{deviceID, userID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListDeviceUsers returns the users of a device.
func (c *Client) ListDeviceUsers(ctx context.Context, deviceID string) ([]DeviceUser, error) {
	var out []DeviceUser
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/users", []string{deviceID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetDeviceStatus returns the latest value of each of a device's data points (an offline
// device's last values).
func (c *Client) GetDeviceStatus(ctx context.Context, deviceID string) ([]DP, error) {
	var out []DP
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/status", []string{deviceID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetSpecification returns a device's specification: the data points it accepts and reports,
// with their types and allowed values.
func (c *Client) GetSpecification(ctx context.Context, deviceID string) (*Specification, error) {
	var out Specification
	if err := c.call(ctx, "GET", "/v1.0/devices/{device_id}/specifications", []string{deviceID}, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListCategoryFunctions returns the standard instruction set of a product category (kg, cz,
// dj...): every function Tuya defines for it; a product supports a subset.
func (c *Client) ListCategoryFunctions(ctx context.Context, category string) (*FunctionSet, error) {
	var out FunctionSet
	if err := c.call(ctx, "GET", "/v1.0/functions/{category}", []string{category}, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SendCommands sends commands to a device; the cloud answers true once it accepted them, and
// the status changes when the device reports. It is not idempotent (a toggle or a relative
// move would run twice), so the client never retries it after the request may have arrived.
func (c *Client) SendCommands(ctx context.Context, deviceID string, cmds []Command) error {
	const route = "/v1.0/devices/{device_id}/commands"
	o, err := newOp("POST", route, deviceID)
	if err != nil {
		return err
	}
	o.body = struct {
		Commands []Command `json:"commands"`
	}{cmds}
	var ok *bool
	err = c.do(ctx, o, &ok)
	return expectTrue(ok, err, "POST", route)
}
