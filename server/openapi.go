package server

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/store"
)

// operation documents one route: what it does, the JSON body it takes and
// the JSON it answers with (nil for an empty body) under status.
type operation struct {
	summary string
	request any // a Go value whose type is the body, or a JSON Schema
	status  int
	reply   any // a Go value whose type is the answer, or a JSON Schema
}

// otherReplies are further statuses of a route whose body is not the error shape.
var otherReplies = map[string]map[int]any{
	"GET /readyz":     {503: readiness},
	"POST /hooks/:id": {200: object(jsonSchema{"run_id": jsonSchema{"type": "string"}, "duplicate": jsonSchema{"type": "boolean"}})},
	// dry runs answer 200 with what would happen
	"POST /api/v1/runs/:id/replay":     {200: runner.ReplayPlan{}},
	"POST /api/v1/dead-letters/replay": {200: anyObject},
}

var (
	anyObject = jsonSchema{"type": "object"}
	readiness = object(jsonSchema{"ready": jsonSchema{"type": "boolean"}, "checks": jsonSchema{"type": "object", "additionalProperties": jsonSchema{"type": "string"}}})
	itemsOf   = func(key string) jsonSchema {
		return object(jsonSchema{key: jsonSchema{"type": "array", "items": anyObject}})
	}
)

// operations documents every route, keyed "METHOD /path" as registered. A
// route missing here fails TestOpenAPICoversEveryRoute.
var operations = map[string]operation{
	"GET /healthz":             {"Liveness", nil, 200, object(jsonSchema{"status": jsonSchema{"type": "string"}})},
	"GET /readyz":              {"Readiness of the database and the queue", nil, 200, readiness},
	"POST /hooks/:id":          {"Deliver a webhook (HMAC or token, see docs/security.md)", jsonSchema{}, 202, object(jsonSchema{"run_id": jsonSchema{"type": "string"}})},
	"GET /api/v1/openapi.json": {"This document", nil, 200, anyObject},
	"POST /api/v1/auth/token":  {"Exchange an API key, or e-mail and password, for an access token", tokenRequest{}, 200, tokenResponse{}},
	"POST /api/v1/auth/reset":  {"Set a password with a one-time reset token", resetPasswordRequest{}, 204, nil},

	"POST /api/v1/tenants":             {"Provision a tenant and its first admin", createTenantRequest{}, 201, createTenantResponse{}},
	"GET /api/v1/tenants":              {"List tenants", nil, 200, listOf("tenants", store.Tenant{})},
	"GET /api/v1/tenants/:id":          {"Get a tenant", nil, 200, store.Tenant{}},
	"PATCH /api/v1/tenants/:id":        {"Change a tenant's name, status, limits, retention, payload hiding or outbound allow-list", updateTenantRequest{}, 200, store.Tenant{}},
	"POST /api/v1/tenants/:id/suspend": {"Suspend a tenant", nil, 200, store.Tenant{}},
	"POST /api/v1/tenants/:id/resume":  {"Resume a suspended tenant", nil, 200, store.Tenant{}},
	"DELETE /api/v1/tenants/:id":       {"Delete a tenant and all its data (?confirm=<slug>)", nil, 204, nil},

	"GET /api/v1/connections":           {"List connections", nil, 200, listOf("connections", connectionView{})},
	"POST /api/v1/connections":          {"Create a connection", connectionRequest{}, 201, connectionView{}},
	"GET /api/v1/connections/:id":       {"Get a connection (never its secrets)", nil, 200, connectionView{}},
	"PUT /api/v1/connections/:id":       {"Update a connection", connectionRequest{}, 200, connectionView{}},
	"DELETE /api/v1/connections/:id":    {"Delete a connection", nil, 204, nil},
	"POST /api/v1/connections/:id/test": {"Test a connection's credentials", nil, 200, object(jsonSchema{"ok": jsonSchema{"type": "boolean"}, "message": jsonSchema{"type": "string"}})},
	"GET /api/v1/connectors":            {"List connection types and their operations", nil, 200, itemsOf("connectors")},

	"GET /api/v1/node-types":                  {"List node types with their config schemas", nil, 200, listOf("node_types", nodeTypeView{})},
	"GET /api/v1/flows":                       {"List flows with each one's last run and its runs finished and failed in the last 24 hours", nil, 200, flowList{}},
	"POST /api/v1/flows":                      {"Create a flow", flowRequest{}, 201, flowView{}},
	"GET /api/v1/flows/:id":                   {"Get a flow with its draft definition", nil, 200, flowView{}},
	"PUT /api/v1/flows/:id":                   {"Save a new draft version", flowRequest{}, 200, flowView{}},
	"DELETE /api/v1/flows/:id":                {"Delete a flow", nil, 204, nil},
	"GET /api/v1/flows/:id/versions":          {"List a flow's versions", nil, 200, itemsOf("versions")},
	"GET /api/v1/flows/:id/versions/:version": {"Get one version", nil, 200, anyObject},
	"POST /api/v1/flows/:id/publish":          {"Publish a version", publishRequest{}, 200, flowView{}},
	"POST /api/v1/flows/:id/test-run":         {"Run a flow inline on sample data", testRunRequest{}, 200, testRunResponse{}},
	"GET /api/v1/flows/:id/hooks":             {"List a flow's webhook endpoints", nil, 200, listOf("hooks", hookView{})},
	"POST /api/v1/hooks/:id/secret":           {"Rotate a webhook's secret, keeping the old one for a grace period", hookSecretRequest{}, 200, hookView{}},
	"POST /api/v1/events/:name":               {"Publish an event to the flows listening for it", publishEventRequest{}, 202, object(jsonSchema{"run_ids": jsonSchema{"type": "array", "items": jsonSchema{"type": "string"}}})},

	"GET /api/v1/runs":     {"Search runs", nil, 200, anyObject},
	"GET /api/v1/runs/:id": {"Get a run with its steps", nil, 200, object(jsonSchema{"run": schemaOf(store.Run{}), "steps": jsonSchema{"type": "array", "items": schemaOf(store.RunStep{})}})},

	"GET /api/v1/settings":              {"Read the tenant's settings (outbound_allow read-only)", nil, 200, tenantSettings{}},
	"PUT /api/v1/settings":              {"Change the tenant's settings (payload retention)", settingsView{}, 200, settingsView{}},
	"POST /api/v1/runs/:id/replay":      {"Replay a finished run from its trigger, its failed step or any step, optionally with an edited input", replayRequest{}, 202, runner.ReplayPlan{}},
	"POST /api/v1/runs/:id/cancel":      {"Cancel a queued, running or waiting run", nil, 200, object(jsonSchema{"id": jsonSchema{"type": "string"}, "status": jsonSchema{"type": "string"}})},
	"GET /api/v1/dead-letters":          {"List dead letters (failed runs not replayed) with counts by error", nil, 200, anyObject},
	"POST /api/v1/dead-letters/replay":  {"Replay every dead letter matching a filter, rate-limited (or list what would happen)", bulkReplayRequest{}, 202, anyObject},
	"POST /api/v1/mapping/suggest":      {"Suggest field mappings and a jq program from samples to a target", anyObject, 200, anyObject},
	"POST /api/v1/mapping/program":      {"Build the jq program of chosen field pairs and run it on the samples", anyObject, 200, anyObject},
	"POST /api/v1/mapping/accept":       {"Record accepted mappings in the tenant's corpus", anyObject, 200, anyObject},
	"POST /api/v1/schemas/infer":        {"Infer a data schema from samples or a flow's recent payloads", anyObject, 200, anyObject},
	"GET /api/v1/schemas":               {"List accepted data schemas", nil, 200, anyObject},
	"POST /api/v1/schemas":              {"Accept a data schema, optionally bound to a flow (warn or fail)", anyObject, 201, anyObject},
	"GET /api/v1/schemas/:id":           {"Get a data schema", nil, 200, anyObject},
	"POST /api/v1/schemas/:id/validate": {"Validate documents against a data schema", anyObject, 200, anyObject},
	"GET /api/v1/anomalies":             {"List anomaly flags", nil, 200, anyObject},
	"POST /api/v1/anomalies/scan":       {"Scan recent runs for anomalies now", anyObject, 200, anyObject},

	"GET /api/v1/templates":                {"List the template gallery", nil, 200, anyObject},
	"GET /api/v1/templates/:slug":          {"Get a template with its parameter schema", nil, 200, anyObject},
	"POST /api/v1/templates/:slug/install": {"Install (or upgrade) a template's flows, published with their hooks", InstallRequest{}, 200, anyObject},
	"POST /api/v1/expressions/preview":     {"Evaluate a jq program or expr expression over sample data", PreviewRequest{}, 200, anyObject},

	"GET /api/v1/approvals":              {"List approvals, pending first", nil, 200, anyObject},
	"GET /api/v1/approvals/:id":          {"Get an approval", nil, 200, anyObject},
	"POST /api/v1/approvals/:id/approve": {"Approve (the approval's own rule says who may)", anyObject, 200, anyObject},
	"POST /api/v1/approvals/:id/reject":  {"Reject (the approval's own rule says who may)", anyObject, 200, anyObject},

	"GET /metrics":                         {"Prometheus metrics (bearer BRIDGEWORK_METRICS_TOKEN)", nil, 200, jsonSchema{}},
	"GET /api/v1/alert-rules":              {"List alert rules", nil, 200, anyObject},
	"POST /api/v1/alert-rules":             {"Create an alert rule", anyObject, 201, anyObject},
	"GET /api/v1/alert-rules/:id":          {"Get an alert rule", nil, 200, anyObject},
	"PUT /api/v1/alert-rules/:id":          {"Change an alert rule", anyObject, 200, anyObject},
	"DELETE /api/v1/alert-rules/:id":       {"Delete an alert rule", nil, 204, nil},
	"POST /api/v1/alert-rules/:id/silence": {"Silence an alert rule until a time", anyObject, 200, anyObject},
	"GET /api/v1/alerts":                   {"Alert history, newest first", nil, 200, anyObject},
	"GET /api/v1/stats/summary":            {"Dashboard figures over a window", nil, 200, anyObject},

	"GET /api/v1/users":                  {"List users", nil, 200, listOf("users", store.User{})},
	"POST /api/v1/users":                 {"Invite a user (the answer holds a one-time reset token)", createUserRequest{}, 201, userCreated{}},
	"GET /api/v1/users/:id":              {"Get a user", nil, 200, store.User{}},
	"PATCH /api/v1/users/:id":            {"Change a user's role or disable them", updateUserRequest{}, 200, store.User{}},
	"DELETE /api/v1/users/:id":           {"Delete a user", nil, 204, nil},
	"POST /api/v1/users/:id/reset-token": {"Issue a one-time password reset token", nil, 201, resetTokenView{}},
	"GET /api/v1/api-keys":               {"List API keys (prefixes only)", nil, 200, listOf("api_keys", store.APIKey{})},
	"POST /api/v1/api-keys":              {"Create an API key (shown once)", createAPIKeyRequest{}, 201, apiKeyCreated{}},
	"DELETE /api/v1/api-keys/:id":        {"Revoke an API key", nil, 200, store.APIKey{}},
	"GET /api/v1/audit":                  {"Read the audit log, newest first", nil, 200, listOf("entries", store.AuditEntry{})},
}

// errorSchema is the one error shape every failing route answers with.
var errorSchema = object(jsonSchema{"error": jsonSchema{
	"type": "object", "required": []any{"code", "message"},
	"properties": jsonSchema{
		"code": jsonSchema{"type": "string"}, "message": jsonSchema{"type": "string"},
		"details": jsonSchema{"type": "array", "items": schemaOf(Detail{})},
	},
}})

var (
	docOnce sync.Once
	doc     jsonSchema
)

// openAPI serves the OpenAPI 3.1 description of every route.
func (s *Server) openAPI(c *fiber.Ctx) error {
	docOnce.Do(func() { doc = apiDocument() })
	return c.JSON(doc)
}

// apiDocument builds the document from the registered routes and operations.
func apiDocument() jsonSchema {
	paths := jsonSchema{}
	keys := make([]string, 0, len(operations))
	for k := range operations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		op := operations[key]
		method, path, _ := strings.Cut(key, " ")
		oaPath, params := openAPIPath(path)
		item, _ := paths[oaPath].(jsonSchema)
		if item == nil {
			item = jsonSchema{}
			paths[oaPath] = item
		}
		o := jsonSchema{
			"summary":    op.summary,
			"parameters": params,
			"responses": jsonSchema{
				strconv.Itoa(op.status): response(op.reply),
				"default":               jsonSchema{"description": "an error", "content": jsonContent(jsonSchema{"$ref": "#/components/schemas/Error"})},
			},
		}
		for status, reply := range otherReplies[key] {
			o["responses"].(jsonSchema)[strconv.Itoa(status)] = response(reply)
		}
		if !strings.HasPrefix(path, "/api/v1/auth/") && path != "/healthz" && path != "/readyz" && !strings.HasPrefix(path, "/hooks/") && path != "/api/v1/openapi.json" {
			o["security"] = []any{jsonSchema{"bearer": []any{}}}
		}
		if op.request != nil {
			o["requestBody"] = jsonSchema{"content": jsonContent(asSchema(op.request))}
		}
		item[strings.ToLower(method)] = o
	}
	return jsonSchema{
		"openapi": "3.1.0",
		"info":    jsonSchema{"title": "Bridgework API", "version": "1"},
		"paths":   paths,
		"components": jsonSchema{
			"schemas":         jsonSchema{"Error": errorSchema},
			"securitySchemes": jsonSchema{"bearer": jsonSchema{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
		},
	}
}

func response(reply any) jsonSchema {
	if reply == nil {
		return jsonSchema{"description": "no content"}
	}
	return jsonSchema{"description": "success", "content": jsonContent(asSchema(reply))}
}

func jsonContent(s jsonSchema) jsonSchema {
	return jsonSchema{"application/json": jsonSchema{"schema": s}}
}

// asSchema takes a JSON Schema as it is and derives one from any other value.
func asSchema(v any) jsonSchema {
	if s, ok := v.(jsonSchema); ok {
		return s
	}
	return schemaOf(v)
}

// openAPIPath turns "/flows/:id" into "/flows/{id}" with its parameters.
func openAPIPath(path string) (string, []any) {
	params := []any{}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
			params = append(params, jsonSchema{"name": name, "in": "path", "required": true, "schema": jsonSchema{"type": "string"}})
		}
	}
	return strings.Join(parts, "/"), params
}
