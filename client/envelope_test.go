package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// raw answers with a fixed body.
func raw(body string) step {
	return func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }
}

// TestResultDecoding checks what decoding envelope and result gives a caller: the result,
// normalised, or left out with a note when it is of the wrong type, an HTTPError for an answer
// that is not an envelope, and nothing of a failure's result.
func TestResultDecoding(t *testing.T) {
	tests := []struct {
		name     string
		script   []step
		want     *Device
		requests int64
		wantCode int    // APIError code
		wantHTTP bool   // HTTPError 200: not an envelope
		wantNote string // in CallInfo.Notes
		wantErr  string // the error text starts with it
	}{
		{name: "success", script: []step{raw(`{"result":{"id":"d1","name":"Lamp","status":[{"code":"switch","value":true}]},"success":true,"tid":"t1"}`)},
			want: &Device{ID: "d1", Name: "Lamp", Status: []DP{{Code: "switch", Value: json.RawMessage("true")}}}, requests: 1},
		{name: "null result", script: []step{raw(`{"success":true,"result":null}`)}, want: &Device{}, requests: 1, wantNote: "the cloud answered success without a result"},
		{name: "number for a string", script: []step{raw(`{"success":true,"result":{"id":7},"tid":"t1"}`)}, want: &Device{ID: "7"}, requests: 1},
		{name: "result of the wrong type", script: []step{raw(`{"success":true,"result":"d1","tid":"t1"}`)}, want: &Device{}, requests: 1,
			wantNote: `result: "d1" is not an object; left out`},
		{name: "field of the wrong type", script: []step{raw(`{"success":true,"result":{"id":"d1","active_time":{"s":1}},"tid":"t1"}`)},
			want: &Device{ID: "d1"}, requests: 1, wantNote: "result.active_time: an object with 1 member is not an integer; left out"},
		{name: "failure result ignored", script: []step{raw(`{"success":false,"code":2010,"msg":"device not exist","result":"x"}`)},
			requests: 1, wantCode: 2010},
		{name: "failure result not merged into the retry's", script: []step{
			raw(`{"success":false,"code":500,"msg":"system error","result":{"id":"junk","name":"Junk","online":true}}`),
			raw(`{"success":true,"result":{"id":"d1"}}`)}, want: &Device{ID: "d1"}, requests: 2},
		{name: "success as a string", script: []step{raw(`{"success":"true","result":{"id":"d1"}}`)}, want: &Device{ID: "d1"}, requests: 1},
		{name: "success as 1", script: []step{raw(`{"success":1,"result":{"id":"d1"}}`)}, want: &Device{ID: "d1"}, requests: 1},
		{name: "tid a number", script: []step{raw(`{"success":true,"result":{"id":"d1"},"t":1,"tid":12345}`)}, want: &Device{ID: "d1"}, requests: 1},
		{name: "tid an object, msg a number, code a word", script: []step{raw(`{"success":true,"result":{"id":"d1"},"tid":{"a":1},"msg":404,"code":"x"}`)},
			want: &Device{ID: "d1"}, requests: 1},
		{name: "success not a boolean", script: []step{raw(`{"success":"yes","result":{"id":"d1"}}`)}, requests: 1, wantHTTP: true},
		{name: "failure as the string false, code a string", script: []step{raw(`{"success":"false","code":"2010","msg":"device not exist"}`)}, requests: 1, wantCode: 2010},
		{name: "failure as 0, code with spaces and fraction", script: []step{raw(`{"success":0,"code":" 2010.0 ","msg":{"en":"x"}}`)}, requests: 1, wantCode: 2010},
		{name: "msg not a string", script: []step{raw(`{"success":false,"code":1004,"msg":7}`)}, requests: 1, wantCode: 1004},
		{name: "errorCode and errorMsg", script: []step{raw(`{"success":false,"errorCode":"2010","errorMsg":"device not exist"}`)}, requests: 1, wantCode: 2010},
		{name: "error_code and message", script: []step{raw(`{"success":false,"error_code":2010,"message":"device not exist"}`)}, requests: 1, wantCode: 2010,
			wantErr: "Tuya error 2010 (device not exist) on GET"},
		{name: "error_msg after an empty msg", script: []step{raw(`{"success":false,"code":2010,"msg":"","error_msg":"device not exist"}`)}, requests: 1, wantCode: 2010,
			wantErr: "Tuya error 2010 (device not exist) on GET"},
		{name: "no message", script: []step{raw(`{"success":false,"code":2010,"msg":null}`)}, requests: 1, wantCode: 2010,
			wantErr: "Tuya error 2010 on GET"},
		{name: "trailing bytes", script: []step{raw(`{"success":true,"result":{"id":"d1"}}xyz`)}, requests: 1, wantHTTP: true},
		{name: "NaN", script: []step{raw(`{"success":true,"result":{"id":NaN}}`)}, requests: 1, wantHTTP: true},
		{name: "wrong result and no success", script: []step{raw(`{"result":{"id":7}}`)}, requests: 1, wantHTTP: true},
		{name: "truncated", script: []step{raw(`{"success":true,"result":{"id":"d1"`)}, requests: 1, wantHTTP: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, scripted(tt.script...))
			ctx, ci := WithCallInfo(bg(t))
			d, err := f.client(t, nil).GetDevice(ctx, "d1")
			if got := f.business.Load(); got != tt.requests {
				t.Fatalf("%d requests, want %d (err %v)", got, tt.requests, err)
			}
			if tt.want != nil {
				if err != nil || !reflect.DeepEqual(withoutRecords(d), tt.want) {
					t.Fatalf("GetDevice = %+v, %v; want %+v", d, err, tt.want)
				}
				if notes := ci.Notes(); tt.wantNote == "" && len(notes) > 0 || tt.wantNote != "" && !slices.Contains(notes, tt.wantNote) {
					t.Fatalf("notes %q, want %q", notes, tt.wantNote)
				}
				return
			}
			var ae *APIError
			var he *HTTPError
			switch {
			case err == nil:
				t.Fatalf("GetDevice = %+v, want an error", d)
			case tt.wantCode != 0 && (!errors.As(err, &ae) || ae.Code != tt.wantCode):
				t.Fatalf("err = %v, want APIError %d", err, tt.wantCode)
			case tt.wantHTTP && (!errors.As(err, &he) || he.StatusCode != http.StatusOK):
				t.Fatalf("err = %v, want HTTPError 200", err)
			case tt.wantErr != "" && !strings.HasPrefix(err.Error(), tt.wantErr):
				t.Fatalf("err = %v, want %s...", err, tt.wantErr)
			}
		})
	}
}
