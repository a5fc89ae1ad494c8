package server

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
	"github.com/bridgework/bridgework/templates"
)

// templateView is a gallery entry as the API shows it.
type templateView struct {
	*templates.Template
	ParamsSchema map[string]any `json:"params_schema,omitempty"`
}

func (s *Server) listTemplates(c *fiber.Ctx) error {
	all := templates.All()
	views := make([]templateView, 0, len(all))
	for _, t := range all {
		views = append(views, templateView{Template: t})
	}
	return c.JSON(fiber.Map{"templates": views})
}

func (s *Server) getTemplate(c *fiber.Ctx) error {
	t := templates.Get(c.Params("slug"))
	if t == nil {
		return notFound("template")
	}
	return c.JSON(templateView{Template: t, ParamsSchema: t.Schema()})
}

// InstallRequest is the body of POST /api/v1/templates/{slug}/install.
type InstallRequest struct {
	// Connections maps the template's connection names to connection ids.
	Connections map[string]string `json:"connections"`
	// Params are parameter values; absent ones take their defaults.
	Params map[string]any `json:"params"`
	// RegisterWebhooks subscribes the hook URLs with Heartland.
	RegisterWebhooks bool `json:"register_webhooks"`
}

// InstalledFlow is one flow an install created or upgraded.
type InstalledFlow struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Version int              `json:"version"`
	Hooks   []InstalledHook  `json:"hooks"`
	Wiring  templates.Wiring `json:"wiring"`
}

// InstalledHook is a webhook endpoint of an installed flow. For token-checked
// hooks the URL carries the token, ready to give to the sender.
type InstalledHook struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

func (s *Server) installTemplate(c *fiber.Ctx) error {
	var req InstallRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	flows, err := s.InstallTemplate(c.UserContext(), claims(c).TenantID, actor(c), c.Params("slug"), req)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"flows": flows})
}

// InstallTemplate installs a template for a tenant: it checks the connections
// and parameters, renders and compiles every flow, then creates each flow (or
// saves a new version of the tenant's flow with the same name) and publishes
// it with its trigger. Nothing is saved when a check fails. With
// RegisterWebhooks the hook URLs are subscribed with Heartland.
func (s *Server) InstallTemplate(ctx context.Context, tenantID, actor, slug string, req InstallRequest) ([]InstalledFlow, error) {
	t := templates.Get(slug)
	if t == nil {
		return nil, notFound("template")
	}
	ts := s.Store.Tenant(tenantID)
	details, err := s.checkTemplateConnections(ctx, ts, t, req.Connections)
	if err != nil {
		return nil, err
	}
	params, err := t.Resolve(req.Params)
	var pe *templates.ParamError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			details = append(details, Detail{Field: p.Field, Message: p.Message})
		}
	} else if err != nil {
		return nil, err
	}
	if len(details) > 0 {
		return nil, &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request",
			Message: "the template cannot be installed with these connections and parameters", Details: details}
	}
	rendered, err := t.Render(params, req.Connections)
	if err != nil {
		return nil, err
	}
	for _, r := range rendered {
		if _, err := s.compileDefinition(ctx, tenantID, r.Definition); err != nil {
			return nil, fmt.Errorf("template %s: flow %q: %w", slug, r.Spec.Name, err)
		}
	}
	out := make([]InstalledFlow, 0, len(rendered))
	for _, r := range rendered {
		f, err := s.saveTemplateFlow(ctx, ts, actor, r)
		if err != nil {
			return nil, err
		}
		installed := InstalledFlow{ID: f.ID, Name: f.Name, Version: *f.PublishedVersion, Wiring: r.Spec.Wiring}
		if installed.Hooks, err = s.installedHooks(ctx, ts, f.ID); err != nil {
			return nil, err
		}
		out = append(out, installed)
	}
	if err := ts.Audit(ctx, actor, "template.install", "template", slug, fiber.Map{"flows": len(out)}); err != nil {
		return nil, err
	}
	if req.RegisterWebhooks {
		if err := s.registerHeartlandHooks(ctx, tenantID, t, req.Connections, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkTemplateConnections lists what is wrong with the connection ids given
// for a template's connections.
func (s *Server) checkTemplateConnections(ctx context.Context, ts *store.Scoped, t *templates.Template, given map[string]string) ([]Detail, error) {
	var details []Detail
	for _, want := range t.Connections {
		field := "connections." + want.Name
		id := given[want.Name]
		if id == "" {
			details = append(details, Detail{Field: field, Message: fmt.Sprintf("is required: the id of a %s connection", want.Type)})
			continue
		}
		conn, err := ts.Connection(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			details = append(details, Detail{Field: field, Message: fmt.Sprintf("there is no connection %q", id)})
			continue
		}
		if err != nil {
			return nil, err
		}
		if conn.Type != want.Type {
			details = append(details, Detail{Field: field, Message: fmt.Sprintf("connection %q is of type %s; the template needs a %s connection", id, conn.Type, want.Type)})
		}
	}
	for _, name := range t.UnknownConnections(given) {
		details = append(details, Detail{Field: "connections." + name, Message: "is not a connection of template " + t.Slug})
	}
	return details, nil
}

// saveTemplateFlow creates the flow, or saves a new version of the tenant's
// flow with the same name, and publishes it.
func (s *Server) saveTemplateFlow(ctx context.Context, ts *store.Scoped, actor string, r templates.Rendered) (*store.Flow, error) {
	def := store.JSON(r.Definition)
	f, err := ts.FlowByName(ctx, r.Spec.Name)
	var v *store.FlowVersion
	switch {
	case errors.Is(err, store.ErrNotFound):
		f = &store.Flow{Name: r.Spec.Name, Description: r.Spec.Description}
		v, err = ts.CreateFlow(ctx, f, def, actor)
	case err == nil:
		f, v, err = ts.SaveDraft(ctx, f.ID, f.DraftVersion, r.Spec.Name, r.Spec.Description, def, actor)
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.publishVersion(ctx, ts, actor, f, v); err != nil {
		return nil, err
	}
	return f, nil
}

func (s *Server) installedHooks(ctx context.Context, ts *store.Scoped, flowID string) ([]InstalledHook, error) {
	hooks, err := ts.HooksOfFlow(ctx, flowID)
	if err != nil {
		return nil, err
	}
	out := make([]InstalledHook, 0, len(hooks))
	for i := range hooks {
		h := &hooks[i]
		u := s.PublicURL + "/hooks/" + h.ID
		if h.AuthMode == nodes.AuthToken {
			secret, err := s.openHookSecret(h)
			if err != nil {
				return nil, err
			}
			u += "?token=" + url.QueryEscape(secret)
		}
		out = append(out, InstalledHook{ID: h.ID, URL: u})
	}
	return out, nil
}

// registerHeartlandHooks subscribes each flow's hook URLs to its Heartland
// events, unless Heartland already has a subscription for the URL.
func (s *Server) registerHeartlandHooks(ctx context.Context, tenantID string, t *templates.Template, conns map[string]string, flows []InstalledFlow) error {
	var connID string
	for _, c := range t.Connections {
		if c.Type == "heartland" {
			connID = conns[c.Name]
		}
	}
	cc := s.Connections.For(tenantID)
	for _, f := range flows {
		if len(f.Wiring.HeartlandEvents) == 0 || connID == "" {
			continue
		}
		for _, h := range f.Hooks {
			found, err := cc.Invoke(ctx, engine.ConnectorCall{ConnectionID: connID, Operation: "find_webhook", Input: map[string]any{"url": h.URL}})
			if err != nil {
				return webhookError(f.Name, err)
			}
			if m, _ := found.(map[string]any); m["found"] == true {
				continue
			}
			events := make([]any, len(f.Wiring.HeartlandEvents))
			for i, e := range f.Wiring.HeartlandEvents {
				events[i] = e
			}
			if _, err := cc.Invoke(ctx, engine.ConnectorCall{ConnectionID: connID, Operation: "register_webhook",
				Input: map[string]any{"url": h.URL, "events": events}}); err != nil {
				return webhookError(f.Name, err)
			}
		}
	}
	return nil
}

func webhookError(flow string, err error) error {
	return &APIError{Status: fiber.StatusBadGateway, Code: "webhook_registration_failed",
		Message: fmt.Sprintf("the flows are installed, but registering the webhook of %q failed: %v", flow, err)}
}
