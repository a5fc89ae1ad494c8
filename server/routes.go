package server

// routes declares every HTTP route of Bridgework, top to bottom.
func (s *Server) routes() {
	app := s.app
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)

	api := app.Group("/api/v1")
	api.Post("/tenants", s.requireAdmin, s.createTenant)
	api.Post("/auth/token", s.issueToken)

	tenant := api.Group("", s.requireTenant)
	tenant.Get("/connections", s.listConnections)
	tenant.Post("/connections", s.createConnection)
	tenant.Get("/connections/:id", s.getConnection)
	tenant.Put("/connections/:id", s.updateConnection)
	tenant.Delete("/connections/:id", s.deleteConnection)

	api.Use(s.unknownRoute)
}
