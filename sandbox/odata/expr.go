package odata

import (
	"fmt"
	"strings"
	"time"
)

// node is a parsed $filter expression.
type node interface {
	eval(row Row, ci bool) any
}

type lit struct{ v any }
type field struct{ name string }
type not struct{ x node }
type binary struct {
	op   string
	l, r node
}
type call struct {
	fn   string
	args []node
}

func (n lit) eval(Row, bool) any         { return n.v }
func (n field) eval(row Row, _ bool) any { return row[n.name] }
func (n not) eval(row Row, ci bool) any  { b, _ := n.x.eval(row, ci).(bool); return !b }

func (n binary) eval(row Row, ci bool) any {
	switch n.op {
	case "and":
		l, _ := n.l.eval(row, ci).(bool)
		if !l {
			return false
		}
		r, _ := n.r.eval(row, ci).(bool)
		return r
	case "or":
		l, _ := n.l.eval(row, ci).(bool)
		if l {
			return true
		}
		r, _ := n.r.eval(row, ci).(bool)
		return r
	}
	a, b := n.l.eval(row, ci), n.r.eval(row, ci)
	if a == nil || b == nil {
		switch n.op {
		case "eq":
			return a == nil && b == nil
		case "ne":
			return (a == nil) != (b == nil)
		}
		return false
	}
	c, ok := Compare(a, b, ci)
	switch n.op {
	case "eq":
		return ok && c == 0
	case "ne":
		return !ok || c != 0
	case "gt":
		return ok && c > 0
	case "ge":
		return ok && c >= 0
	case "lt":
		return ok && c < 0
	case "le":
		return ok && c <= 0
	}
	return false
}

func (n call) eval(row Row, ci bool) any {
	vals := make([]any, len(n.args))
	for i, a := range n.args {
		vals[i] = a.eval(row, ci)
	}
	str := func(i int) string {
		s, _ := vals[i].(string)
		if ci {
			return strings.ToLower(s)
		}
		return s
	}
	switch n.fn {
	case "contains":
		return strings.Contains(str(0), str(1))
	case "substringof":
		return strings.Contains(str(1), str(0))
	case "startswith":
		return strings.HasPrefix(str(0), str(1))
	case "endswith":
		return strings.HasSuffix(str(0), str(1))
	case "tolower":
		s, _ := vals[0].(string)
		return strings.ToLower(s)
	case "toupper":
		s, _ := vals[0].(string)
		return strings.ToUpper(s)
	case "trim":
		s, _ := vals[0].(string)
		return strings.TrimSpace(s)
	case "length":
		s, _ := vals[0].(string)
		return float64(len([]rune(s)))
	}
	return nil
}

// functions maps supported function names to their argument counts.
var functions = map[string]int{"contains": 2, "substringof": 2, "startswith": 2, "endswith": 2,
	"tolower": 1, "toupper": 1, "trim": 1, "length": 1}

var comparisons = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true}

// Filter is a compiled $filter expression.
type Filter struct {
	root node
	ci   bool
}

// Match reports whether row passes the filter.
func (f *Filter) Match(row Row) bool {
	if f == nil {
		return true
	}
	b, _ := f.root.eval(row, f.ci).(bool)
	return b
}

// ParseFilter compiles a $filter expression. known reports whether a field
// exists; caseInsensitive makes string comparisons ignore case, as on a SQL
// Server database with the default collation.
func ParseFilter(s string, known func(string) bool, caseInsensitive bool) (*Filter, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, known: known}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, errorf("$filter", "unexpected %s at position %d", describe(t), t.pos)
	}
	return &Filter{root: root, ci: caseInsensitive}, nil
}

type parser struct {
	toks  []token
	i     int
	known func(string) bool
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) keyword(word string) bool {
	if t := p.peek(); t.kind == tIdent && t.text == word {
		p.i++
		return true
	}
	return false
}

func (p *parser) punct(s string) bool {
	if t := p.peek(); t.kind == tPunct && t.text == s {
		p.i++
		return true
	}
	return false
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.keyword("or") {
		var r node
		if r, err = p.and(); err == nil {
			l = binary{op: "or", l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	for err == nil && p.keyword("and") {
		var r node
		if r, err = p.unary(); err == nil {
			l = binary{op: "and", l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) unary() (node, error) {
	if p.keyword("not") {
		x, err := p.unary()
		return not{x: x}, err
	}
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tIdent && comparisons[t.text] {
		p.i++
		r, err := p.primary()
		if err != nil {
			return nil, err
		}
		return binary{op: t.text, l: l, r: r}, nil
	}
	return l, nil
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tString, tNumber:
		return lit{v: t.val}, nil
	case tDate:
		return lit{v: t.val.(time.Time)}, nil
	case tPunct:
		if t.text == "(" {
			x, err := p.or()
			if err != nil {
				return nil, err
			}
			if !p.punct(")") {
				return nil, errorf("$filter", "missing ')' at position %d", p.peek().pos)
			}
			return x, nil
		}
	case tIdent:
		switch t.text {
		case "true":
			return lit{v: true}, nil
		case "false":
			return lit{v: false}, nil
		case "null":
			return lit{v: nil}, nil
		}
		if p.punct("(") {
			return p.call(t)
		}
		if !p.known(t.text) {
			return nil, errorf("$filter", "Could not find a property named '%s'", t.text)
		}
		return field{name: t.text}, nil
	}
	return nil, errorf("$filter", "unexpected %s at position %d", describe(t), t.pos)
}

func (p *parser) call(name token) (node, error) {
	arity, ok := functions[name.text]
	if !ok {
		return nil, errorf("$filter", "unknown function '%s'", name.text)
	}
	var args []node
	for !p.punct(")") {
		if len(args) > 0 && !p.punct(",") {
			return nil, errorf("$filter", "expected ',' or ')' at position %d", p.peek().pos)
		}
		a, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	if len(args) != arity {
		return nil, errorf("$filter", "function '%s' takes %d arguments, got %d", name.text, arity, len(args))
	}
	return call{fn: name.text, args: args}, nil
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tIdent, tPunct:
		return fmt.Sprintf("'%s'", t.text)
	}
	return fmt.Sprintf("literal %v", t.val)
}

// Compare orders a against b: numbers by value, timestamps (time.Time or
// date strings) in time order, strings as text (ignoring case when ci),
// booleans false < true. It reports false when the kinds cannot be compared.
func Compare(a, b any, ci bool) (int, bool) {
	if x, ok := num(a); ok {
		if y, ok := num(b); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
		return 0, false
	}
	_, aTime := a.(time.Time)
	_, bTime := b.(time.Time)
	if aTime || bTime {
		x, okA := asTime(a)
		y, okB := asTime(b)
		return x.Compare(y), okA && okB
	}
	if x, ok := a.(string); ok {
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		if ci {
			x, y = strings.ToLower(x), strings.ToLower(y)
		}
		return strings.Compare(x, y), true
	}
	if x, ok := a.(bool); ok {
		y, ok := b.(bool)
		switch {
		case !ok:
			return 0, false
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	}
	return 0, false
}

func num(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	}
	return 0, false
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case string:
		p, err := parseTime(t)
		return p, err == nil
	}
	return time.Time{}, false
}
