package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
)

type publishRequest struct {
	// Version to publish; 0 publishes the current draft. Publishing an older
	// version is a rollback.
	Version int `json:"version"`
}

// publishFlow validates a version, makes it the running one and sets up its
// trigger: the webhook (with a generated secret), schedule or event.
func (s *Server) publishFlow(c *fiber.Ctx) error {
	var req publishRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	ctx := c.UserContext()
	ts := s.tenantStore(c)
	f, err := ts.Flow(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if req.Version == 0 {
		req.Version = f.DraftVersion
	}
	v, err := ts.FlowVersion(ctx, f.ID, req.Version)
	if errors.Is(err, store.ErrNotFound) {
		return apiError(fiber.StatusNotFound, "not_found", "flow %s has no version %d", f.ID, req.Version)
	}
	if err != nil {
		return err
	}
	plan, err := s.publishVersion(ctx, ts, actor(c), f, v)
	if err != nil {
		return err
	}
	view := newFlowView(f)
	view.Warnings = warnings(plan)
	if view.Hooks, err = s.hookViews(c, f.ID); err != nil {
		return err
	}
	return c.JSON(view)
}

// publishVersion compiles a flow version, makes it the running one, sets up
// its trigger and records who did it. The flows API and template installs
// both publish through it.
func (s *Server) publishVersion(ctx context.Context, ts *store.Scoped, actor string, f *store.Flow, v *store.FlowVersion) (*engine.Plan, error) {
	plan, err := s.compileDefinition(ctx, ts.TenantID(), v.Definition)
	if err != nil {
		return nil, err
	}
	triggers, err := s.triggersOf(ctx, ts, f.ID, plan)
	if err != nil {
		return nil, err
	}
	if err := ts.PublishFlow(ctx, f.ID, v.Version, triggers); err != nil {
		return nil, err
	}
	if err := ts.Audit(ctx, actor, "flow.publish", "flow", f.ID, fiber.Map{"version": v.Version}); err != nil {
		return nil, err
	}
	f.PublishedVersion = &v.Version
	return plan, nil
}

// triggersOf derives the stored triggers from a compiled plan's trigger node.
func (s *Server) triggersOf(ctx context.Context, ts *store.Scoped, flowID string, plan *engine.Plan) (store.Triggers, error) {
	id := plan.TriggerID()
	node, _, _ := plan.Node(id)
	switch trg := node.(type) {
	case *nodes.Webhook:
		h := &store.Hook{NodeID: id, AuthMode: trg.AuthMode(), Header: trg.SignatureHeader()}
		if trg.AuthMode() == nodes.AuthNone {
			h.Secret = []byte{}
			return store.Triggers{Hook: h}, nil
		}
		existing, err := ts.HooksOfFlow(ctx, flowID)
		if err != nil {
			return store.Triggers{}, err
		}
		h.ID = store.NewID()
		for _, e := range existing {
			if e.NodeID == id && len(e.Secret) > 0 {
				return store.Triggers{Hook: h}, nil // keep its id and secret
			}
			if e.NodeID == id {
				h.ID = e.ID // the secret is sealed to the id the hook keeps
			}
		}
		sealed, err := s.sealHookSecret(ts.TenantID(), h.ID, newHookSecret())
		if err != nil {
			return store.Triggers{}, err
		}
		h.Secret = sealed
		return store.Triggers{Hook: h}, nil
	case *nodes.Schedule:
		return store.Triggers{Schedule: &store.Schedule{NodeID: id, NextRunAt: trg.Next(time.Now()).UTC().Truncate(time.Microsecond)}}, nil
	case *nodes.Event:
		return store.Triggers{Event: &store.EventTrigger{NodeID: id, Event: trg.Name()}}, nil
	}
	return store.Triggers{}, nil
}

func newHookSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) sealHookSecret(tenantID, hookID, plain string) ([]byte, error) {
	return s.Box.Seal([]byte(plain), secret.HookAAD(tenantID, hookID))
}

func (s *Server) openHookSecret(h *store.Hook) (string, error) {
	return s.openSealedHookSecret(h, h.Secret)
}

// openSealedHookSecret opens the current or the previous secret of a hook.
func (s *Server) openSealedHookSecret(h *store.Hook, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	plain, err := s.Box.Open(sealed, secret.HookAAD(h.TenantID, h.ID))
	return string(plain), err
}

// hookView is a webhook endpoint as the API shows it. The secret is shown to
// roles that configure senders.
type hookView struct {
	ID       string `json:"id"`
	NodeID   string `json:"node_id"`
	URL      string `json:"url"`
	AuthMode string `json:"auth_mode"`
	Header   string `json:"header,omitempty"`
	Secret   string `json:"secret,omitempty"`
}

func (s *Server) hookViews(c *fiber.Ctx, flowID string) ([]hookView, error) {
	hooks, err := s.tenantStore(c).HooksOfFlow(c.UserContext(), flowID)
	if err != nil {
		return nil, err
	}
	showSecret := callerRole(c).AtLeast(auth.RoleEditor)
	out := make([]hookView, 0, len(hooks))
	for i := range hooks {
		h := &hooks[i]
		v := hookView{ID: h.ID, NodeID: h.NodeID, URL: s.PublicURL + "/hooks/" + h.ID, AuthMode: h.AuthMode}
		if h.AuthMode == nodes.AuthHMAC {
			v.Header = h.Header
		}
		if showSecret {
			if v.Secret, err = s.openHookSecret(h); err != nil {
				return nil, err
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) listFlowHooks(c *fiber.Ctx) error {
	f, err := s.tenantStore(c).Flow(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	hooks, err := s.hookViews(c, f.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"hooks": hooks})
}

type hookSecretRequest struct {
	// Secret to set (the sender dictates it); empty generates a new one.
	Secret string `json:"secret"`
	// GraceSeconds keeps the old secret valid this long so senders can
	// switch without downtime; absent means a day, 0 drops it at once.
	GraceSeconds *int `json:"grace_seconds"`
}

// defaultHookGrace and maxHookGrace bound how long a rotated-out hook secret
// stays valid.
const (
	defaultHookGrace = 24 * time.Hour
	maxHookGrace     = 7 * 24 * time.Hour
)

// setHookSecret replaces (rotates) a hook's secret.
func (s *Server) setHookSecret(c *fiber.Ctx) error {
	var req hookSecretRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	if req.Secret == "" {
		req.Secret = newHookSecret()
	}
	if len(req.Secret) < 16 || len(req.Secret) > 512 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the secret must have 16 to 512 characters",
			Details: []Detail{{Field: "secret", Message: "must have 16 to 512 characters"}}}
	}
	grace := defaultHookGrace
	if req.GraceSeconds != nil {
		grace = time.Duration(*req.GraceSeconds) * time.Second
		if grace < 0 || grace > maxHookGrace {
			return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "grace_seconds must be between 0 and 604800 (7 days)",
				Details: []Detail{{Field: "grace_seconds", Message: "must be between 0 and 604800"}}}
		}
	}
	ts := s.tenantStore(c)
	h, err := ts.Hook(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	sealed, err := s.sealHookSecret(ts.TenantID(), h.ID, req.Secret)
	if err != nil {
		return err
	}
	var graceUntil time.Time
	if grace > 0 {
		graceUntil = time.Now().Add(grace)
	}
	if err := ts.SetHookSecret(c.UserContext(), h.ID, sealed, graceUntil); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "hook.secret", "hook", h.ID, fiber.Map{"grace_seconds": int(grace.Seconds())}); err != nil {
		return err
	}
	return c.JSON(hookView{ID: h.ID, NodeID: h.NodeID, URL: s.PublicURL + "/hooks/" + h.ID, AuthMode: h.AuthMode, Header: h.Header, Secret: req.Secret})
}

// parseVersion reads a positive version number from a route parameter.
func parseVersion(raw string) (int, error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, badRequest("version must be a positive whole number")
	}
	return n, nil
}
