package tools

import (
	"context"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// userGetArgs are the arguments of user_get.
type userGetArgs struct {
	UID id `json:"uid" jsonschema:"required" jsonschema_description:"Tuya user id (user_list finds them)."`
}

// userInfo mirrors client.UserInfo.
type userInfo struct {
	UID         string        `json:"uid"`
	Username    string        `json:"username"`
	CountryCode string        `json:"country_code"`
	Avatar      string        `json:"avatar"`
	Mobile      string        `json:"mobile"`
	Email       string        `json:"email,omitempty"`
	NickName    string        `json:"nick_name"`
	CreateTime  int64         `json:"create_time" jsonschema_description:"Unix s."`
	UpdateTime  int64         `json:"update_time" jsonschema_description:"Unix s."`
	Record      client.Record `json:"-"`
}

func (v userInfo) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// userGet is the user_get tool: GET /v1.0/users/{uid}/infos (Tuya User Management page).
func userGet() tool {
	return newTool(tool{
		name: "user_get", title: "Get user", toolset: toolsetUsers, readOnly: true, idempotent: true,
		description: "Get a user's profile.",
		hints:       map[int]string{client.CodeUserNotExist: "check uid; user_list finds users"},
	}, func(ctx context.Context, e *env, a *userGetArgs) (userInfo, error) {
		u, err := e.c.GetUser(ctx, string(a.UID))
		return answer(err, func() userInfo { return userInfo(*u) })
	})
}
