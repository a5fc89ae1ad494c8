package server

import "github.com/bridgework/bridgework/internal/auth"

// The minimum role of each tenant route, named where the route is declared.
const (
	viewer  = auth.RoleViewer
	support = auth.RoleSupport
	editor  = auth.RoleEditor
	admin   = auth.RoleAdmin
)

// routes declares every HTTP route of Bridgework, top to bottom. Every tenant
// route states the lowest role allowed to call it with s.allow.
func (s *Server) routes() {
	app := s.app
	app.Use(s.securityHeaders)
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", s.metrics)
	if s.HealthOnly {
		return
	}
	app.Post("/hooks/:id", s.observeWebhook, s.receiveWebhook)

	api := app.Group("/api/v1")
	api.Get("/openapi.json", s.openAPI)
	api.Post("/auth/token", s.issueToken)
	api.Post("/auth/reset", s.resetPassword)

	api.Post("/tenants", s.requireAdmin, s.createTenant)
	api.Get("/tenants", s.requireAdmin, s.listTenants)
	api.Get("/tenants/:id", s.requireAdmin, s.getTenant)
	api.Patch("/tenants/:id", s.requireAdmin, s.updateTenant)
	api.Post("/tenants/:id/suspend", s.requireAdmin, s.suspendTenant)
	api.Post("/tenants/:id/resume", s.requireAdmin, s.resumeTenant)
	api.Delete("/tenants/:id", s.requireAdmin, s.deleteTenant)

	tenant := api.Group("", s.requireTenant)
	tenant.Get("/connections", s.allow(viewer), s.listConnections)
	tenant.Post("/connections", s.allow(editor), s.createConnection)
	tenant.Get("/connections/:id", s.allow(viewer), s.getConnection)
	tenant.Put("/connections/:id", s.allow(editor), s.updateConnection)
	tenant.Delete("/connections/:id", s.allow(editor), s.deleteConnection)
	tenant.Post("/connections/:id/test", s.allow(editor), s.testConnection)
	tenant.Get("/connectors", s.allow(viewer), s.listConnectors)

	tenant.Get("/node-types", s.allow(viewer), s.listNodeTypes)
	tenant.Get("/flows", s.allow(viewer), s.listFlows)
	tenant.Post("/flows", s.allow(editor), s.createFlow)
	tenant.Get("/flows/:id", s.allow(viewer), s.getFlow)
	tenant.Put("/flows/:id", s.allow(editor), s.updateFlow)
	tenant.Delete("/flows/:id", s.allow(editor), s.deleteFlow)
	tenant.Get("/flows/:id/versions", s.allow(viewer), s.listFlowVersions)
	tenant.Get("/flows/:id/versions/:version", s.allow(viewer), s.getFlowVersion)
	tenant.Post("/flows/:id/publish", s.allow(editor), s.publishFlow)
	tenant.Post("/flows/:id/test-run", s.allow(editor), s.testRun)
	tenant.Get("/flows/:id/hooks", s.allow(viewer), s.listFlowHooks)
	tenant.Post("/hooks/:id/secret", s.allow(editor), s.setHookSecret)
	tenant.Post("/events/:name", s.allow(editor), s.publishEvent)

	tenant.Get("/templates", s.allow(viewer), s.listTemplates)
	tenant.Get("/templates/:slug", s.allow(viewer), s.getTemplate)
	tenant.Post("/templates/:slug/install", s.allow(editor), s.installTemplate)
	tenant.Post("/expressions/preview", s.allow(editor), s.previewExpression)

	tenant.Get("/settings", s.allow(viewer), s.getSettings)
	tenant.Put("/settings", s.allow(admin), s.updateSettings)

	tenant.Get("/runs", s.allow(viewer), s.listRuns)
	tenant.Get("/runs/:id", s.allow(viewer), s.getRun)
	tenant.Post("/runs/:id/replay", s.allow(support), s.replayRun)
	tenant.Post("/runs/:id/cancel", s.allow(support), s.cancelRun)
	tenant.Get("/dead-letters", s.allow(viewer), s.listDeadLetters)
	tenant.Post("/dead-letters/replay", s.allow(support), s.replayDeadLetters)

	tenant.Get("/approvals", s.allow(viewer), s.listApprovals)
	tenant.Get("/approvals/:id", s.allow(viewer), s.getApproval)
	tenant.Post("/approvals/:id/approve", s.allow(viewer), s.decideApproval(true))
	tenant.Post("/approvals/:id/reject", s.allow(viewer), s.decideApproval(false))

	tenant.Post("/mapping/suggest", s.allow(editor), s.suggestMapping)
	tenant.Post("/mapping/program", s.allow(editor), s.mappingProgram)
	tenant.Post("/mapping/accept", s.allow(editor), s.acceptMapping)
	tenant.Post("/schemas/infer", s.allow(editor), s.inferSchema)
	tenant.Get("/schemas", s.allow(viewer), s.listSchemas)
	tenant.Post("/schemas", s.allow(editor), s.createSchema)
	tenant.Get("/schemas/:id", s.allow(viewer), s.getSchema)
	tenant.Post("/schemas/:id/validate", s.allow(viewer), s.validateWithSchema)
	tenant.Get("/anomalies", s.allow(viewer), s.listAnomalies)
	tenant.Post("/anomalies/scan", s.allow(support), s.scanAnomalies)

	tenant.Get("/users", s.allow(admin), s.listUsers)
	tenant.Post("/users", s.allow(admin), s.createUser)
	tenant.Get("/users/:id", s.allow(admin), s.getUser)
	tenant.Patch("/users/:id", s.allow(admin), s.updateUser)
	tenant.Delete("/users/:id", s.allow(admin), s.deleteUser)
	tenant.Post("/users/:id/reset-token", s.allow(admin), s.createResetToken)
	tenant.Get("/api-keys", s.allow(admin), s.listAPIKeys)
	tenant.Post("/api-keys", s.allow(admin), s.createAPIKey)
	tenant.Delete("/api-keys/:id", s.allow(admin), s.revokeAPIKey)
	tenant.Get("/audit", s.allow(admin), s.listAudit)

	tenant.Get("/alert-rules", s.allow(viewer), s.listAlertRules)
	tenant.Post("/alert-rules", s.allow(editor), s.createAlertRule)
	tenant.Get("/alert-rules/:id", s.allow(viewer), s.getAlertRule)
	tenant.Put("/alert-rules/:id", s.allow(editor), s.updateAlertRule)
	tenant.Delete("/alert-rules/:id", s.allow(editor), s.deleteAlertRule)
	tenant.Post("/alert-rules/:id/silence", s.allow(support), s.silenceAlertRule)
	tenant.Get("/alerts", s.allow(viewer), s.listAlerts)
	tenant.Get("/stats/summary", s.allow(viewer), s.statsSummary)

	api.Use(s.unknownRoute)

	app.Use(s.spa)
}
