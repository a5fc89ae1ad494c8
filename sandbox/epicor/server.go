// Package epicor simulates the Epicor Kinetic REST API (OData v4 under
// /{instance}/api/v2/odata/{company}/..., with a v1 form) over net/http:
// API key plus Basic or token auth, Epicor error bodies, validation,
// make-to-order jobs and outbound BPM-style notifications, with test
// controls under /_sandbox/.
package epicor

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bridgework/bridgework/sandbox/control"
	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/odata"
	"github.com/bridgework/bridgework/sandbox/reqlog"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// Defaults of Options.
const (
	DefaultInstance = "kinetic"
	DefaultAPIKey   = "sandbox-api-key"
	DefaultUsername = "manager"
	DefaultPassword = "manager"
)

// Options configure a Server. Zero values take the documented defaults.
type Options struct {
	// Seed selects the generated data when Data is nil (default 1).
	Seed int64
	// Data replaces the generated data (for example from a --data file).
	Data *seed.Dataset
	// Instance is the first path segment (default "kinetic", matched
	// case-insensitively like an IIS application path).
	Instance string
	// APIKey is required in x-api-key (or ?api-key=) on v2 calls.
	APIKey string
	// Username and Password are accepted by Basic auth and the token endpoint.
	Username, Password string
	// TokenTTL is the lifetime of tokens from TokenResource.svc (default 1h).
	TokenTTL time.Duration
	// ControlToken, when set, is required in X-Sandbox-Token on /_sandbox/ calls.
	ControlToken string
	// Faults are in force from the start and again after Reset (for
	// example a rate limit); an invalid set is ignored.
	Faults fault.Config
	// NotifyURLs receive BPM-style change notifications.
	NotifyURLs []string
	// AllowUnknownParts accepts order lines whose PartNum is not in the part
	// master (as plain OData writes may); by default they are rejected.
	AllowUnknownParts bool
	// DuplicateStatus is the status of duplicate-key errors (default 409).
	DuplicateStatus int
	// CaseSensitiveFilters makes $filter string comparisons exact; by default
	// they ignore case like SQL Server's default collation.
	CaseSensitiveFilters bool
	// MaxRows caps a collection read without $top (default 100; -1 no cap).
	MaxRows int
	// Delivery tunes notification delivery (attempts, backoff, timeout).
	Delivery delivery.Options
	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// Logger receives warnings (default discard).
	Logger *slog.Logger
}

// Server is the simulated Epicor Kinetic server with one company.
type Server struct {
	// Server serves the API behind the shared controls and provides
	// Faults, Requests, Deliveries, Clear and Close.
	*control.Server
	opts   Options
	data   *seed.Dataset
	schema *schema
	mu     sync.RWMutex
	st     *state
	tokens map[string]time.Time
	notify []string
	corr   int64
}

// New returns a server loaded with the seed data.
func New(opts Options) *Server {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Instance == "" {
		opts.Instance = DefaultInstance
	}
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.Username == "" {
		opts.Username, opts.Password = DefaultUsername, DefaultPassword
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.DuplicateStatus == 0 {
		opts.DuplicateStatus = http.StatusConflict
	}
	if opts.MaxRows == 0 {
		opts.MaxRows = 100
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
	s := &Server{opts: opts, data: opts.Data, schema: buildSchema(), tokens: map[string]time.Time{},
		notify: append([]string(nil), opts.NotifyURLs...)}
	if s.data == nil {
		s.data = seed.Generate(opts.Seed)
	}
	if s.data.Epicor.Company == "" || s.data.Epicor.Plant == "" {
		d := *s.data
		d.Epicor.Company = cmp.Or(d.Epicor.Company, seed.Company)
		d.Epicor.Plant = cmp.Or(d.Epicor.Plant, seed.Plant)
		s.data = &d
	}
	faults := fault.New(uint64(opts.Seed), func(w http.ResponseWriter, _ *http.Request, status int, msg string) {
		s.writeError(w, &apiError{status: status, typ: typeAPI, msg: msg})
	})
	s.st = newState(s.schema, &s.data.Epicor, opts.Clock)
	s.Server = control.New(control.Parts{Faults: faults, Log: reqlog.New(0), Deliveries: delivery.New(opts.Delivery),
		Reset: s.Reset, Token: opts.ControlToken, Initial: opts.Faults}, http.HandlerFunc(s.serveAPI))
	s.controlRoutes()
	return s
}

// Reset restores the seed state and clears faults, the request log,
// finished deliveries and issued tokens. Notification URLs go back to
// Options.NotifyURLs.
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = newState(s.schema, &s.data.Epicor, s.opts.Clock)
	s.tokens = map[string]time.Time{}
	s.notify = append([]string(nil), s.opts.NotifyURLs...)
	s.mu.Unlock()
	s.Clear()
}

// Data returns the seed dataset the server was loaded with.
func (s *Server) Data() *seed.Dataset { return s.data }

// Company returns the company id used in URLs and keys.
func (s *Server) Company() string { return s.data.Epicor.Company }

// SetNotifyURLs replaces the notification targets.
func (s *Server) SetNotifyURLs(urls []string) {
	s.mu.Lock()
	s.notify = append([]string(nil), urls...)
	s.mu.Unlock()
}

// OnHand returns PartWhse.OnHandQty of a part in a warehouse.
func (s *Server) OnHand(partNum, warehouse string) float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if pw := s.st.partWhse(partNum, warehouse, false); pw != nil {
		return pw["OnHandQty"].(float64)
	}
	return 0
}

// Rows returns copies of the rows of an entity set (such as "JobEntries")
// that match every field in where (nil for all).
func (s *Server) Rows(set string, where map[string]any) []odata.Row {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.st.tables[set]
	if !ok {
		return nil
	}
	var out []odata.Row
	for _, r := range t.where(where) {
		out = append(out, copyRow(r))
	}
	return out
}

// apiError is an error answer in the Epicor shape.
type apiError struct {
	status int
	typ    string
	msg    string
	table  string
	field  string
	method string
	prog   string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.typ, e.msg) }

// Error types used in answers.
const (
	typeBusiness  = "Ice.Common.BusinessObjectException"
	typeAPI       = "Epicor.RESTApi.ErrorHandling.ApiException"
	typeOData     = "ODataException"
	typeAuth      = "UnauthorizedAccessException"
	typeNotFound  = "RecordNotFoundException"
	typeDuplicate = "DuplicateRecordException"
)

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	s.mu.Lock()
	s.corr++
	corr := fmt.Sprintf("%08x-5a4d-4000-8000-%012x", s.corr, s.corr)
	s.mu.Unlock()
	control.WriteJSON(w, e.status, map[string]any{
		"HttpStatus": e.status, "ReasonPhrase": "REST API Exception", "ErrorMessage": e.msg, "ErrorType": e.typ,
		"ErrorDetails": []map[string]any{{"Message": e.msg, "Type": "Error", "Table": e.table, "Field": e.field,
			"Program": e.prog, "Method": e.method}},
		"CorrelationId": corr,
	})
}

// authenticate checks the API key (v2 only) and the user (Basic or a token).
func (s *Server) authenticate(r *http.Request, v2 bool) *apiError {
	deny := func(msg string) *apiError { return &apiError{status: http.StatusUnauthorized, typ: typeAuth, msg: msg} }
	if v2 {
		key := r.Header.Get("X-Api-Key")
		if key == "" {
			key = r.URL.Query().Get("api-key")
		}
		if key == "" {
			return deny("An API Key is required to access this resource.")
		}
		if key != s.opts.APIKey {
			return deny("The API Key is invalid.")
		}
	}
	auth := r.Header.Get("Authorization")
	if user, pass, ok := r.BasicAuth(); ok {
		if user == s.opts.Username && pass == s.opts.Password {
			return nil
		}
		return deny("Incorrect username or password.")
	}
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok {
		s.mu.RLock()
		exp, found := s.tokens[token]
		s.mu.RUnlock()
		if found && s.opts.Clock().Before(exp) {
			return nil
		}
		return deny("The access token is invalid or has expired.")
	}
	return deny("Authorization is required: send Basic credentials or a Bearer token.")
}

// token answers TokenResource.svc: credentials come from username/password
// headers or a grant_type=password form body.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	user, pass := r.Header.Get("username"), r.Header.Get("password")
	if user == "" {
		if err := r.ParseForm(); err == nil {
			user, pass = r.PostForm.Get("username"), r.PostForm.Get("password")
		}
	}
	if user != s.opts.Username || pass != s.opts.Password {
		s.writeError(w, &apiError{status: http.StatusUnauthorized, typ: typeAuth, msg: "Incorrect username or password."})
		return
	}
	b := make([]byte, 24)
	rand.Read(b)
	tok := hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = s.opts.Clock().Add(s.opts.TokenTTL)
	s.mu.Unlock()
	ttl := int(s.opts.TokenTTL.Seconds())
	if strings.Contains(r.Header.Get("Accept"), "json") {
		control.WriteJSON(w, http.StatusOK, map[string]any{"AccessToken": tok, "ExpiresIn": ttl, "TokenType": "Bearer"})
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	fmt.Fprintf(w, "<Token><AccessToken>%s</AccessToken><ExpiresIn>%d</ExpiresIn><TokenType>Bearer</TokenType></Token>", tok, ttl)
}
