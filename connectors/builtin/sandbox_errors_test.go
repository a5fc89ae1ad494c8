package builtin

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/fault"
	hlsim "github.com/bridgework/bridgework/sandbox/heartland"
	"github.com/bridgework/bridgework/sandbox/reqlog"
)

// Each typed error comes from the simulators' own behaviour or from a fault
// set with PUT /_sandbox/faults, through the real connectors.
func TestTypedErrorsFromSandbox(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, system, op, input string
		faults                  string            // PUT /_sandbox/faults body, when set
		config                  map[string]any    // replaces these connection settings
		secrets                 map[string]string // replaces these connection secrets
		want                    error
		message                 string // part of the error text, when set
		setup                   func(t *testing.T, s *sb)
		unchanged               func(t *testing.T, s *sb) // state the failed call must not change
	}{
		{name: "heartland not found", system: "heartland", op: "get_item", input: `{"id":999999}`, want: httpx.ErrNotFound},
		{name: "heartland validation", system: "heartland", op: "update_item", input: `{"id":100501,"fields":{"cost":"lots"}}`, want: httpx.ErrValidation, message: "cost",
			unchanged: func(t *testing.T, s *sb) {
				if it := s.hlGet(t, "/items/100501"); it["cost"] == "lots" {
					t.Errorf("the refused update was applied: %v", it)
				}
			}},
		{name: "heartland bad filter", system: "heartland", op: "list_items", input: `{"filter":{"no_such_field":"x"}}`, want: httpx.ErrValidation},
		{name: "heartland conflict", system: "heartland", op: "create_customer", input: `{"first_name":"A","last_name":"B","email":"a@b.test"}`,
			faults: `{"fail_next":[{"status":409}]}`, want: httpx.ErrConflict, message: "409 conflict"},
		{name: "heartland wrong token", system: "heartland", op: "get_item", input: `{"id":100501}`,
			secrets: map[string]string{"api_token": "wrong"}, want: httpx.ErrAuth},
		{name: "heartland rate limited", system: "heartland", op: "get_item", input: `{"id":100501}`,
			faults: `{"fail_next":[{"status":429,"count":5}]}`, want: httpx.ErrRateLimited},
		{name: "heartland unavailable", system: "heartland", op: "get_item", input: `{"id":100501}`,
			faults: `{"fail_next":[{"status":503,"count":5}]}`, want: httpx.ErrUnavailable},
		{name: "epicor not found", system: "epicor", op: "get_customer", input: `{"CustNum":99999}`, want: httpx.ErrNotFound},
		{name: "epicor duplicate CustID", system: "epicor", op: "create_customer", input: `{"CustID":"roej","Name":"Jane Roe again"}`, want: httpx.ErrConflict, message: "Customer.CustID",
			unchanged: func(t *testing.T, s *sb) {
				if n := len(s.Epicor.Rows("Customers", nil)); n != 22 {
					t.Errorf("%d customers after a refused create, want 22", n)
				}
			}},
		{name: "epicor unknown PartNum", system: "epicor", op: "add_sales_order_lines", input: `{"OrderNum":5001,"lines":[{"PartNum":"NO-SUCH-PART","SellingQuantity":1}]}`,
			want: httpx.ErrValidation, message: "NO-SUCH-PART",
			setup: func(t *testing.T, s *sb) { // order 5001
				s.must(t, s.ep, "create_sales_order", `{"CustNum":1,"PONum":"HL-1"}`)
			},
			unchanged: func(t *testing.T, s *sb) {
				if n := len(s.Epicor.Rows("OrderDtls", nil)); n != 0 {
					t.Errorf("%d order lines after a refused line, want 0", n)
				}
			}},
		{name: "epicor unknown customer", system: "epicor", op: "create_sales_order", input: `{"CustNum":99999,"PONum":"X"}`, want: httpx.ErrValidation},
		{name: "epicor bad filter", system: "epicor", op: "list_parts", input: `{"filter":"NoSuchField eq 1"}`, want: httpx.ErrValidation},
		{name: "epicor wrong password", system: "epicor", op: "get_customer", input: `{"CustNum":1}`,
			secrets: map[string]string{"password": "wrong"}, want: httpx.ErrAuth},
		{name: "epicor wrong api key", system: "epicor", op: "get_customer", input: `{"CustNum":1}`,
			secrets: map[string]string{"api_key": "wrong"}, want: httpx.ErrAuth},
		{name: "epicor wrong token password", system: "epicor", op: "get_customer", input: `{"CustNum":1}`,
			config: map[string]any{"auth": "token"}, secrets: map[string]string{"password": "wrong"}, want: httpx.ErrAuth},
		{name: "epicor rate limited", system: "epicor", op: "get_part", input: `{"PartNum":"SKU-1001"}`,
			faults: `{"fail_next":[{"status":429,"count":5}]}`, want: httpx.ErrRateLimited},
		{name: "epicor server error", system: "epicor", op: "create_sales_order", input: `{"CustNum":1,"PONum":"X"}`,
			faults: `{"fail_next":[{"status":500}]}`, want: httpx.ErrServer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSandbox(t, sandbox.Options{})
			conn, base := s.hl, s.HeartlandURL
			if tc.system == "epicor" {
				conn, base = s.ep, s.EpicorURL
			}
			conn.ID += "-" + tc.name
			conn.Config, conn.Secrets = maps.Clone(conn.Config), maps.Clone(conn.Secrets)
			conn.Config["max_attempts"] = 1
			maps.Copy(conn.Config, tc.config)
			maps.Copy(conn.Secrets, tc.secrets)
			if tc.setup != nil {
				tc.setup(t, s)
			}
			if tc.faults != "" {
				call(t, http.MethodPut, base+"/_sandbox/faults", nil, decode(t, tc.faults))
			}
			_, err := s.invoke(t, conn, tc.op, tc.input)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			var he *httpx.Error
			if !errors.As(err, &he) || he.System != tc.system || he.Status == 0 || he.Message == "" {
				t.Errorf("error %#v lacks the system, status or the server's message", err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not mention %q", err, tc.message)
			}
			if tc.unchanged != nil {
				tc.unchanged(t, s)
			}
		})
	}
}

// A 429 with Retry-After is waited out before the retry: the request log
// shows the retry at least Retry-After after the refused request.
func TestRetryAfterHonouredAgainstSandbox(t *testing.T) {
	t.Parallel()
	for _, system := range []string{"heartland", "epicor"} {
		t.Run(system, func(t *testing.T) {
			t.Parallel()
			s := startSandbox(t, sandbox.Options{})
			conn, base, op, input := s.hl, s.HeartlandURL, "get_item", `{"id":100501}`
			var srv interface{ Requests() *reqlog.Log } = s.Heartland
			if system == "epicor" {
				conn, base, op, input, srv = s.ep, s.EpicorURL, "get_part", `{"PartNum":"SKU-1001"}`, s.Epicor
			}
			call(t, http.MethodPut, base+"/_sandbox/faults", nil, decode(t, `{"fail_next":[{"status":429,"count":1,"retry_after_seconds":1}]}`))
			if _, err := s.invoke(t, conn, op, input); err != nil {
				t.Fatalf("call after one 429: %v", err)
			}
			log := requestLog(srv)
			if len(log) != 2 || log[0].Status != http.StatusTooManyRequests || log[1].Status != http.StatusOK {
				t.Fatalf("request log = %+v, want a 429 then a 200", log)
			}
			if gap := log[1].Time.Sub(log[0].Time); gap < time.Second {
				t.Errorf("retried %v after the 429, want at least the 1s of Retry-After", gap)
			}
		})
	}
}

// A create whose answer is lost (the sandbox applies it and drops the
// connection) is not resent; its lookup finds the record it made.
func TestLostCreateAnswerFoundByLookupInSandbox(t *testing.T) {
	t.Parallel()
	cases := []struct {
		system, create, input, lookup, key string
	}{
		{"heartland", "create_customer", `{"first_name":"Lost","last_name":"Answer","email":"lost@answer.test"}`, "find_customer", `{"email":"lost@answer.test"}`},
		{"epicor", "create_sales_order", `{"CustNum":1,"PONum":"HL-LOST-1"}`, "find_sales_order", `{"PONum":"HL-LOST-1"}`},
	}
	for _, tc := range cases {
		t.Run(tc.system, func(t *testing.T) {
			t.Parallel()
			s := startSandbox(t, sandbox.Options{})
			conn, base := s.hl, s.HeartlandURL
			var srv interface{ Requests() *reqlog.Log } = s.Heartland
			if tc.system == "epicor" {
				conn, base, srv = s.ep, s.EpicorURL, s.Epicor
			}
			call(t, http.MethodPut, base+"/_sandbox/faults", nil, decode(t, `{"write_timeout":{"mode":"drop","count":1}}`))
			_, err := s.invoke(t, conn, tc.create, tc.input)
			if !errors.Is(err, httpx.ErrUnavailable) {
				t.Fatalf("create with a dropped answer: %v, want ErrUnavailable", err)
			}
			posts := 0
			for _, e := range requestLog(srv) {
				if e.Method == http.MethodPost {
					posts++
				}
			}
			if posts != 1 {
				t.Errorf("the create was sent %d times, want once", posts)
			}
			found(t, s.must(t, conn, tc.lookup, tc.key))
		})
	}
}

// The Heartland connector's default rate fits the sandbox's suggested budget
// of 5 requests per second: concurrent calls are spaced out client-side and
// the sandbox throttles none of them.
func TestHeartlandDefaultRateFitsSandboxBudget(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, sandbox.Options{Heartland: hlsimOptions(fault.Config{RateLimitRPS: 5})})
	delete(s.hl.Config, "rate_limit_per_second")
	const calls = 10
	errs := make(chan error, calls)
	for i := range calls {
		go func() {
			_, err := s.invoke(t, s.hl, "get_item", jsonf(`{"id":%d}`, 100501+i))
			errs <- err
		}()
	}
	for range calls {
		if err := <-errs; err != nil {
			t.Errorf("call: %v", err)
		}
	}
	for _, e := range requestLog(s.Heartland) {
		if e.Status != http.StatusOK {
			t.Errorf("%s answered %d (%s): the default rate overran the budget", e.Path, e.Status, e.Fault)
		}
	}
}

func hlsimOptions(f fault.Config) hlsim.Options { return hlsim.Options{Faults: f} }
