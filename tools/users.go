package tools

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// Toolset names.
const (
	toolsetUsers       = "users"
	toolsetDevices     = "devices"
	toolsetDeviceUsers = "device_users"
)

type userSyncArgs struct {
	Schema        id                      `json:"schema" jsonschema_description:"App schema (the app's id in IoT Platform app management). Default: the configured schema."`
	CountryCode   countryCode             `json:"country_code" jsonschema:"required" jsonschema_description:"Country calling code, e.g. 86 or 1."`
	Username      string                  `json:"username" jsonschema:"required,minLength=1,maxLength=100" jsonschema_description:"Mobile number, email address or other name, per username_type."`
	Password      string                  `json:"password" jsonschema:"required,minLength=1,maxLength=128" jsonschema_description:"Plain password; its MD5 hex digest is sent."`
	PasswordIsMD5 bool                    `json:"password_is_md5" jsonschema_description:"true: password is already a 32-hex MD5 digest, sent as is."`
	UsernameType  enum[usernameTypeWords] `json:"username_type" jsonschema_description:"Kind of username. Default other."`
	NickName      string                  `json:"nick_name" jsonschema:"maxLength=50" jsonschema_description:"Nickname."`
	TimeZoneID    string                  `json:"time_zone_id" jsonschema:"maxLength=64" jsonschema_description:"IANA time zone, e.g. Asia/Shanghai."`
}

func (a *userSyncArgs) resolve(e *env) []string {
	var problems []string
	a.Schema, problems = e.schemaOr(a.Schema)
	if a.UsernameType == 0 {
		a.UsernameType = usernameOther
	}
	switch {
	case a.UsernameType == usernameMobile && !mobileRE().MatchString(a.Username):
		problems = append(problems, "username: must be a mobile number (5 to 15 digits, optional leading +) when username_type is mobile")
	case a.UsernameType == usernameEmail && !emailRE().MatchString(a.Username):
		problems = append(problems, "username: must be an email address when username_type is email")
	}
	if a.PasswordIsMD5 && !md5HexRE().MatchString(a.Password) {
		problems = append(problems, "password: must be 32 hex digits when password_is_md5 is true")
	}
	if a.TimeZoneID != "" && !timeZoneRE().MatchString(a.TimeZoneID) {
		problems = append(problems, "time_zone_id: must be an IANA time zone name such as Asia/Shanghai or UTC")
	}
	return problems
}

// passwordDigest is what user sync sends: the MD5 hex digest the seed asks for.
func (a *userSyncArgs) passwordDigest() string {
	if a.PasswordIsMD5 {
		return a.Password
	}
	sum := md5.Sum([]byte(a.Password))
	return hex.EncodeToString(sum[:])
}

func userSync() tool {
	return newTool(tool{
		name:    "user_sync",
		title:   "Create or update app user",
		toolset: toolsetUsers,
		description: "Create an app user, or update the one with the same username. Returns the uid. Destructive: " +
			"overwrites an existing user's password.",
		destructive: true,
		idempotent:  true,
		hints: map[int]string{
			client.CodePermissionDeny: "check schema: it must be the app's identifier in IoT Platform app management",
			client.CodeSchemaNotExist: "check schema: it must be the app's identifier in IoT Platform app management",
		},
	}, func(ctx context.Context, e *env, a *userSyncArgs) (syncResult, error) {
		r, err := e.c.SyncUser(ctx, string(a.Schema), client.SyncUserRequest{
			CountryCode:  string(a.CountryCode),
			Username:     a.Username,
			Password:     a.passwordDigest(),
			UsernameType: int(a.UsernameType),
			NickName:     a.NickName,
			TimeZoneID:   a.TimeZoneID,
		})
		if err != nil {
			return syncResult{}, err
		}
		return syncResult{UID: r.UID, Record: r.Record.Including("uid")}, nil
	})
}

type userListArgs struct {
	Schema id `json:"schema" jsonschema_description:"App schema. Default: the configured schema."`
	paging
	StartTime instant `json:"start_time" jsonschema_description:"Window start: RFC 3339, YYYY-MM-DD or unix s/ms. Default: 30 days before end_time."`
	EndTime   instant `json:"end_time" jsonschema_description:"Window end, at most 30 days after start_time. Default: now, or 30 days after start_time."`
}

func (a *userListArgs) resolve(e *env) []string {
	var problems, wp []string
	a.Schema, problems = e.schemaOr(a.Schema)
	a.paging.defaults()
	a.StartTime.t, a.EndTime.t, wp = window(a.StartTime.t, a.EndTime.t, e.now(), time.Second, listWindow, listWindow)
	return append(problems, wp...)
}

func userList() tool {
	return newTool(tool{
		name:    "user_list",
		title:   "List app users",
		toolset: toolsetUsers,
		description: "List the app's users created in a window of at most 30 days (default: the last 30 days). " +
			"Private fields may be masked.",
		readOnly:   true,
		idempotent: true,
		hints: map[int]string{
			client.CodeSchemaNotExist: "check schema: it must be the app's identifier in IoT Platform app management",
		},
	}, func(ctx context.Context, e *env, a *userListArgs) (userListResult, error) {
		r, err := e.c.ListUsers(ctx, string(a.Schema), client.ListUsersRequest{
			PageNo:    a.PageNo,
			PageSize:  a.PageSize,
			StartTime: a.StartTime.t.Unix(),
			EndTime:   a.EndTime.t.Unix(),
		})
		if err != nil {
			return userListResult{}, err
		}
		return userListResult{Users: nonNil(r.List), HasMore: r.HasMore, Total: r.Total, Record: r.Record}, nil
	})
}

type userGetArgs struct {
	UID id `json:"uid" jsonschema:"required" jsonschema_description:"Tuya user id (user_list finds them)."`
}

func userGet() tool {
	return newTool(tool{
		name:        "user_get",
		title:       "Get user",
		toolset:     toolsetUsers,
		description: "Get a user's profile.",
		readOnly:    true,
		idempotent:  true,
		hints:       map[int]string{client.CodeUserNotExist: "check uid; user_list finds users"},
	}, func(ctx context.Context, e *env, a *userGetArgs) (userInfo, error) {
		u, err := e.c.GetUser(ctx, string(a.UID))
		if err != nil {
			return userInfo{}, err
		}
		return userInfo(*u), nil
	})
}
