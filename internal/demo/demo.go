// Package demo prepares the demo tenant of `bridgework serve --demo`: its
// connections to the in-process sandboxes, every template installed, the
// Heartland webhooks and the Epicor notifications wired to the flows.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/server"
	"github.com/bridgework/bridgework/store"
	"github.com/bridgework/bridgework/templates"
)

// The demo tenant and its fixed login.
const (
	TenantSlug = "demo"
	Email      = "demo@bridgework.local"
	Password   = "bridgework-demo"
	actor      = "demo-setup"
)

// Connection is a connection to create for a tenant.
type Connection struct {
	Name    string
	Type    string
	Config  map[string]any
	Secrets map[string]string
}

// SandboxConnections returns the connections that reach the running
// sandboxes with their default credentials. Everything that connects the
// demo (and the template tests) to the sandboxes is decided here.
func SandboxConnections(run *sandbox.Running) []Connection {
	return []Connection{
		{Name: "Heartland sandbox", Type: "heartland",
			Config:  map[string]any{"base_url": run.HeartlandURL + "/api", "auth": "api_token"},
			Secrets: map[string]string{"api_token": "sandbox-token"}},
		{Name: "Epicor sandbox", Type: "epicor",
			Config:  map[string]any{"base_url": run.EpicorURL, "instance": "kinetic", "company": "EPIC06", "plant": "MfgSys", "auth": "basic"},
			Secrets: map[string]string{"api_key": "sandbox-api-key", "username": "manager", "password": "manager"}},
		{Name: "Heartland sandbox (HTTP)", Type: "http",
			Config:  map[string]any{"base_url": run.HeartlandURL + "/api", "auth": "bearer", "test_path": "/system/whoami"},
			Secrets: map[string]string{"token": "sandbox-token"}},
	}
}

// SandboxAllow is the outbound allow-list that lets a tenant's flows and
// connections reach the running sandboxes: their addresses, on loopback
// unless they listen elsewhere.
func SandboxAllow(run *sandbox.Running) []string {
	var out []string
	for _, raw := range []string{run.HeartlandURL, run.EpicorURL} {
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" || slices.Contains(out, u.Hostname()) {
			continue
		}
		out = append(out, u.Hostname())
	}
	return out
}

// Result is what Setup prepared.
type Result struct {
	TenantID string
	// Connections maps connection type to connection id.
	Connections map[string]string
	// Flows are the installed flows by template slug.
	Flows map[string][]server.InstalledFlow
}

// Setup creates (or, on a restart, updates) the demo tenant, its sandbox
// connections and every template, registers the Heartland webhooks and
// points the Epicor notifications at the flows that listen for them. It is
// idempotent: running it again upgrades the same flows.
func Setup(ctx context.Context, st *store.Store, srv *server.Server, run *sandbox.Running) (*Result, error) {
	tenantID, err := ensureTenant(ctx, st)
	if err != nil {
		return nil, err
	}
	if err := allowSandboxes(ctx, st, srv, tenantID, run); err != nil {
		return nil, err
	}
	res := &Result{TenantID: tenantID, Connections: map[string]string{}, Flows: map[string][]server.InstalledFlow{}}
	for _, c := range SandboxConnections(run) {
		id, err := Upsert(ctx, st.Tenant(tenantID), srv, c)
		if err != nil {
			return nil, err
		}
		res.Connections[c.Type] = id
	}
	var notify []string
	for _, t := range templates.All() {
		conns := map[string]string{}
		for _, c := range t.Connections {
			conns[c.Name] = res.Connections[c.Type]
		}
		flows, err := srv.InstallTemplate(ctx, tenantID, actor, t.Slug, server.InstallRequest{Connections: conns, RegisterWebhooks: true})
		if err != nil {
			return nil, fmt.Errorf("demo: install %s: %w", t.Slug, err)
		}
		res.Flows[t.Slug] = flows
		for _, f := range flows {
			if len(f.Wiring.EpicorEvents) == 0 {
				continue
			}
			for _, h := range f.Hooks {
				notify = append(notify, h.URL)
			}
		}
	}
	run.Epicor.SetNotifyURLs(notify)
	return res, nil
}

// allowSandboxes adds the sandboxes' addresses to the demo tenant's outbound
// allow-list (they are on loopback, which the outbound guard refuses by
// default), keeping entries the operator added.
func allowSandboxes(ctx context.Context, st *store.Store, srv *server.Server, tenantID string, run *sandbox.Running) error {
	current, err := st.TenantOutboundAllow(ctx, tenantID)
	if err != nil {
		return err
	}
	list := slices.Clone(current)
	for _, host := range SandboxAllow(run) {
		if !slices.Contains(list, host) {
			list = append(list, host)
		}
	}
	if len(list) == len(current) {
		return nil
	}
	if _, err := st.UpdateTenant(ctx, tenantID, store.TenantUpdate{OutboundAllow: &list}); err != nil {
		return fmt.Errorf("demo: allow the sandboxes: %w", err)
	}
	srv.OutboundAllow.Forget(tenantID)
	return nil
}

// ensureTenant returns the demo tenant's id, creating it with the fixed login.
func ensureTenant(ctx context.Context, st *store.Store) (string, error) {
	t, err := st.TenantBySlug(ctx, TenantSlug)
	if err == nil {
		return t.ID, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return "", err
	}
	_, prefix, keyHash := auth.NewAPIKey()
	t = &store.Tenant{Name: "Demo retailer", Slug: TenantSlug}
	user := &store.User{Email: Email, PasswordHash: hash, Role: "admin"}
	key := &store.APIKey{Name: "demo key", Prefix: prefix, KeyHash: keyHash, Role: "admin"}
	if err := st.CreateTenant(ctx, t, user, key); err != nil {
		return "", fmt.Errorf("demo: create tenant: %w", err)
	}
	return t.ID, nil
}

// Upsert creates the connection, or updates the tenant's connection of the
// same name (the sandbox addresses may change between restarts), and returns
// its id.
func Upsert(ctx context.Context, ts *store.Scoped, srv *server.Server, c Connection) (string, error) {
	cfg, err := json.Marshal(c.Config)
	if err != nil {
		return "", err
	}
	existing, err := ts.ListConnections(ctx)
	if err != nil {
		return "", err
	}
	conn := &store.Connection{ID: store.NewID(), TenantID: ts.TenantID(), Name: c.Name, Type: c.Type}
	update := false
	for i := range existing {
		if existing[i].Name == c.Name {
			conn, update = &existing[i], true
		}
	}
	if update && conn.Type != c.Type {
		return "", fmt.Errorf("demo: connection %q exists with type %s, not %s", c.Name, conn.Type, c.Type)
	}
	conn.Config = store.JSON(cfg)
	if err := srv.Connections.SealSecrets(conn, c.Secrets); err != nil {
		return "", err
	}
	if update {
		err = ts.UpdateConnection(ctx, conn)
	} else {
		err = ts.CreateConnection(ctx, conn)
	}
	if err != nil {
		return "", fmt.Errorf("demo: save connection %s: %w", c.Name, err)
	}
	return conn.ID, nil
}
