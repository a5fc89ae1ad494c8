package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// apiDoc is the served OpenAPI document.
type apiDoc struct {
	raw   map[string]any
	paths map[string]map[string]any // "/flows/{id}" → method → operation
}

// loadDoc fetches the document without going through h.do (which validates against it).
func (h *harness) loadDoc() *apiDoc {
	h.t.Helper()
	if h.doc != nil {
		return h.doc
	}
	res, err := h.srv.App().Test(httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	d := &apiDoc{paths: map[string]map[string]any{}}
	if err := json.NewDecoder(res.Body).Decode(&d.raw); err != nil {
		h.t.Fatalf("openapi.json: %v", err)
	}
	for p, item := range d.raw["paths"].(map[string]any) {
		d.paths[p] = item.(map[string]any)
	}
	h.doc = d
	return d
}

// route finds the documented path template matching a concrete path.
func (d *apiDoc) route(path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	best, bestLiterals := "", -1
	for tmpl := range d.paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		literals, ok := 0, true
		for i := range ts {
			switch {
			case strings.HasPrefix(ts[i], "{"):
			case ts[i] == segs[i]:
				literals++
			default:
				ok = false
			}
		}
		if ok && literals > bestLiterals {
			best, bestLiterals = tmpl, literals
		}
	}
	return best
}

// checkResponse validates a JSON answer against the documented schema of its
// route and status (the error shape for 4xx and 5xx).
func (h *harness) checkResponse(method, path string, res response) {
	h.t.Helper()
	if res.Raw == "" || res.Body == nil {
		return
	}
	d := h.loadDoc()
	tmpl := d.route(path)
	if tmpl == "" {
		return // unknown routes answer the error shape, checked by their tests
	}
	op, _ := d.paths[tmpl][strings.ToLower(method)].(map[string]any)
	if op == nil {
		return
	}
	var s any
	if r, ok := op["responses"].(map[string]any)[strconv.Itoa(res.Status)].(map[string]any); ok {
		s = r["content"].(map[string]any)["application/json"].(map[string]any)["schema"]
	} else if res.Status >= 400 {
		s = map[string]any{"$ref": "#/components/schemas/Error"}
	} else {
		h.t.Errorf("%s %s answered %d, which openapi.json does not document", method, path, res.Status)
		return
	}
	var body any
	json.Unmarshal([]byte(res.Raw), &body)
	if problems := validate(d.raw, body, s, "$"); len(problems) > 0 {
		h.t.Errorf("%s %s answered %d not matching openapi.json (%s): %s\n%s", method, path, res.Status, tmpl, strings.Join(problems, "; "), res.Raw)
	}
}

// validate checks v against the subset of JSON Schema the document uses:
// $ref, type (one or several), properties, required, items and
// additionalProperties.
func validate(root map[string]any, v any, s any, at string) []string {
	sm, _ := s.(map[string]any)
	if ref, ok := sm["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		return validate(root, v, root["components"].(map[string]any)["schemas"].(map[string]any)[name], at)
	}
	if t, ok := sm["type"]; ok && !typeMatches(t, v) {
		return []string{fmt.Sprintf("%s: %T does not match type %v", at, v, t)}
	}
	var out []string
	switch val := v.(type) {
	case map[string]any:
		for _, r := range asList(sm["required"]) {
			if _, ok := val[r.(string)]; !ok {
				out = append(out, fmt.Sprintf("%s: missing required %q", at, r))
			}
		}
		props, _ := sm["properties"].(map[string]any)
		for k, fv := range val {
			if ps, ok := props[k]; ok {
				out = append(out, validate(root, fv, ps, at+"."+k)...)
			} else if ap, ok := sm["additionalProperties"]; ok {
				out = append(out, validate(root, fv, ap, at+"."+k)...)
			} else if props != nil {
				out = append(out, fmt.Sprintf("%s: undocumented field %q", at, k))
			}
		}
	case []any:
		if items, ok := sm["items"]; ok {
			for i, e := range val {
				out = append(out, validate(root, e, items, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

func typeMatches(t any, v any) bool {
	types := asList(t)
	if s, ok := t.(string); ok {
		types = []any{s}
	}
	for _, want := range types {
		switch x := v.(type) {
		case nil:
			if want == "null" {
				return true
			}
		case string:
			if want == "string" {
				return true
			}
		case bool:
			if want == "boolean" {
				return true
			}
		case float64:
			if want == "number" || (want == "integer" && x == float64(int64(x))) {
				return true
			}
		case map[string]any:
			if want == "object" {
				return true
			}
		case []any:
			if want == "array" {
				return true
			}
		}
	}
	return false
}

// Every registered route is documented, every documented route exists, and
// every operation names the error shape.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	h := newHarness(t, "sqlite")
	d := h.loadDoc()
	if d.raw["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v", d.raw["openapi"])
	}
	documented := map[string]bool{}
	for p, item := range d.paths {
		for m, op := range item {
			documented[strings.ToUpper(m)+" "+p] = true
			if _, ok := op.(map[string]any)["responses"].(map[string]any)["default"]; !ok {
				t.Errorf("%s %s does not document the error shape", m, p)
			}
		}
	}
	var missing []string
	for _, rt := range h.registeredRoutes() {
		key := rt.Method + " " + openAPIPathForTest(rt.Path)
		if !documented[key] {
			missing = append(missing, key)
		}
		delete(documented, key)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s is not in openapi.json", m)
	}
	for extra := range documented {
		t.Errorf("openapi.json documents %s, which is not registered", extra)
	}
	var buf strings.Builder
	res, _ := h.srv.App().Test(httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	io.Copy(&buf, res.Body)
	if !strings.Contains(buf.String(), `"bearer"`) {
		t.Error("the document names no bearer security scheme")
	}
}

// The validator itself catches wrong shapes.
func TestResponseValidatorRejectsWrongShapes(t *testing.T) {
	root := map[string]any{"components": map[string]any{"schemas": map[string]any{}}}
	s := map[string]any{"type": "object", "required": []any{"id"}, "properties": map[string]any{
		"id": map[string]any{"type": "string"}, "n": map[string]any{"type": "integer"},
		"tags": map[string]any{"type": []any{"array", "null"}, "items": map[string]any{"type": "string"}},
	}}
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`{"id":"a","n":1,"tags":["x"]}`, true},
		{`{"id":"a","tags":null}`, true},
		{`{"n":1}`, false},
		{`{"id":1}`, false},
		{`{"id":"a","n":1.5}`, false},
		{`{"id":"a","tags":[1]}`, false},
		{`{"id":"a","extra":true}`, false},
	} {
		var v any
		json.Unmarshal([]byte(tc.body), &v)
		if got := validate(root, v, s, "$"); (len(got) == 0) != tc.ok {
			t.Errorf("%s: problems %v, want ok=%v", tc.body, got, tc.ok)
		}
	}
}

// openAPIPathForTest turns "/flows/:id" into "/flows/{id}".
func openAPIPathForTest(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}
