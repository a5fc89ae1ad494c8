package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultNodeTimeout bounds one step unless its config sets "timeout".
const DefaultNodeTimeout = 30 * time.Second

// MaxNodes is the largest number of nodes a flow may have.
const MaxNodes = 1000

// Plan is a compiled flow: nodes in topological order with their compiled
// instances, and the edges by port. A Plan is immutable and safe to execute
// concurrently; compile once per flow version (see PlanCache).
type Plan struct {
	settings    Settings
	nodes       map[string]*planNode
	order       []*planNode // every node, topological
	root        []*planNode // nodes run at the top level (outside foreach branches)
	trigger     *planNode
	businessKey *JQ
	warnings    []Problem
}

type planNode struct {
	id      string
	typ     string
	spec    NodeSpec
	node    Node
	timeout time.Duration
	ports   []string
	// sideEffects: the spec's flag, or the node's own answer (SideEffecter)
	sideEffects bool
	parents     []planEdge
	children    map[string][]*planNode
	kids        []*planNode // distinct children in edge order
	// foreach only: the nodes run once per element (topological, without
	// nested foreach branches) and those whose outputs form the result.
	body  []*planNode
	sinks []*planNode
}

type planEdge struct {
	from *planNode
	port string
}

// PlanEdge is an edge of a compiled plan.
type PlanEdge struct {
	From string
	To   string
	Port string
}

var nodeIDPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

// Compile validates a flow and compiles it into a Plan. All problems are
// returned together as a *ValidationError; warnings (unreachable nodes) do
// not stop compilation and are available from Plan.Warnings.
func Compile(ctx context.Context, flow *Flow, reg *Registry, env Env) (*Plan, error) {
	if flow == nil {
		return nil, &ValidationError{Problems: []Problem{{Message: "flow is empty", Severity: SeverityError}}}
	}
	settings := flow.Settings
	settings.applyDefaults() // for flows built in Go rather than parsed
	c := &compiler{ctx: ctx, flow: flow, reg: reg, env: env, plan: &Plan{settings: settings, nodes: map[string]*planNode{}}}
	c.settings()
	c.nodes()
	c.edges()
	c.triggers()
	if c.order() {
		c.branches()
		if c.plan.trigger != nil {
			c.reachability()
		}
	}
	if c.problems.hasErrors() {
		return nil, &ValidationError{Problems: c.problems}
	}
	c.plan.warnings = c.problems
	return c.plan, nil
}

type compiler struct {
	ctx      context.Context
	flow     *Flow
	reg      *Registry
	env      Env
	plan     *Plan
	problems problems
	list     []*planNode // declaration order
}

func (c *compiler) settings() {
	s := c.flow.Settings
	if s.MaxOutputBytes < 0 {
		c.problems.errorf("", "settings.max_output_bytes", "must not be negative")
	}
	if s.Retry.MaxAttempts < 0 {
		c.problems.errorf("", "settings.retry.max_attempts", "must not be negative")
	}
	if s.Retry.MaxInterval > 0 && s.Retry.InitialInterval > s.Retry.MaxInterval {
		c.problems.errorf("", "settings.retry.initial_interval", "must not exceed max_interval (%s)", time.Duration(s.Retry.MaxInterval))
	}
	if s.BusinessKey != "" {
		q, err := CompileJQ(s.BusinessKey)
		if err != nil {
			c.problems.errorf("", "settings.business_key", "%v", err)
		}
		c.plan.businessKey = q
	}
}

func (c *compiler) nodes() {
	if len(c.flow.Nodes) > MaxNodes {
		c.problems.errorf("", "nodes", "flow has %d nodes; the limit is %d", len(c.flow.Nodes), MaxNodes)
		return
	}
	for i, fn := range c.flow.Nodes {
		if !nodeIDPattern.MatchString(fn.ID) {
			c.problems.errorf(fn.ID, "nodes["+strconv.Itoa(i)+"].id", "node id must start with a letter or _ and contain only letters, digits, _ and - (at most 64)")
			continue
		}
		if _, dup := c.plan.nodes[fn.ID]; dup {
			c.problems.errorf(fn.ID, "id", "duplicate node id")
			continue
		}
		pn := &planNode{id: fn.ID, typ: fn.Type, children: map[string][]*planNode{}, timeout: DefaultNodeTimeout}
		c.plan.nodes[fn.ID] = pn
		c.list = append(c.list, pn)
		spec, factory, ok := c.reg.Lookup(fn.Type)
		if !ok {
			c.problems.errorf(fn.ID, "type", "unknown node type %q", fn.Type)
			continue
		}
		pn.spec = spec
		pn.ports = spec.Ports
		pn.sideEffects = spec.SideEffects
		c.compileNode(pn, fn, factory)
	}
}

func (c *compiler) compileNode(pn *planNode, fn FlowNode, factory Factory) {
	cfg := map[string]any{}
	if len(fn.Config) > 0 && string(fn.Config) != "null" {
		var raw any
		if err := json.Unmarshal(fn.Config, &raw); err != nil {
			c.problems.errorf(pn.id, "config", "malformed JSON: %v", err)
			return
		}
		obj, ok := raw.(map[string]any)
		if !ok {
			c.problems.errorf(pn.id, "config", "must be an object")
			return
		}
		cfg = obj
	}
	schemaErrs := pn.spec.Config.Validate(cfg)
	for _, e := range schemaErrs {
		c.problems.errorf(pn.id, "config."+e.Path, "%s", e.Message)
	}
	if len(schemaErrs) > 0 {
		return
	}
	if t, ok := cfg["timeout"].(string); ok {
		d, _ := time.ParseDuration(t) // format checked by the schema
		if d <= 0 {
			c.problems.errorf(pn.id, "config.timeout", "must be positive")
			return
		}
		pn.timeout = d
		delete(cfg, "timeout")
	}
	stripped, err := json.Marshal(cfg)
	if err != nil {
		c.problems.errorf(pn.id, "config", "%v", err)
		return
	}
	b := &Build{ctx: c.ctx, nodeID: pn.id, config: stripped, env: c.env, problems: &c.problems}
	node, err := c.runFactory(factory, b)
	switch {
	case err != nil:
		c.problems.errorf(pn.id, "config", "%v", err)
	case b.failed:
	case node == nil:
		c.problems.errorf(pn.id, "config", "node type %q compiled to nothing", pn.typ)
	default:
		pn.node = node
		if se, ok := node.(SideEffecter); ok {
			pn.sideEffects = se.SideEffects()
		}
		if pn.spec.DynamicPorts {
			if pl, ok := node.(PortLister); ok {
				pn.ports = pl.Ports()
			}
		}
	}
}

// runFactory turns a panicking factory into a problem.
func (c *compiler) runFactory(f Factory, b *Build) (n Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("node type %q failed to compile: panic: %v", c.plan.nodes[b.nodeID].typ, r)
		}
	}()
	return f(b)
}

func (c *compiler) edges() {
	seen := map[PlanEdge]bool{}
	for i, e := range c.flow.Edges {
		field := "edges[" + strconv.Itoa(i) + "]"
		from, okFrom := c.plan.nodes[e.From]
		to, okTo := c.plan.nodes[e.To]
		if !okFrom {
			c.problems.errorf(e.To, field+".from", "edge comes from unknown node %q", e.From)
		}
		if !okTo {
			c.problems.errorf(e.From, field+".to", "edge goes to unknown node %q", e.To)
		}
		if !okFrom || !okTo {
			continue
		}
		port := e.Port
		if port == "" {
			port = PortOut
		}
		key := PlanEdge{From: e.From, To: e.To, Port: port}
		if seen[key] {
			c.problems.errorf(e.From, field, "duplicate edge %s → %s (port %q)", e.From, e.To, port)
			continue
		}
		seen[key] = true
		if from.spec.Type != "" && !c.hasPort(from, port) {
			c.problems.errorf(e.From, field+".port", "node has no port %q (ports: %s)", port, strings.Join(c.portsOf(from), ", "))
			continue
		}
		from.children[port] = append(from.children[port], to)
		if !slices.Contains(from.kids, to) {
			from.kids = append(from.kids, to)
		}
		to.parents = append(to.parents, planEdge{from: from, port: port})
	}
}

func (c *compiler) portsOf(n *planNode) []string {
	if n.spec.Trigger {
		return n.ports
	}
	return append(slices.Clone(n.ports), PortError)
}

func (c *compiler) hasPort(n *planNode, port string) bool {
	if n.spec.DynamicPorts && n.node == nil {
		return true // config did not compile; the port list is unknown
	}
	return slices.Contains(c.portsOf(n), port)
}

func (c *compiler) triggers() {
	var ids []string
	for _, n := range c.list {
		if !n.spec.Trigger {
			continue
		}
		ids = append(ids, n.id)
		if len(n.parents) > 0 {
			c.problems.errorf(n.id, "edges", "a trigger node cannot have incoming edges")
		}
	}
	switch len(ids) {
	case 0:
		c.problems.errorf("", "nodes", "flow has no trigger node")
	case 1:
		c.plan.trigger = c.plan.nodes[ids[0]]
	default:
		for _, id := range ids[1:] {
			c.problems.errorf(id, "type", "flow has several trigger nodes (%s); keep exactly one", strings.Join(ids, ", "))
		}
	}
}

// order sorts the nodes topologically (Kahn, declaration order on ties) and
// reports cycles by naming their nodes. It reports whether the graph is
// acyclic.
func (c *compiler) order() bool {
	indegree := map[*planNode]int{}
	for _, n := range c.list {
		indegree[n] = len(n.parents)
	}
	var queue []*planNode
	for _, n := range c.list {
		if indegree[n] == 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		c.plan.order = append(c.plan.order, n)
		for _, child := range n.kids {
			indegree[child]--
			if indegree[child] == 0 {
				queue = append(queue, child)
			}
		}
	}
	if len(c.plan.order) == len(c.list) {
		return true
	}
	reported := map[*planNode]bool{}
	for _, n := range c.list {
		if indegree[n] == 0 || reported[n] {
			continue
		}
		cycle := c.findCycle(n, indegree)
		if cycle == nil {
			continue
		}
		names := make([]string, len(cycle))
		for i, m := range cycle {
			names[i] = m.id
			reported[m] = true
		}
		c.problems.errorf(cycle[0].id, "edges", "cycle: %s → %s", strings.Join(names, " → "), names[0])
	}
	return false
}

// findCycle walks from start through nodes left over by Kahn's algorithm;
// every such node has a parent that is also left over, so following parents
// must revisit a node, which closes a cycle.
func (c *compiler) findCycle(start *planNode, indegree map[*planNode]int) []*planNode {
	var path []*planNode
	index := map[*planNode]int{}
	n := start
	for {
		if i, seen := index[n]; seen {
			cycle := slices.Clone(path[i:])
			slices.Reverse(cycle)
			// start at the node declared first, so the message is stable
			first := 0
			for j, m := range cycle {
				if slices.Index(c.list, m) < slices.Index(c.list, cycle[first]) {
					first = j
				}
			}
			return append(slices.Clone(cycle[first:]), cycle[:first]...)
		}
		index[n] = len(path)
		path = append(path, n)
		var next *planNode
		for _, p := range n.parents {
			if indegree[p.from] > 0 {
				next = p.from
				break
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
}

// branches works out which nodes each foreach runs per element and checks
// that its branch is closed: every node in it has all its parents inside.
func (c *compiler) branches() {
	owner := map[*planNode]*planNode{} // innermost foreach running the node
	for _, f := range c.plan.order {
		if !f.spec.Iterates {
			continue
		}
		body := c.reachableFrom(f.children[PortItem])
		for _, n := range c.plan.order {
			if !body[n] {
				continue
			}
			for _, p := range n.parents {
				if (p.from == f && p.port == PortItem) || body[p.from] {
					continue
				}
				c.problems.errorf(n.id, "edges", "node is in the %q branch of foreach %q but also has parent %q from outside that branch", PortItem, f.id, p.from.id)
			}
			// order is topological, so inner foreach nodes come later and
			// overwrite the owner of their own branch.
			owner[n] = f
		}
	}
	for _, n := range c.plan.order {
		if f, ok := owner[n]; ok {
			f.body = append(f.body, n)
		} else {
			c.plan.root = append(c.plan.root, n)
		}
	}
	for _, f := range c.plan.order {
		for _, n := range f.body {
			hasChildInScope := false
			for _, k := range n.kids {
				if owner[k] == f {
					hasChildInScope = true
				}
			}
			if !hasChildInScope {
				f.sinks = append(f.sinks, n)
			}
		}
	}
}

func (c *compiler) reachableFrom(start []*planNode) map[*planNode]bool {
	seen := map[*planNode]bool{}
	stack := slices.Clone(start)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, n.kids...)
	}
	return seen
}

func (c *compiler) reachability() {
	reached := c.reachableFrom([]*planNode{c.plan.trigger})
	for _, n := range c.list {
		if !reached[n] {
			c.problems.warnf(n.id, "", "not reachable from the trigger; it will never run")
		}
	}
}

// Settings returns the flow's settings with defaults applied.
func (p *Plan) Settings() Settings { return p.settings }

// Warnings returns the non-fatal problems found while compiling.
func (p *Plan) Warnings() []Problem { return slices.Clone(p.warnings) }

// Order returns the node ids in topological order.
func (p *Plan) Order() []string {
	ids := make([]string, len(p.order))
	for i, n := range p.order {
		ids[i] = n.id
	}
	return ids
}

// TriggerID returns the id of the trigger node.
func (p *Plan) TriggerID() string { return p.trigger.id }

// Node returns a node's compiled instance and spec.
func (p *Plan) Node(id string) (Node, NodeSpec, bool) {
	n, ok := p.nodes[id]
	if !ok {
		return nil, NodeSpec{}, false
	}
	return n.node, n.spec, true
}

// Parents returns the edges into a node.
func (p *Plan) Parents(id string) []PlanEdge {
	n, ok := p.nodes[id]
	if !ok {
		return nil
	}
	out := make([]PlanEdge, len(n.parents))
	for i, e := range n.parents {
		out[i] = PlanEdge{From: e.from.id, To: id, Port: e.port}
	}
	return out
}

// Children returns the ids of the nodes behind one port of a node.
func (p *Plan) Children(id, port string) []string {
	n, ok := p.nodes[id]
	if !ok {
		return nil
	}
	var out []string
	for _, k := range n.children[port] {
		out = append(out, k.id)
	}
	return out
}

// BusinessKey evaluates settings.business_key over a trigger payload (see
// JQ.Key); "" when the flow has none.
func (p *Plan) BusinessKey(trigger any) (string, error) {
	if p.businessKey == nil {
		return "", nil
	}
	payload, err := Normalize(trigger)
	if err != nil {
		return "", fmt.Errorf("business key: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	key, err := p.businessKey.Key(ctx, payload, &Input{Trigger: payload})
	if err != nil {
		return "", fmt.Errorf("business key: %w", err)
	}
	return key, nil
}
