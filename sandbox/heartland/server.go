// Package heartland simulates the Heartland Retail REST API (bearer tokens,
// {total,pages,results} collections, _filter, 201 + Location on create,
// webhooks) over net/http, with test controls under /_sandbox/.
package heartland

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bridgework/bridgework/sandbox/control"
	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/reqlog"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// DefaultToken is the API token accepted when Options.Tokens is empty.
const DefaultToken = "sandbox-token"

// Options configure a Server. Zero values take the documented defaults.
type Options struct {
	// Seed selects the generated data when Data is nil (default 1).
	Seed int64
	// Data replaces the generated data (for example from a --data file).
	Data *seed.Dataset
	// Tokens are the accepted bearer tokens (default [DefaultToken]).
	Tokens []string
	// ControlToken, when set, is required in X-Sandbox-Token on /_sandbox/ calls.
	ControlToken string
	// Faults are in force from the start and again after Reset (for
	// example a rate limit); an invalid set is ignored.
	Faults fault.Config
	// ValidationStatus is the status of validation_error answers (default 400).
	ValidationStatus int
	// MaxPerPage caps per_page (default 5000).
	MaxPerPage int
	// CreateBody makes create calls return the new resource as the body;
	// by default the body is empty, as in the real API (webhooks always
	// return their body).
	CreateBody bool
	// Delivery tunes webhook delivery (attempts, backoff, timeout).
	Delivery delivery.Options
	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// Logger receives warnings (default discard).
	Logger *slog.Logger
}

// Server is the simulated Heartland Retail account.
type Server struct {
	// Server serves the API behind the shared controls and provides
	// Faults, Requests, Deliveries, Clear and Close.
	*control.Server
	opts Options
	data *seed.Dataset
	mu   sync.RWMutex
	st   *state
}

// New returns a server loaded with the seed data.
func New(opts Options) *Server {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{DefaultToken}
	}
	if opts.ValidationStatus == 0 {
		opts.ValidationStatus = http.StatusBadRequest
	}
	if opts.MaxPerPage <= 0 {
		opts.MaxPerPage = 5000
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Delivery.Logger == nil {
		opts.Delivery.Logger = opts.Logger
	}
	s := &Server{opts: opts, data: opts.Data}
	if s.data == nil {
		s.data = seed.Generate(opts.Seed)
	}
	faults := fault.New(uint64(opts.Seed), func(w http.ResponseWriter, _ *http.Request, status int, msg string) {
		writeError(w, status, codeFor(status), msg, nil)
	})
	s.st = newState(s.data, s.now)
	s.Server = control.New(control.Parts{Faults: faults, Log: reqlog.New(0), Deliveries: delivery.New(opts.Delivery),
		Reset: s.Reset, Token: opts.ControlToken, Initial: opts.Faults}, s.routes())
	s.controlRoutes()
	return s
}

// Reset restores the seed state and clears faults, the request log and
// finished deliveries. Webhook subscriptions are removed too.
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = newState(s.data, s.now)
	s.mu.Unlock()
	s.Clear()
}

// Data returns the seed dataset the server was loaded with.
func (s *Server) Data() *seed.Dataset { return s.data }

// OnHand returns the on-hand quantity of an item at a location.
func (s *Server) OnHand(itemID, locationID int64) float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.stock(itemID, locationID).onHand
}

func (s *Server) now() time.Time { return s.opts.Clock() }

func (s *Server) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	for _, t := range s.opts.Tokens {
		if token == t {
			return true
		}
	}
	return false
}

// api wraps a handler with bearer-token authentication.
func (s *Server) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="Heartland Retail"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "Invalid or missing API token", nil)
			return
		}
		h(w, r)
	}
}

// apiError is an error answer in the Heartland shape.
type apiError struct {
	status  int
	code    string
	message string
	details map[string][]string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

func notFound(kind string, id any) *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", message: fmt.Sprintf("%s %v not found", kind, id)}
}

// validation collects field errors for one request.
type validation map[string][]string

func (v validation) add(field, msg string) { v[field] = append(v[field], msg) }

func (s *Server) invalid(v validation) error {
	if len(v) == 0 {
		return nil
	}
	return &apiError{status: s.opts.ValidationStatus, code: "validation_error", message: "Validation failed", details: v}
}

func codeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusUnprocessableEntity:
		return "validation_error"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusServiceUnavailable:
		return "service_unavailable"
	}
	if status < 500 {
		return "invalid_request"
	}
	return "server_error"
}

func writeError(w http.ResponseWriter, status int, code, msg string, details map[string][]string) {
	body := map[string]any{"error": code, "message": msg}
	if details != nil {
		body["details"] = details
	}
	control.WriteJSON(w, status, body)
}

// fail writes err as an API error answer.
func fail(w http.ResponseWriter, err error) {
	var ae *apiError
	var br badRequest
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.code, ae.message, ae.details)
	case errors.As(err, &br):
		writeError(w, http.StatusBadRequest, "invalid_request", br.Error(), nil)
	default:
		writeError(w, http.StatusInternalServerError, "server_error", err.Error(), nil)
	}
}

// readBody decodes a JSON object body.
func readBody(r *http.Request) (record, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return nil, badRequest("request body: " + err.Error())
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return record{}, nil
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, badRequest("request body is not a JSON object: " + err.Error())
	}
	return record(normalize(m).(map[string]any)), nil
}

func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, &apiError{status: http.StatusNotFound, code: "not_found", message: fmt.Sprintf("%q is not a valid id", v)}
	}
	return n, nil
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// created answers 201 with the Location of the new resource.
func (s *Server) created(w http.ResponseWriter, r *http.Request, path string, body any, withBody bool) {
	w.Header().Set("Location", baseURL(r)+"/api/"+path)
	if withBody || s.opts.CreateBody {
		control.WriteJSON(w, http.StatusCreated, body)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// list answers a collection request over rows of t.
func (s *Server) list(w http.ResponseWriter, r *http.Request, t *table, rows []record, include func(record, []string) record) {
	q, err := parseQuery(r.URL.Query(), t, s.opts.MaxPerPage)
	if err != nil {
		fail(w, err)
		return
	}
	control.WriteJSON(w, http.StatusOK, s.page(q, t, rows, include))
}

func (s *Server) page(q *query, t *table, rows []record, include func(record, []string) record) map[string]any {
	kept := rows[:0:0]
	for _, row := range rows {
		if allOf(q.filters)(row) && (q.text == "" || matchesText(row, q.text, t.textFields)) {
			kept = append(kept, row)
		}
	}
	sortRecords(kept, q.sort)
	total := len(kept)
	per := q.perPage
	if per == 0 {
		per = max(total, 1)
	}
	pages := (total + per - 1) / per
	start := min((q.page-1)*per, total)
	end := min(start+per, total)
	results := make([]record, 0, end-start)
	for _, row := range kept[start:end] {
		if include != nil && len(q.includes) > 0 {
			row = include(row.clone(), q.includes)
		}
		results = append(results, project(row, q.only))
	}
	return map[string]any{"total": total, "pages": pages, "results": results}
}

// one answers a single-resource GET, honouring _include[] and _only[].
func one(w http.ResponseWriter, r *http.Request, row record, include func(record, []string) record) {
	v := r.URL.Query()
	if include != nil && len(v["_include[]"]) > 0 {
		row = include(row.clone(), v["_include[]"])
	}
	control.WriteJSON(w, http.StatusOK, project(row, v["_only[]"]))
}
