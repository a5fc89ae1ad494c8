package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/store"
)

// flowView is a flow as the API shows it.
type flowView struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Description      string          `json:"description"`
	Status           string          `json:"status"`
	Version          int             `json:"version"`
	PublishedVersion *int            `json:"published_version"`
	Definition       json.RawMessage `json:"definition,omitempty"`
	Warnings         []Detail        `json:"warnings,omitempty"`
	Hooks            []hookView      `json:"hooks,omitempty"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

func newFlowView(f *store.Flow) flowView {
	status := "draft"
	if f.PublishedVersion != nil {
		status = "published"
	}
	return flowView{ID: f.ID, Name: f.Name, Description: f.Description, Status: status, Version: f.DraftVersion,
		PublishedVersion: f.PublishedVersion, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
}

type flowRequest struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Definition  json.RawMessage `json:"definition"`
	Version     int             `json:"version"`
}

func (r *flowRequest) validateFields() error {
	r.Name = strings.TrimSpace(r.Name)
	var details []Detail
	if r.Name == "" || len(r.Name) > 200 {
		details = append(details, Detail{Field: "name", Message: "name is required and may have at most 200 characters"})
	}
	if len(r.Description) > 4000 {
		details = append(details, Detail{Field: "description", Message: "description may have at most 4000 characters"})
	}
	if len(r.Definition) == 0 || string(r.Definition) == "null" {
		details = append(details, Detail{Field: "definition", Message: "definition (the flow document) is required"})
	}
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the flow is not valid", Details: details}
	}
	return nil
}

// compileDefinition validates a flow document for the caller's tenant. It
// returns the plan, or a 400 listing every problem by node and field.
func (s *Server) compileDefinition(ctx context.Context, tenantID string, def []byte) (*engine.Plan, error) {
	plan, err := s.Plans.Compile(ctx, tenantID, def)
	if err == nil {
		return plan, nil
	}
	var ve *engine.ValidationError
	if errors.As(err, &ve) {
		apiErr := &APIError{Status: fiber.StatusBadRequest, Code: "invalid_flow", Message: "the flow has errors; each is listed with its node and field"}
		for _, p := range ve.Problems {
			apiErr.Details = append(apiErr.Details, Detail{NodeID: p.NodeID, Field: p.Field, Message: p.Message, Severity: string(p.Severity)})
		}
		return nil, apiErr
	}
	return nil, &APIError{Status: fiber.StatusBadRequest, Code: "invalid_flow", Message: err.Error(),
		Details: []Detail{{Field: "definition", Message: err.Error(), Severity: string(engine.SeverityError)}}}
}

func warnings(plan *engine.Plan) []Detail {
	var out []Detail
	for _, p := range plan.Warnings() {
		out = append(out, Detail{NodeID: p.NodeID, Field: p.Field, Message: p.Message, Severity: string(p.Severity)})
	}
	return out
}

// flowStatsWindow is the recent window the flows list counts runs over.
const flowStatsWindow = 24 * time.Hour

// lastRunView is a flow's newest run as the flows list shows it.
type lastRunView struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// flowListItem is one row of GET /flows: the flow, its newest run (null when
// it never ran) and, of its runs that finished in the last 24 hours
// (succeeded or failed; cancelled runs are no outcome), how many finished and
// how many of those failed.
type flowListItem struct {
	flowView
	LastRun     *lastRunView `json:"last_run"`
	Finished24h int64        `json:"finished_24h"`
	Failed24h   int64        `json:"failed_24h"`
}

// flowList is the answer of GET /flows.
type flowList struct {
	Flows []flowListItem `json:"flows"`
}

func (s *Server) listFlows(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	flows, err := ts.ListFlows(c.UserContext())
	if err != nil {
		return err
	}
	ids := make([]string, len(flows))
	for i := range flows {
		ids[i] = flows[i].ID
	}
	summaries, err := ts.FlowRunSummaries(c.UserContext(), ids, store.Now().Add(-flowStatsWindow))
	if err != nil {
		return err
	}
	items := make([]flowListItem, 0, len(flows))
	for i := range flows {
		sum := summaries[flows[i].ID]
		item := flowListItem{flowView: newFlowView(&flows[i]), Finished24h: sum.Finished, Failed24h: sum.Failed}
		if r := sum.LastRun; r != nil {
			item.LastRun = &lastRunView{ID: r.ID, Status: r.Status, CreatedAt: r.CreatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
		}
		items = append(items, item)
	}
	return c.JSON(flowList{Flows: items})
}

func (s *Server) createFlow(c *fiber.Ctx) error {
	var req flowRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validateFields(); err != nil {
		return err
	}
	ts := s.tenantStore(c)
	if err := s.checkFlowQuota(c.UserContext(), ts); err != nil {
		return err
	}
	plan, err := s.compileDefinition(c.UserContext(), ts.TenantID(), req.Definition)
	if err != nil {
		return err
	}
	f := &store.Flow{Name: req.Name, Description: req.Description}
	v, err := ts.CreateFlow(c.UserContext(), f, store.JSON(req.Definition), actor(c))
	if err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "flow.create", "flow", f.ID, fiber.Map{"name": f.Name}); err != nil {
		return err
	}
	view := newFlowView(f)
	view.Definition, view.Warnings = json.RawMessage(v.Definition), warnings(plan)
	return c.Status(fiber.StatusCreated).JSON(view)
}

func (s *Server) getFlow(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	f, err := ts.Flow(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	v, err := ts.FlowVersion(c.UserContext(), f.ID, f.DraftVersion)
	if err != nil {
		return err
	}
	view := newFlowView(f)
	view.Definition = json.RawMessage(v.Definition)
	if view.Hooks, err = s.hookViews(c, f.ID); err != nil {
		return err
	}
	return c.JSON(view)
}

// updateFlow saves a new draft version; a stale "version" is a 409.
func (s *Server) updateFlow(c *fiber.Ctx) error {
	var req flowRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validateFields(); err != nil {
		return err
	}
	if req.Version < 1 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "version (the draft version the edit started from) is required",
			Details: []Detail{{Field: "version", Message: "must be the flow's current version"}}}
	}
	ts := s.tenantStore(c)
	plan, err := s.compileDefinition(c.UserContext(), ts.TenantID(), req.Definition)
	if err != nil {
		return err
	}
	f, v, err := ts.SaveDraft(c.UserContext(), c.Params("id"), req.Version, req.Name, req.Description, store.JSON(req.Definition), actor(c))
	if errors.Is(err, store.ErrConflict) {
		return apiError(fiber.StatusConflict, "version_conflict", "someone else saved this flow since version %d; reload it and apply your change again", req.Version)
	}
	if err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "flow.save", "flow", f.ID, fiber.Map{"version": v.Version}); err != nil {
		return err
	}
	view := newFlowView(f)
	view.Definition, view.Warnings = json.RawMessage(v.Definition), warnings(plan)
	return c.JSON(view)
}

func (s *Server) deleteFlow(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	id := c.Params("id")
	if err := ts.DeleteFlow(c.UserContext(), id); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "flow.delete", "flow", id, nil); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) listFlowVersions(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	f, err := ts.Flow(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	versions, err := ts.FlowVersions(c.UserContext(), f.ID)
	if err != nil {
		return err
	}
	type versionView struct {
		Version   int       `json:"version"`
		Published bool      `json:"published"`
		CreatedBy string    `json:"created_by"`
		CreatedAt time.Time `json:"created_at"`
	}
	out := make([]versionView, 0, len(versions))
	for _, v := range versions {
		out = append(out, versionView{Version: v.Version, Published: f.PublishedVersion != nil && *f.PublishedVersion == v.Version,
			CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt})
	}
	return c.JSON(fiber.Map{"versions": out})
}

func (s *Server) getFlowVersion(c *fiber.Ctx) error {
	n, err := parseVersion(c.Params("version"))
	if err != nil {
		return err
	}
	v, err := s.tenantStore(c).FlowVersion(c.UserContext(), c.Params("id"), n)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"version": v.Version, "created_by": v.CreatedBy, "created_at": v.CreatedAt, "definition": json.RawMessage(v.Definition)})
}
