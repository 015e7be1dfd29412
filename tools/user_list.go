package tools

import (
	"context"
	"time"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// userListArgs are the arguments of user_list.
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

type userListResult struct {
	Users []client.ListedUser `json:"users" jsonschema:"required"`
	pages
	Total  int           `json:"total" jsonschema_description:"Users in the window."`
	Record client.Record `json:"-"`
}

func (v userListResult) MarshalJSON() ([]byte, error) { return client.MarshalRecord(v) }

// userList is the user_list tool: GET /v2.0/apps/{schema}/users (Tuya User Management page).
func userList() tool {
	return newTool(tool{
		name: "user_list", title: "List app users", toolset: toolsetUsers, readOnly: true, idempotent: true,
		description: "List the app's users created in a window of at most 30 days (default: the last 30 days). " +
			"Private fields may be masked.",
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
		return answer(err, func() userListResult {
			p := pagesOf(moreOf(r.Record, "has_more", r.HasMore, len(r.List), a.PageSize), a.paging.next().inWindow(a.StartTime.t, a.EndTime.t))
			return userListResult{Users: nonNil(r.List), pages: p, Total: r.Total, Record: p.record(r.Record)}
		})
	})
}
