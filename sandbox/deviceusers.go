package sandbox

import (
	"slices"
	"strings"
)

// deviceUserBody is the body of device-user add and edit; pointers tell absent from zero.
type deviceUserBody struct {
	NickName *string `json:"nick_name"`
	Sex      *int    `json:"sex"`
	Birthday *int64  `json:"birthday"`
	Height   *int64  `json:"height"`
	Weight   *int64  `json:"weight"`
	Contact  *string `json:"contact"`
}

func parseDeviceUser(body []byte) (deviceUserBody, error) {
	var b deviceUserBody
	if err := decodeBody(body, &b); err != nil {
		return b, err
	}
	switch {
	case b.NickName == nil || strings.TrimSpace(*b.NickName) == "":
		return b, errEmpty("nick_name")
	case b.Sex == nil:
		return b, errEmpty("sex")
	case *b.Sex != 1 && *b.Sex != 2:
		return b, errIllegal("sex must be 1 (male) or 2 (female), got %d", *b.Sex)
	}
	for _, f := range []struct {
		name string
		v    *int64
	}{{"birthday", b.Birthday}, {"height", b.Height}, {"weight", b.Weight}} {
		if f.v != nil && *f.v < 0 {
			return b, errIllegal("%s must not be negative, got %d", f.name, *f.v)
		}
	}
	return b, nil
}

// apply sets the profile: nick_name and sex always, the optional fields when present.
func (b deviceUserBody) apply(u *DeviceUser) {
	u.NickName, u.Sex = *b.NickName, *b.Sex
	if b.Birthday != nil {
		u.Birthday = *b.Birthday
	}
	if b.Height != nil {
		u.Height = *b.Height
	}
	if b.Weight != nil {
		u.Weight = *b.Weight
	}
	if b.Contact != nil {
		u.Contact = *b.Contact
	}
}

// addDeviceUser is POST /v1.0/devices/{device_id}/user. Every call adds a user, so a repeated
// call adds another: the operation is not idempotent.
func (s *Sandbox) addDeviceUser(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	b, err := parseDeviceUser(c.body)
	if err != nil {
		return nil, err
	}
	u := &DeviceUser{DeviceID: d.ID, UserID: s.st.newDeviceUserID()}
	b.apply(u)
	s.st.DeviceUsers[d.ID] = append(s.st.DeviceUsers[d.ID], u)
	return u.UserID, nil
}

// pathDeviceUser looks up the path's device (2010) and user (2006).
func (s *Sandbox) pathDeviceUser(c *call) (*DeviceUser, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	id := c.params["user_id"]
	i := slices.IndexFunc(s.st.DeviceUsers[d.ID], func(u *DeviceUser) bool { return u.UserID == id })
	if i < 0 {
		return nil, errUserNotExist
	}
	return s.st.DeviceUsers[d.ID][i], nil
}

// editDeviceUser is PUT /v1.0/devices/{device_id}/users/{user_id}.
func (s *Sandbox) editDeviceUser(c *call) (any, error) {
	u, err := s.pathDeviceUser(c)
	if err != nil {
		return nil, err
	}
	b, err := parseDeviceUser(c.body)
	if err != nil {
		return nil, err
	}
	b.apply(u)
	return true, nil
}

// deleteDeviceUser is DELETE /v1.0/devices/{device_id}/users/{user_id}.
func (s *Sandbox) deleteDeviceUser(c *call) (any, error) {
	u, err := s.pathDeviceUser(c)
	if err != nil {
		return nil, err
	}
	s.st.DeviceUsers[u.DeviceID] = slices.DeleteFunc(s.st.DeviceUsers[u.DeviceID], func(x *DeviceUser) bool { return x == u })
	return true, nil
}

// getDeviceUser is GET /v1.0/devices/{device_id}/users/{user_id}.
func (s *Sandbox) getDeviceUser(c *call) (any, error) {
	u, err := s.pathDeviceUser(c)
	if err != nil {
		return nil, err
	}
	return *u, nil
}

// listDeviceUsers is GET /v1.0/devices/{device_id}/users, in the order the users were added.
func (s *Sandbox) listDeviceUsers(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	out := []DeviceUser{}
	for _, u := range s.st.DeviceUsers[d.ID] {
		out = append(out, *u)
	}
	return out, nil
}
