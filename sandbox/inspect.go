package sandbox

import (
	"slices"
)

// The inspection API lets tests look at the store directly, without HTTP. Every function
// returns copies: changing them changes nothing in the sandbox.

// Device returns the device with the id.
func (s *Sandbox) Device(id string) (Device, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.Devices[id]
	if !ok {
		return Device{}, false
	}
	return d.clone(), true
}

// Devices returns every device in id order.
func (s *Sandbox) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Device
	for _, d := range s.st.sortedDevices() {
		out = append(out, d.clone())
	}
	return out
}

// DeviceUsers returns the users of a device in the order they were added.
func (s *Sandbox) DeviceUsers(deviceID string) []DeviceUser {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []DeviceUser
	for _, u := range s.st.DeviceUsers[deviceID] {
		out = append(out, *u)
	}
	return out
}

// Users returns the users of an app in creation order.
func (s *Sandbox) Users(schema string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, u := range s.st.schemaUsers(schema) {
		out = append(out, *u)
	}
	return out
}

// User returns the user with the uid.
func (s *Sandbox) User(uid string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.st.Users[uid]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// OutletNames returns the outlets of a multi-outlet device with their names; nil for any other
// device.
func (s *Sandbox) OutletNames(deviceID string) []Outlet {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.Devices[deviceID]
	if !ok {
		return nil
	}
	out, err := s.outlets(d)
	if err != nil {
		return nil
	}
	return out
}

// Logs returns a device's events, oldest first.
func (s *Sandbox) Logs(deviceID string) []Log {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.Logs[deviceID])
}

// AccessTokens returns the access tokens that are valid now, so that tests can look for them
// where they must not be (logs, errors, metrics).
func (s *Sandbox) AccessTokens() []string {
	s.tokMu.Lock()
	defer s.tokMu.Unlock()
	var out []string
	for a := range s.tokens.access {
		out = append(out, a)
	}
	return out
}
