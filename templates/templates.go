// Package templates holds the ready-made Heartland ↔ Epicor integrations
// (the template gallery): each template is a folder with its metadata
// (template.json), one or more flow documents with {{params.NAME}} and
// {{connections.NAME}} placeholders, sample events and expected results. The
// folders are embedded in the binary; Render turns a template plus the
// installer's parameters and connection ids into flow documents.
package templates

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:embed */template.json */*.flow.json */samples */expected
var files embed.FS

// Template is one gallery entry.
type Template struct {
	Slug        string       `json:"slug"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Category    string       `json:"category"`
	Connections []Connection `json:"connections"`
	Parameters  []Param      `json:"parameters"`
	Flows       []FlowSpec   `json:"flows"`
	// Assumptions lists what the template takes for granted about the
	// systems' data.
	Assumptions []string `json:"assumptions,omitempty"`

	docs map[string][]byte // flow documents by file name
	fsys fs.FS
	dir  string
}

// Connection is a connection a template needs, referenced in flows as
// {{connections.NAME}}.
type Connection struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// FlowSpec is one flow of a template.
type FlowSpec struct {
	// File is the flow document inside the template's folder.
	File        string `json:"file"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Wiring      Wiring `json:"wiring"`
}

// Wiring says what must call the flow's trigger.
type Wiring struct {
	// HeartlandEvents are the Heartland webhook events to subscribe the
	// flow's hook URL to.
	HeartlandEvents []string `json:"heartland_events,omitempty"`
	// EpicorEvents are the Epicor notifications (BPM calls) to send to the
	// flow's hook URL; the flow ignores other events.
	EpicorEvents []string `json:"epicor_events,omitempty"`
	// Schedule describes a scheduled trigger, for people reading the gallery.
	Schedule string `json:"schedule,omitempty"`
}

var (
	loadOnce sync.Once
	all      []*Template
	loadErr  error
)

// All returns every embedded template, ordered by slug. It panics when an
// embedded template is invalid, which the package's tests rule out.
func All() []*Template {
	loadOnce.Do(func() { all, loadErr = Load(files) })
	if loadErr != nil {
		panic(loadErr)
	}
	return all
}

// Get returns the template with a slug, or nil.
func Get(slug string) *Template {
	for _, t := range All() {
		if t.Slug == slug {
			return t
		}
	}
	return nil
}

// Load reads and validates every template folder of fsys.
func Load(fsys fs.FS) ([]*Template, error) {
	metas, err := fs.Glob(fsys, "*/template.json")
	if err != nil {
		return nil, err
	}
	var out []*Template
	var errs []error
	for _, m := range metas {
		t, err := loadOne(fsys, path.Dir(m))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, t)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Template) int { return strings.Compare(a.Slug, b.Slug) })
	return out, nil
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func loadOne(fsys fs.FS, dir string) (*Template, error) {
	raw, err := fs.ReadFile(fsys, dir+"/template.json")
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", dir, err)
	}
	t := &Template{}
	if err := decodeStrict(raw, t); err != nil {
		return nil, fmt.Errorf("template %s: template.json: %w", dir, err)
	}
	if err := t.validate(dir); err != nil {
		return nil, fmt.Errorf("template %s: %w", dir, err)
	}
	t.docs = map[string][]byte{}
	for _, f := range t.Flows {
		doc, err := fs.ReadFile(fsys, dir+"/"+f.File)
		if err != nil {
			return nil, fmt.Errorf("template %s: flow %q: %w", dir, f.Name, err)
		}
		if err := t.checkPlaceholders(doc); err != nil {
			return nil, fmt.Errorf("template %s: %s: %w", dir, f.File, err)
		}
		t.docs[f.File] = doc
	}
	t.fsys, t.dir = fsys, dir
	return t, nil
}

func (t *Template) validate(dir string) error {
	var errs []error
	if t.Slug != dir || !slugPattern.MatchString(t.Slug) {
		errs = append(errs, fmt.Errorf("slug %q must equal the folder name and be lower-case words joined by hyphens", t.Slug))
	}
	if t.Name == "" || t.Description == "" || t.Category == "" {
		errs = append(errs, errors.New("name, description and category are required"))
	}
	if len(t.Flows) == 0 {
		errs = append(errs, errors.New("at least one flow is required"))
	}
	names := map[string]bool{}
	for _, c := range t.Connections {
		if c.Name == "" || c.Type == "" || names["c:"+c.Name] {
			errs = append(errs, fmt.Errorf("connection %q: name and type are required and names must be unique", c.Name))
		}
		names["c:"+c.Name] = true
	}
	for _, p := range t.Parameters {
		if names["p:"+p.Name] {
			errs = append(errs, fmt.Errorf("parameter %q is declared twice", p.Name))
		}
		names["p:"+p.Name] = true
		if err := p.validateSpec(); err != nil {
			errs = append(errs, err)
		}
	}
	for _, f := range t.Flows {
		if f.File == "" || f.Name == "" || names["f:"+f.Name] {
			errs = append(errs, fmt.Errorf("flow %q: file and a unique name are required", f.Name))
		}
		names["f:"+f.Name] = true
	}
	return errors.Join(errs...)
}

// Connection returns the declared connection with a name, or nil.
func (t *Template) Connection(name string) *Connection {
	for i := range t.Connections {
		if t.Connections[i].Name == name {
			return &t.Connections[i]
		}
	}
	return nil
}

// Param returns the declared parameter with a name, or nil.
func (t *Template) Param(name string) *Param {
	for i := range t.Parameters {
		if t.Parameters[i].Name == name {
			return &t.Parameters[i]
		}
	}
	return nil
}

// Samples returns the template's sample events by file name.
func (t *Template) Samples() (map[string]json.RawMessage, error) { return t.jsonFiles("samples") }

// Expected returns the template's expected results by file name.
func (t *Template) Expected() (map[string]json.RawMessage, error) { return t.jsonFiles("expected") }

func (t *Template) jsonFiles(sub string) (map[string]json.RawMessage, error) {
	names, err := fs.Glob(t.fsys, t.dir+"/"+sub+"/*.json")
	if err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for _, n := range names {
		b, err := fs.ReadFile(t.fsys, n)
		if err != nil {
			return nil, err
		}
		if !json.Valid(b) {
			return nil, fmt.Errorf("template %s: %s is not valid JSON", t.Slug, n)
		}
		out[path.Base(n)] = b
	}
	return out, nil
}

func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
