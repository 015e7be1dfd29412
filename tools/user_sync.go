package tools

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// userSyncArgs are the arguments of user_sync.
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

// passwordDigest is what user sync sends: the MD5 hex digest the User Management page asks for.
func (a *userSyncArgs) passwordDigest() string {
	if a.PasswordIsMD5 {
		return a.Password
	}
	sum := md5.Sum([]byte(a.Password))
	return hex.EncodeToString(sum[:])
}

// target binds a confirmation to this call (confirmer).
func (a *userSyncArgs) target() string { return string(a.Schema) + "/" + a.Username }

// question is what the user confirms before the call runs (confirmer).
func (a *userSyncArgs) question(context.Context, *env) string {
	kind := usernameTypeWords{}.words()[a.UsernameType-1]
	return fmt.Sprintf("Create or update the user %q (username type %s) of app %s? If the app has a user with "+
		"this username, its password is overwritten. This cannot be undone.", a.Username, kind, a.Schema)
}

type syncResult struct {
	UID    string        `json:"uid" jsonschema_description:"Tuya user id."`
	Record client.Record `json:"-"`
	notes  []string
}

func (v syncResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

func (v syncResult) resultNotes() []string { return v.notes }

// syncResultOf is the result of a sync: the uid as the cloud sent it, or, when it sent none, a
// note saying so.
func syncResultOf(r *client.SyncUserResult) syncResult {
	out := syncResult{UID: r.UID, Record: r.Record}
	if r.UID == "" {
		out.notes = []string{noIDNote("a uid", "the user may have been created or updated: user_list finds it by username")}
	}
	return out
}

// userSync is the user_sync tool: POST /v1.0/apps/{schema}/user (Tuya User Management page).
func userSync() tool {
	return newTool(tool{
		name: "user_sync", title: "Create or update app user", toolset: toolsetUsers, destructive: true, idempotent: true,
		description: "Create an app user, or update the one with the same username. Returns the uid. Destructive: " +
			"overwrites an existing user's password.",
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
		return answer(err, func() syncResult { return syncResultOf(r) })
	})
}
