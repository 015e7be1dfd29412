package sandbox

import (
	"strings"
)

// Username types of user sync.
const (
	usernameMobile = 1
	usernameEmail  = 2
	usernameOther  = 3
)

type syncUserBody struct {
	CountryCode  string  `json:"country_code"`
	Username     string  `json:"username"`
	Password     string  `json:"password"`
	UsernameType *int    `json:"username_type"`
	NickName     *string `json:"nick_name"`
	TimeZoneID   *string `json:"time_zone_id"`
}

type syncUserResult struct {
	UID string `json:"uid"`
}

// syncUser is POST /v1.0/apps/{schema}/user: it creates a user or, for a username the app
// already has, updates that user and returns the same uid.
func (s *Sandbox) syncUser(c *call) (any, error) {
	schema := c.params["schema"]
	if !s.st.hasSchema(schema) {
		return nil, errPermission
	}
	var b syncUserBody
	if err := decodeBody(c.body, &b); err != nil {
		return nil, err
	}
	switch {
	case b.CountryCode == "":
		return nil, errEmpty("country_code")
	case b.Username == "":
		return nil, errEmpty("username")
	case b.Password == "":
		return nil, errEmpty("password")
	}
	typ := usernameOther
	if b.UsernameType != nil {
		typ = *b.UsernameType
	}
	if typ < usernameMobile || typ > usernameOther {
		return nil, errIllegal("username_type must be 1 (mobile), 2 (email) or 3 (other), got %d", typ)
	}
	if !countrySupported(b.CountryCode) {
		return nil, errCountry
	}
	if typ == usernameMobile && !validMobile(b.Username) {
		return nil, errMobile
	}
	if typ == usernameEmail && !validEmail(b.Username) {
		return nil, errEmail
	}
	now := c.now.Unix()
	u := s.userByName(schema, b.Username)
	if u == nil {
		u = &User{
			UID:          s.st.newUID(),
			Schema:       schema,
			UsernameType: typ,
			CountryCode:  b.CountryCode,
			Username:     b.Username,
			CreateTime:   now,
		}
		s.st.Users[u.UID] = u
	}
	u.Password = b.Password
	if b.NickName != nil {
		u.NickName = *b.NickName
	}
	if b.TimeZoneID != nil {
		u.TimeZoneID = *b.TimeZoneID
	}
	u.UpdateTime = now
	return syncUserResult{UID: u.UID}, nil
}

func (s *Sandbox) userByName(schema, username string) *User {
	for _, u := range s.st.Users {
		if u.Schema == schema && u.Username == username {
			return u
		}
	}
	return nil
}

// countrySupported reports whether the data centre serves a country calling code.
func countrySupported(cc string) bool {
	switch cc {
	case "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44",
		"45", "46", "47", "48", "49", "51", "52", "54", "55", "56", "57", "60", "61", "62", "63",
		"64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "234", "254", "351", "352",
		"353", "358", "380", "420", "852", "853", "886", "966", "971", "972":
		return true
	}
	return false
}

// validMobile accepts 5 to 15 digits with an optional leading +.
func validMobile(v string) bool {
	digits := strings.TrimPrefix(v, "+")
	return len(digits) >= 5 && len(digits) <= 15 && strings.Trim(digits, "0123456789") == ""
}

// validEmail accepts local@domain.tld without spaces or a second @.
func validEmail(v string) bool {
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || len(v) > 254 || strings.ContainsAny(v, " \t\r\n<>(),;:\"") ||
		strings.Contains(domain, "@") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return true
}

type listedUser struct {
	UID         string `json:"uid"`
	Username    string `json:"username"`
	Mobile      string `json:"mobile,omitempty"`
	Email       string `json:"email,omitempty"`
	CountryCode string `json:"country_code"`
}

type userList struct {
	List    []listedUser `json:"list"`
	HasMore bool         `json:"has_more"`
	Total   int          `json:"total"`
}

// listUsers is GET /v2.0/apps/{schema}/users: the app's users created in the window, oldest
// first, one page of them.
func (s *Sandbox) listUsers(c *call) (any, error) {
	schema := c.params["schema"]
	if !s.st.hasSchema(schema) {
		return nil, errSchema
	}
	p, _, err := parsePaging(c.query, true, 0)
	if err != nil {
		return nil, err
	}
	start, end, err := requiredWindow(c)
	if err != nil {
		return nil, err
	}
	var match []*User
	for _, u := range s.st.schemaUsers(schema) {
		if u.CreateTime >= start && u.CreateTime <= end {
			match = append(match, u)
		}
	}
	from, to, more := p.page(len(match))
	out := userList{List: []listedUser{}, HasMore: more, Total: len(match)}
	for _, u := range match[from:to] {
		lu := listedUser{UID: u.UID, Username: displayName(u), CountryCode: u.CountryCode}
		switch u.UsernameType {
		case usernameMobile:
			lu.Mobile = lu.Username
		case usernameEmail:
			lu.Email = u.Username
		}
		out.List = append(out.List, lu)
	}
	return out, nil
}

// requiredWindow parses the required start_time and end_time of the user list.
func requiredWindow(c *call) (int64, int64, error) {
	start, ok, err := secondsParam(c.query, "start_time")
	if err == nil && !ok {
		err = errEmpty("start_time")
	}
	if err != nil {
		return 0, 0, err
	}
	end, ok, err := secondsParam(c.query, "end_time")
	if err == nil && !ok {
		err = errEmpty("end_time")
	}
	if err != nil {
		return 0, 0, err
	}
	return start, end, window(start, end)
}

// displayName is the username as the cloud shows it: "86-13800138000" for mobile users.
func displayName(u *User) string {
	if u.UsernameType == usernameMobile {
		return u.CountryCode + "-" + u.Username
	}
	return u.Username
}

type userInfo struct {
	UID         string `json:"uid"`
	Username    string `json:"username"`
	CountryCode string `json:"country_code"`
	Avatar      string `json:"avatar"`
	Mobile      string `json:"mobile"`
	Email       string `json:"email,omitempty"`
	NickName    string `json:"nick_name"`
	CreateTime  int64  `json:"create_time"`
	UpdateTime  int64  `json:"update_time"`
}

// getUser is GET /v1.0/users/{uid}/infos.
func (s *Sandbox) getUser(c *call) (any, error) {
	u, ok := s.st.Users[c.params["uid"]]
	if !ok {
		return nil, errUserNotExist
	}
	info := userInfo{
		UID:         u.UID,
		Username:    displayName(u),
		CountryCode: u.CountryCode,
		Avatar:      u.Avatar,
		NickName:    u.NickName,
		CreateTime:  u.CreateTime,
		UpdateTime:  u.UpdateTime,
	}
	switch u.UsernameType {
	case usernameMobile:
		info.Mobile = info.Username
	case usernameEmail:
		info.Email = u.Username
	}
	return info, nil
}
