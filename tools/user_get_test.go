package tools_test

import (
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

func TestUserGet(t *testing.T) {
	runCases(t, "user_get", []toolCase{
		{name: "success", args: map[string]any{"uid": sandbox.DemoUserUID}, want: map[string]any{"uid": sandbox.DemoUserUID}},
		{name: "user not exist", args: map[string]any{"uid": noSuchUser},
			err: "Tuya error 2006 (user not exist) on GET /v1.0/users/{uid}/infos: check uid; user_list finds users. (tid "},
		{name: "no uid", sendsNothing: true, err: "invalid arguments for user_get: uid: required"},
	})
}
