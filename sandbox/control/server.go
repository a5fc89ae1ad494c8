// Package control wires the parts every sandbox server shares: the request
// log and fault injection in front of the simulated API, and the test-control
// endpoints under /_sandbox/.
package control

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/reqlog"
)

// Prefix is the path prefix of the control endpoints.
const Prefix = "/_sandbox/"

// TokenHeader carries the control token when one is configured.
const TokenHeader = "X-Sandbox-Token"

// Parts are the shared pieces a sandbox server hands to New.
type Parts struct {
	Faults     *fault.Injector
	Log        *reqlog.Log
	Deliveries *delivery.Queue
	// Reset restores the seed state (and clears faults, log and deliveries).
	Reset func()
	// Token, when not empty, must be sent in X-Sandbox-Token on control calls.
	Token string
	// Initial is the fault set at start and after Clear.
	Initial fault.Config
}

// Server routes control calls to its own mux and everything else through
// log, faults and then the API handler.
type Server struct {
	parts Parts
	mux   *http.ServeMux
	api   http.Handler
}

// New returns a server in front of api.
func New(p Parts, api http.Handler) *Server {
	s := &Server{parts: p, mux: http.NewServeMux(), api: p.Log.Middleware(p.Faults.Middleware(api))}
	p.Faults.Set(p.Initial) // an invalid initial set leaves no faults; sandbox.Start validates it
	s.Handle("GET /_sandbox/faults", s.getFaults)
	s.Handle("PUT /_sandbox/faults", s.putFaults)
	s.Handle("DELETE /_sandbox/faults", s.deleteFaults)
	s.Handle("GET /_sandbox/requests", s.getRequests)
	s.Handle("DELETE /_sandbox/requests", s.deleteRequests)
	s.Handle("POST /_sandbox/reset", s.reset)
	s.Handle("GET /_sandbox/deliveries", s.getDeliveries)
	s.Handle("POST /_sandbox/deliveries/wait", s.waitDeliveries)
	return s
}

// Handle registers an extra control route (pattern as for http.ServeMux).
func (s *Server) Handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// Faults returns the fault injector.
func (s *Server) Faults() *fault.Injector { return s.parts.Faults }

// Requests returns the request log.
func (s *Server) Requests() *reqlog.Log { return s.parts.Log }

// Deliveries returns the outbound delivery queue (Wait blocks until idle).
func (s *Server) Deliveries() *delivery.Queue { return s.parts.Deliveries }

// Clear restores the initial faults and removes every logged request and
// finished delivery.
func (s *Server) Clear() {
	s.parts.Faults.Set(s.parts.Initial)
	s.parts.Log.Clear()
	s.parts.Deliveries.Clear()
}

// Close stops outbound delivery.
func (s *Server) Close() { s.parts.Deliveries.Close() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, Prefix) {
		s.api.ServeHTTP(w, r)
		return
	}
	if s.parts.Token != "" && r.Header.Get(TokenHeader) != s.parts.Token {
		WriteError(w, http.StatusUnauthorized, "missing or wrong "+TokenHeader)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) getFaults(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, s.parts.Faults.Get())
}

func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	var c fault.Config
	if !ReadJSON(w, r, &c) {
		return
	}
	if err := s.parts.Faults.Set(c); err != nil {
		WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	WriteJSON(w, http.StatusOK, s.parts.Faults.Get())
}

func (s *Server) deleteFaults(w http.ResponseWriter, _ *http.Request) {
	s.parts.Faults.Clear()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getRequests(w http.ResponseWriter, r *http.Request) {
	var since int64
	if v := r.URL.Query().Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			WriteError(w, http.StatusBadRequest, fmt.Sprintf("since: %q is not an integer", v))
			return
		}
		since = n
	}
	WriteJSON(w, http.StatusOK, map[string]any{"last_id": s.parts.Log.LastID(), "requests": s.parts.Log.Since(since)})
}

func (s *Server) deleteRequests(w http.ResponseWriter, _ *http.Request) {
	s.parts.Log.Clear()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) reset(w http.ResponseWriter, _ *http.Request) {
	s.parts.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getDeliveries(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]any{"deliveries": s.parts.Deliveries.Records()})
}

func (s *Server) waitDeliveries(w http.ResponseWriter, r *http.Request) {
	timeout := 10 * time.Second
	if v := r.URL.Query().Get("timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			WriteError(w, http.StatusBadRequest, fmt.Sprintf("timeout: %q is not a duration such as 5s", v))
			return
		}
		timeout = d
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	if err := s.parts.Deliveries.Wait(ctx); err != nil {
		WriteError(w, http.StatusGatewayTimeout, err.Error())
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"deliveries": s.parts.Deliveries.Records()})
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// WriteError writes the control endpoints' error body {"error": message}.
func WriteError(w http.ResponseWriter, status int, message string) {
	WriteJSON(w, status, map[string]string{"error": message})
}

// ReadJSON decodes the request body into v, answering 400 and returning
// false when it is not valid JSON for v.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 10<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		WriteError(w, http.StatusBadRequest, "request body: "+err.Error())
		return false
	}
	return true
}
