package heartland

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/bridgework/bridgework/sandbox/control"
)

// kind is the JSON type a writable field accepts.
type kind int

const (
	kString kind = iota
	kNumber
	kInt
	kBool
)

// spec lists the writable fields of a resource and their types.
type spec map[string]kind

// assign copies the writable fields of body onto dst, collecting type errors
// in v. custom@key fields and a whole custom object are merged into custom;
// unknown fields are ignored.
func assign(dst, body record, sp spec, v validation) {
	custom, _ := dst["custom"].(map[string]any)
	if custom == nil {
		custom = map[string]any{}
	}
	merged := map[string]any{}
	if c, ok := body["custom"].(map[string]any); ok {
		for k, x := range c {
			merged[k] = x
		}
	}
	for key, val := range body {
		if ck, ok := strings.CutPrefix(key, "custom@"); ok {
			merged[ck] = val
			continue
		}
		k, ok := sp[key]
		if !ok {
			continue
		}
		if val == nil {
			dst[key] = nil
			continue
		}
		switch k {
		case kString:
			if _, ok := val.(string); !ok {
				v.add(key, "must be a string")
				continue
			}
		case kNumber:
			f, ok := number(val)
			if _, isStr := val.(string); !ok || isStr || math.IsInf(f, 0) {
				v.add(key, "must be a number")
				continue
			}
			val = f
		case kInt:
			n, ok := intOf(val)
			if _, isStr := val.(string); !ok || isStr {
				v.add(key, "must be an integer")
				continue
			}
			val = n
		case kBool:
			if _, ok := val.(bool); !ok {
				v.add(key, "must be true or false")
				continue
			}
		}
		dst[key] = val
	}
	if len(v) > 0 {
		return
	}
	for k, x := range merged {
		custom[k] = x
	}
	dst["custom"] = custom
}

// required adds "can't be blank" for each missing or blank field of r.
func required(r record, v validation, names ...string) {
	for _, n := range names {
		switch x := r[n].(type) {
		case nil:
			v.add(n, "can't be blank")
		case string:
			if strings.TrimSpace(x) == "" {
				v.add(n, "can't be blank")
			}
		}
	}
}

// exists adds an error when the id in r[field] is not a row of t.
func exists(r record, field string, t *table, v validation) {
	x, ok := r[field]
	if !ok || x == nil {
		return
	}
	id, ok := intOf(x)
	if _, found := t.find(id); !ok || !found {
		v.add(field, fmt.Sprintf("%v does not exist", x))
	}
}

// tableOf picks one table of the current state.
type tableOf func(*state) *table

// includer adds related records requested with _include[].
type includer func(st *state, r record, names []string) record

// includeLinesOf adds _include[]=lines from a child table.
func includeLinesOf(lines tableOf, key string) includer {
	return func(st *state, r record, names []string) record {
		if slices.Contains(names, "lines") {
			r["lines"] = lines(st).childrenOf(key, r["id"])
		}
		return r
	}
}

func (s *Server) listOf(tbl tableOf, inc includer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		t := tbl(s.st)
		s.list(w, r, t, t.all(nil), s.bind(inc))
	}
}

func (s *Server) getOf(tbl tableOf, name string, inc includer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			fail(w, err)
			return
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		row, ok := tbl(s.st).find(id)
		if !ok {
			fail(w, notFound(name, id))
			return
		}
		one(w, r, row, s.bind(inc))
	}
}

// childrenOf lists the rows of a child table belonging to the parent {id}.
func (s *Server) childrenOf(parent tableOf, name string, child tableOf, key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			fail(w, err)
			return
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		if _, ok := parent(s.st).find(id); !ok {
			fail(w, notFound(name, id))
			return
		}
		t := child(s.st)
		s.list(w, r, t, t.all(func(row record) bool { return equal(row[key], id) }), nil)
	}
}

func (s *Server) bind(inc includer) func(record, []string) record {
	if inc == nil {
		return nil
	}
	return func(r record, names []string) record { return inc(s.st, r, names) }
}

// change runs fn under the write lock and delivers the events it raised
// after unlocking.
func (s *Server) change(fn func(st *state, ev *events) error) error {
	var ev events
	s.mu.Lock()
	err := fn(s.st, &ev)
	s.mu.Unlock()
	if err == nil {
		s.dispatch(ev)
	}
	return err
}

// writeOK answers status with a resource read under the read lock.
func (s *Server) writeOK(w http.ResponseWriter, status int, row record) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	control.WriteJSON(w, status, row)
}
