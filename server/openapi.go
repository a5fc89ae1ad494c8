package server

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/store"
)

// operation documents one route: what it does, the JSON body it takes and
// the JSON it answers with (nil for an empty body) under status.
type operation struct {
	summary string
	request any // a Go value whose type is the body, or a schema
	status  int
	reply   any // a Go value whose type is the answer, or a schema
}

// otherReplies are further statuses of a route whose body is not the error shape.
var otherReplies = map[string]map[int]any{
	"GET /readyz":     {503: readiness},
	"POST /hooks/:id": {200: object(schema{"run_id": schema{"type": "string"}, "duplicate": schema{"type": "boolean"}})},
}

var (
	anyObject = schema{"type": "object"}
	readiness = object(schema{"ready": schema{"type": "boolean"}, "checks": schema{"type": "object", "additionalProperties": schema{"type": "string"}}})
	itemsOf   = func(key string) schema { return object(schema{key: schema{"type": "array", "items": anyObject}}) }
)

// operations documents every route, keyed "METHOD /path" as registered. A
// route missing here fails TestOpenAPICoversEveryRoute.
var operations = map[string]operation{
	"GET /healthz":             {"Liveness", nil, 200, object(schema{"status": schema{"type": "string"}})},
	"GET /readyz":              {"Readiness of the database and the queue", nil, 200, readiness},
	"POST /hooks/:id":          {"Deliver a webhook (HMAC or token, see docs/security.md)", schema{}, 202, object(schema{"run_id": schema{"type": "string"}})},
	"GET /api/v1/openapi.json": {"This document", nil, 200, anyObject},
	"POST /api/v1/auth/token":  {"Exchange an API key, or e-mail and password, for an access token", tokenRequest{}, 200, tokenResponse{}},
	"POST /api/v1/auth/reset":  {"Set a password with a one-time reset token", resetPasswordRequest{}, 204, nil},

	"POST /api/v1/tenants":             {"Provision a tenant and its first admin", createTenantRequest{}, 201, createTenantResponse{}},
	"GET /api/v1/tenants":              {"List tenants", nil, 200, listOf("tenants", store.Tenant{})},
	"GET /api/v1/tenants/:id":          {"Get a tenant", nil, 200, store.Tenant{}},
	"PATCH /api/v1/tenants/:id":        {"Change a tenant's name, status, limits or retention", updateTenantRequest{}, 200, store.Tenant{}},
	"POST /api/v1/tenants/:id/suspend": {"Suspend a tenant", nil, 200, store.Tenant{}},
	"POST /api/v1/tenants/:id/resume":  {"Resume a suspended tenant", nil, 200, store.Tenant{}},
	"DELETE /api/v1/tenants/:id":       {"Delete a tenant and all its data (?confirm=<slug>)", nil, 204, nil},

	"GET /api/v1/connections":           {"List connections", nil, 200, listOf("connections", connectionView{})},
	"POST /api/v1/connections":          {"Create a connection", connectionRequest{}, 201, connectionView{}},
	"GET /api/v1/connections/:id":       {"Get a connection (never its secrets)", nil, 200, connectionView{}},
	"PUT /api/v1/connections/:id":       {"Update a connection", connectionRequest{}, 200, connectionView{}},
	"DELETE /api/v1/connections/:id":    {"Delete a connection", nil, 204, nil},
	"POST /api/v1/connections/:id/test": {"Test a connection's credentials", nil, 200, object(schema{"ok": schema{"type": "boolean"}, "message": schema{"type": "string"}})},
	"GET /api/v1/connectors":            {"List connection types and their operations", nil, 200, itemsOf("connectors")},

	"GET /api/v1/node-types":                  {"List node types with their config schemas", nil, 200, listOf("node_types", nodeTypeView{})},
	"GET /api/v1/flows":                       {"List flows", nil, 200, listOf("flows", flowView{})},
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
	"POST /api/v1/events/:name":               {"Publish an event to the flows listening for it", publishEventRequest{}, 202, object(schema{"run_ids": schema{"type": "array", "items": schema{"type": "string"}}})},

	"GET /api/v1/runs":     {"Search runs", nil, 200, anyObject},
	"GET /api/v1/runs/:id": {"Get a run with its steps", nil, 200, object(schema{"run": schemaOf(store.Run{}), "steps": schema{"type": "array", "items": schemaOf(store.RunStep{})}})},

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
var errorSchema = object(schema{"error": schema{
	"type": "object", "required": []any{"code", "message"},
	"properties": schema{
		"code": schema{"type": "string"}, "message": schema{"type": "string"},
		"details": schema{"type": "array", "items": schemaOf(Detail{})},
	},
}})

var (
	docOnce sync.Once
	doc     schema
)

// openAPI serves the OpenAPI 3.1 description of every route.
func (s *Server) openAPI(c *fiber.Ctx) error {
	docOnce.Do(func() { doc = apiDocument() })
	return c.JSON(doc)
}

// apiDocument builds the document from the registered routes and operations.
func apiDocument() schema {
	paths := schema{}
	keys := make([]string, 0, len(operations))
	for k := range operations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		op := operations[key]
		method, path, _ := strings.Cut(key, " ")
		oaPath, params := openAPIPath(path)
		item, _ := paths[oaPath].(schema)
		if item == nil {
			item = schema{}
			paths[oaPath] = item
		}
		o := schema{
			"summary":    op.summary,
			"parameters": params,
			"responses": schema{
				strconv.Itoa(op.status): response(op.reply),
				"default":               schema{"description": "an error", "content": jsonContent(schema{"$ref": "#/components/schemas/Error"})},
			},
		}
		for status, reply := range otherReplies[key] {
			o["responses"].(schema)[strconv.Itoa(status)] = response(reply)
		}
		if !strings.HasPrefix(path, "/api/v1/auth/") && path != "/healthz" && path != "/readyz" && !strings.HasPrefix(path, "/hooks/") && path != "/api/v1/openapi.json" {
			o["security"] = []any{schema{"bearer": []any{}}}
		}
		if op.request != nil {
			o["requestBody"] = schema{"content": jsonContent(asSchema(op.request))}
		}
		item[strings.ToLower(method)] = o
	}
	return schema{
		"openapi": "3.1.0",
		"info":    schema{"title": "Bridgework API", "version": "1"},
		"paths":   paths,
		"components": schema{
			"schemas":         schema{"Error": errorSchema},
			"securitySchemes": schema{"bearer": schema{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
		},
	}
}

func response(reply any) schema {
	if reply == nil {
		return schema{"description": "no content"}
	}
	return schema{"description": "success", "content": jsonContent(asSchema(reply))}
}

func jsonContent(s schema) schema { return schema{"application/json": schema{"schema": s}} }

// asSchema takes a schema as it is and derives one from any other value.
func asSchema(v any) schema {
	if s, ok := v.(schema); ok {
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
			params = append(params, schema{"name": name, "in": "path", "required": true, "schema": schema{"type": "string"}})
		}
	}
	return strings.Join(parts, "/"), params
}
