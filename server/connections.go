package server

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/store"
)

type connectionRequest struct {
	Name    string             `json:"name"`
	Type    string             `json:"type"`
	Config  map[string]any     `json:"config"`
	Secrets map[string]*string `json:"secrets"`
}

// connectionView is a connection as the API shows it: secret names, never values.
type connectionView struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Type         string          `json:"type"`
	Config       json.RawMessage `json:"config"`
	SecretFields []string        `json:"secret_fields"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

func (s *Server) viewConnection(c *store.Connection) (connectionView, error) {
	secrets, err := s.Connections.OpenSecrets(c)
	if err != nil {
		return connectionView{}, err
	}
	names := make([]string, 0, len(secrets))
	for k := range secrets {
		names = append(names, k)
	}
	sort.Strings(names)
	return connectionView{ID: c.ID, Name: c.Name, Type: c.Type, Config: json.RawMessage(c.Config),
		SecretFields: names, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}, nil
}

func (r *connectionRequest) validate(creating bool, types []string) error {
	r.Name = strings.TrimSpace(r.Name)
	var details []Detail
	if r.Name == "" || len(r.Name) > 200 {
		details = append(details, Detail{Field: "name", Message: "name is required and may have at most 200 characters"})
	}
	if creating && !slices.Contains(types, r.Type) {
		details = append(details, Detail{Field: "type", Message: "type must be one of " + strings.Join(types, ", ")})
	}
	for k, v := range r.Secrets {
		if k == "" || len(k) > 100 || (v != nil && len(*v) > 8192) {
			details = append(details, Detail{Field: "secrets." + k, Message: "secret names must be 1-100 characters and values at most 8192"})
		}
	}
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the connection is not valid", Details: details}
	}
	return nil
}

func (s *Server) listConnections(c *fiber.Ctx) error {
	list, err := s.tenantStore(c).ListConnections(c.UserContext())
	if err != nil {
		return err
	}
	views := make([]connectionView, 0, len(list))
	for i := range list {
		v, err := s.viewConnection(&list[i])
		if err != nil {
			return err
		}
		views = append(views, v)
	}
	return c.JSON(fiber.Map{"connections": views})
}

func (s *Server) getConnection(c *fiber.Ctx) error {
	conn, err := s.tenantStore(c).Connection(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	v, err := s.viewConnection(conn)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) createConnection(c *fiber.Ctx) error {
	var req connectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validate(true, s.Connections.Registry.Systems()); err != nil {
		return err
	}
	ts := s.tenantStore(c)
	conn := &store.Connection{ID: store.NewID(), TenantID: ts.TenantID(), Name: req.Name, Type: req.Type}
	if err := s.applyConnection(conn, &req, map[string]string{}); err != nil {
		return err
	}
	if err := ts.CreateConnection(c.UserContext(), conn); err != nil {
		return conflictAs(err, "a connection named %q already exists", req.Name)
	}
	if err := ts.Audit(c.UserContext(), actor(c), "connection.create", "connection", conn.ID, fiber.Map{"name": conn.Name, "type": conn.Type}); err != nil {
		return err
	}
	v, err := s.viewConnection(conn)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *Server) updateConnection(c *fiber.Ctx) error {
	var req connectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validate(false, nil); err != nil {
		return err
	}
	ts := s.tenantStore(c)
	conn, err := ts.Connection(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if req.Type != "" && req.Type != conn.Type {
		return badRequest("the type of a connection cannot change; create a new connection instead")
	}
	current, err := s.Connections.OpenSecrets(conn)
	if err != nil {
		return err
	}
	conn.Name = req.Name
	if err := s.applyConnection(conn, &req, current); err != nil {
		return err
	}
	if err := ts.UpdateConnection(c.UserContext(), conn); err != nil {
		return conflictAs(err, "a connection named %q already exists", req.Name)
	}
	if err := ts.Audit(c.UserContext(), actor(c), "connection.update", "connection", conn.ID, fiber.Map{"name": conn.Name, "secrets_changed": len(req.Secrets) > 0}); err != nil {
		return err
	}
	conn.UpdatedAt = store.Now()
	v, err := s.viewConnection(conn)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// applyConnection copies config and merges secrets (a null value removes a
// secret, an absent one keeps it) into conn.
func (s *Server) applyConnection(conn *store.Connection, req *connectionRequest, secrets map[string]string) error {
	if req.Config == nil {
		req.Config = map[string]any{}
	}
	cfg, err := json.Marshal(req.Config)
	if err != nil {
		return badRequest("config must be a JSON object")
	}
	conn.Config = cfg
	for k, v := range req.Secrets {
		if v == nil {
			delete(secrets, k)
		} else {
			secrets[k] = *v
		}
	}
	return s.Connections.SealSecrets(conn, secrets)
}

func (s *Server) deleteConnection(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	id := c.Params("id")
	if err := ts.DeleteConnection(c.UserContext(), id); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "connection.delete", "connection", id, nil); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// testConnection checks reachability and credentials and reports a clear message.
func (s *Server) testConnection(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	conn, err := ts.Connection(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if err := s.Connections.Test(c.UserContext(), ts.TenantID(), conn.ID); err != nil {
		return c.JSON(fiber.Map{"ok": false, "message": err.Error()})
	}
	return c.JSON(fiber.Map{"ok": true, "message": "connected to " + conn.Type + " with these credentials"})
}

// listConnectors describes every connection type and its operations, for the
// editor's connector node form.
func (s *Server) listConnectors(c *fiber.Ctx) error {
	reg := s.Connections.Registry
	type system struct {
		Type         string                 `json:"type"`
		Title        string                 `json:"title"`
		ConfigSchema json.RawMessage        `json:"config_schema"`
		Secrets      []string               `json:"secrets"`
		Operations   []connectors.Operation `json:"operations"`
	}
	out := []system{}
	for _, name := range reg.Systems() {
		sys, _ := reg.System(name)
		out = append(out, system{Type: sys.Name, Title: sys.Title, ConfigSchema: sys.ConfigSchema, Secrets: sys.Secrets, Operations: reg.Operations(name)})
	}
	return c.JSON(fiber.Map{"connectors": out})
}
