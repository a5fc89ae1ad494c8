package server

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/alert"
	"github.com/bridgework/bridgework/store"
)

// alertRuleBody is the editable part of an alert rule.
type alertRuleBody struct {
	Name          string          `json:"name"`
	Kind          string          `json:"kind"`
	FlowID        string          `json:"flow_id"`
	Threshold     float64         `json:"threshold"`
	WindowSeconds int64           `json:"window_seconds"`
	MinRuns       int             `json:"min_runs"`
	RepeatSeconds int64           `json:"repeat_seconds"`
	Channels      json.RawMessage `json:"channels"`
	Enabled       *bool           `json:"enabled"`
}

// readAlertRule decodes and checks a rule definition: an unknown flow or any
// problem answers 400 naming the fields, and nothing is stored.
func (s *Server) readAlertRule(c *fiber.Ctx) (*store.AlertRule, error) {
	var b alertRuleBody
	if err := decodeJSON(c, &b); err != nil {
		return nil, err
	}
	r := &store.AlertRule{Name: b.Name, Kind: b.Kind, FlowID: b.FlowID, Threshold: b.Threshold,
		WindowSeconds: b.WindowSeconds, MinRuns: b.MinRuns, RepeatSeconds: b.RepeatSeconds,
		Channels: store.JSON(b.Channels), Enabled: b.Enabled == nil || *b.Enabled}
	var details []Detail
	for _, p := range alert.Check(r) {
		details = append(details, Detail{Field: p.Field, Message: p.Message})
	}
	if r.FlowID != "" {
		if _, err := s.tenantStore(c).Flow(c.UserContext(), r.FlowID); err != nil {
			details = append(details, Detail{Field: "flow_id", Message: "no flow with id " + r.FlowID})
		}
	}
	if len(details) > 0 {
		return nil, &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the alert rule is not valid", Details: details}
	}
	return r, nil
}

func (s *Server) listAlertRules(c *fiber.Ctx) error {
	rules, err := s.tenantStore(c).AlertRules(c.UserContext())
	if err != nil {
		return err
	}
	if rules == nil {
		rules = []store.AlertRule{}
	}
	return c.JSON(fiber.Map{"alert_rules": rules})
}

func (s *Server) createAlertRule(c *fiber.Ctx) error {
	r, err := s.readAlertRule(c)
	if err != nil {
		return err
	}
	ts := s.tenantStore(c)
	if err := ts.CreateAlertRule(c.UserContext(), r); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "alert_rule.create", "alert_rule", r.ID, fiber.Map{"name": r.Name}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) getAlertRule(c *fiber.Ctx) error {
	r, err := s.tenantStore(c).AlertRule(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) updateAlertRule(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	id := c.Params("id")
	if _, err := ts.AlertRule(c.UserContext(), id); err != nil {
		return err
	}
	r, err := s.readAlertRule(c)
	if err != nil {
		return err
	}
	r.ID = id
	if err := ts.UpdateAlertRule(c.UserContext(), r); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "alert_rule.update", "alert_rule", id, nil); err != nil {
		return err
	}
	return s.getAlertRule(c)
}

func (s *Server) deleteAlertRule(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	id := c.Params("id")
	if err := ts.DeleteAlertRule(c.UserContext(), id); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "alert_rule.delete", "alert_rule", id, nil); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// silenceAlertRule mutes a rule's notifications until a time; a null or
// missing until unmutes it. The rule is still evaluated meanwhile.
func (s *Server) silenceAlertRule(c *fiber.Ctx) error {
	var b struct {
		Until *time.Time `json:"until"`
	}
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	ts := s.tenantStore(c)
	id := c.Params("id")
	if err := ts.SilenceAlertRule(c.UserContext(), id, b.Until); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "alert_rule.silence", "alert_rule", id, fiber.Map{"until": b.Until}); err != nil {
		return err
	}
	return s.getAlertRule(c)
}

// listAlerts is the alert history, newest first, of one rule or all.
func (s *Server) listAlerts(c *fiber.Ctx) error {
	limit := c.QueryInt("limit", 100)
	if limit < 1 || limit > 1000 {
		return badRequest("limit must be between 1 and 1000")
	}
	out, err := s.tenantStore(c).ListAlerts(c.UserContext(), c.Query("rule_id"), limit)
	if err != nil {
		return err
	}
	if out == nil {
		out = []store.Alert{}
	}
	return c.JSON(fiber.Map{"alerts": out})
}
