package server

// routes declares every HTTP route of Bridgework, top to bottom.
func (s *Server) routes() {
	app := s.app
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", s.metrics)
	app.Post("/hooks/:id", s.observeWebhook, s.receiveWebhook)

	api := app.Group("/api/v1")
	api.Post("/tenants", s.requireAdmin, s.createTenant)
	api.Post("/auth/token", s.issueToken)

	tenant := api.Group("", s.requireTenant)
	tenant.Get("/connections", s.listConnections)
	tenant.Post("/connections", s.createConnection)
	tenant.Get("/connections/:id", s.getConnection)
	tenant.Put("/connections/:id", s.updateConnection)
	tenant.Delete("/connections/:id", s.deleteConnection)
	tenant.Post("/connections/:id/test", s.testConnection)
	tenant.Get("/connectors", s.listConnectors)

	tenant.Get("/node-types", s.listNodeTypes)
	tenant.Get("/flows", s.listFlows)
	tenant.Post("/flows", s.createFlow)
	tenant.Get("/flows/:id", s.getFlow)
	tenant.Put("/flows/:id", s.updateFlow)
	tenant.Delete("/flows/:id", s.deleteFlow)
	tenant.Get("/flows/:id/versions", s.listFlowVersions)
	tenant.Get("/flows/:id/versions/:version", s.getFlowVersion)
	tenant.Post("/flows/:id/publish", s.publishFlow)
	tenant.Post("/flows/:id/test-run", s.testRun)
	tenant.Get("/flows/:id/hooks", s.listFlowHooks)
	tenant.Post("/hooks/:id/secret", s.setHookSecret)
	tenant.Post("/events/:name", s.publishEvent)

	tenant.Get("/settings", s.getSettings)
	tenant.Put("/settings", s.updateSettings)

	tenant.Get("/runs", s.listRuns)
	tenant.Get("/runs/:id", s.getRun)
	tenant.Post("/runs/:id/replay", s.replayRun)
	tenant.Post("/runs/:id/cancel", s.cancelRun)
	tenant.Get("/dead-letters", s.listDeadLetters)
	tenant.Post("/dead-letters/replay", s.replayDeadLetters)

	tenant.Post("/mapping/suggest", s.suggestMapping)
	tenant.Post("/mapping/accept", s.acceptMapping)
	tenant.Post("/schemas/infer", s.inferSchema)
	tenant.Get("/schemas", s.listSchemas)
	tenant.Post("/schemas", s.createSchema)
	tenant.Get("/schemas/:id", s.getSchema)
	tenant.Post("/schemas/:id/validate", s.validateWithSchema)
	tenant.Get("/anomalies", s.listAnomalies)
	tenant.Post("/anomalies/scan", s.scanAnomalies)
	tenant.Get("/alert-rules", s.listAlertRules)
	tenant.Post("/alert-rules", s.createAlertRule)
	tenant.Get("/alert-rules/:id", s.getAlertRule)
	tenant.Put("/alert-rules/:id", s.updateAlertRule)
	tenant.Delete("/alert-rules/:id", s.deleteAlertRule)
	tenant.Post("/alert-rules/:id/silence", s.silenceAlertRule)
	tenant.Get("/alerts", s.listAlerts)
	tenant.Get("/stats/summary", s.statsSummary)

	api.Use(s.unknownRoute)

	app.Use(s.spa)
}
