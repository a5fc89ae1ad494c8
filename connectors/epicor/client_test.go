package epicor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

func noWait(context.Context, time.Duration) error { return nil }

func target(base string) Target {
	return Target{BaseURL: base, Instance: "Kinetic", Company: "EPIC06"}
}

func newClient(tb testing.TB, h http.Handler) *Client {
	tb.Helper()
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return New(target(ts.URL), BasicAuth{APIKey: "KEY", Username: "u", Password: "p"}, httpx.Options{Sleep: noWait})
}

func TestListPagesWithTopSkip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		rows      int
		top       int
		limit     int
		wantRows  int
		wantCalls int
	}{
		{"three pages, short last", 250, 0, 0, 250, 3},
		{"exact multiple needs an empty page", 200, 0, 0, 200, 3},
		{"limit", 250, 0, 120, 120, 2},
		{"explicit top is one page", 250, 10, 0, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				top, _ := strconv.Atoi(r.URL.Query().Get("$top"))
				skip, _ := strconv.Atoi(r.URL.Query().Get("$skip"))
				rows := []map[string]any{}
				for i := skip; i < min(skip+top, tt.rows); i++ {
					rows = append(rows, map[string]any{"PartNum": fmt.Sprintf("P%03d", i)})
				}
				json.NewEncoder(w).Encode(map[string]any{"@odata.context": "x", "value": rows})
			}))
			got, err := c.ListParts(context.Background(), Query{Top: tt.top}, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantRows || int(calls.Load()) != tt.wantCalls {
				t.Fatalf("got %d rows in %d calls, want %d in %d", len(got), calls.Load(), tt.wantRows, tt.wantCalls)
			}
			seen := map[any]bool{}
			for _, r := range got {
				if seen[r["PartNum"]] {
					t.Fatalf("row %v returned twice", r["PartNum"])
				}
				seen[r["PartNum"]] = true
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	body := func(status int, typ, msg, table, field string) string {
		b, _ := json.Marshal(map[string]any{"HttpStatus": status, "ReasonPhrase": "REST API Exception", "ErrorMessage": msg, "ErrorType": typ,
			"ErrorDetails":  []map[string]any{{"Message": msg, "Type": "Error", "Table": table, "Field": field}},
			"CorrelationId": "3059819d"})
		return string(b)
	}
	tests := []struct {
		name    string
		status  int
		body    string
		kind    error
		message string
	}{
		{"unknown part", 400, body(400, "Ice.Common.BusinessObjectException", "Part number SKU-9 is not valid.", "OrderDtl", "PartNum"), httpx.ErrValidation,
			"epicor: create sales order: 400 Part number SKU-9 is not valid. (OrderDtl.PartNum) [correlation id 3059819d]"},
		{"duplicate as 400", 400, body(400, "Ice.Common.DuplicateRecordException", "Customer ID ACME already exists.", "Customer", "CustID"), httpx.ErrConflict, ""},
		{"duplicate as 409", 409, body(409, "Ice.BLException", "Record has a duplicate key.", "", ""), httpx.ErrConflict, ""},
		{"record not found", 400, body(400, "Ice.Common.RecordNotFoundException", "Record not found.", "", ""), httpx.ErrNotFound, ""},
		{"404 key", 404, body(404, "Epicor.RESTApi.ErrorHandling.ApiException", "Not found", "", ""), httpx.ErrNotFound, ""},
		{"bad filter", 400, body(400, "ODataException", "Syntax error at position 7", "", ""), httpx.ErrValidation, ""},
		{"unauthorized", 401, body(401, "UnauthorizedAccessException", "Invalid API key", "", ""), httpx.ErrAuth, ""},
		{"session timed out", 410, body(410, "Ice.Common.InvalidSessionException", "Session expired", "", ""), httpx.ErrAuth, ""},
		{"server error", 500, `{"HttpStatus":500,"ErrorMessage":"We apologize, but an unexpected internal problem occurred.","ErrorType":"System.Exception","CorrelationId":"c1"}`,
			httpx.ErrServer, "epicor: create sales order: 500 We apologize, but an unexpected internal problem occurred. [correlation id c1]"},
		{"not ready", 503, `Service Unavailable`, httpx.ErrUnavailable, "epicor: create sales order: 503 Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			_, err := c.CreateSalesOrder(context.Background(), map[string]any{"CustNum": 12, "PONum": "HL-1"})
			if !errors.Is(err, tt.kind) {
				t.Fatalf("error = %v, want kind %v", err, tt.kind)
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("message = %q\nwant      %q", err.Error(), tt.message)
			}
		})
	}
}

func TestCreateSalesOrderNotRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(504)
	}))
	_, err := c.CreateSalesOrder(context.Background(), map[string]any{"CustNum": 12})
	if !errors.Is(err, httpx.ErrUnavailable) || calls.Load() != 1 {
		t.Fatalf("error %v after %d calls; want ErrUnavailable after one (outcome unknown, recover via find_sales_order)", err, calls.Load())
	}
}
