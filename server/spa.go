package server

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// reservedPrefixes are never answered by the web app, even for unknown paths.
var reservedPrefixes = []string{"/api/", "/hooks/", "/metrics", "/healthz", "/readyz"}

// spa serves the embedded browser app: hashed assets with a year-long
// immutable cache, every other existing file revalidated, and index.html for
// app routes (paths without a file extension) so deep links work.
func (s *Server) spa(c *fiber.Ctx) error {
	if s.WebApp == nil || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
		return c.Next()
	}
	p := c.Path()
	for _, r := range reservedPrefixes {
		if strings.HasPrefix(p, r) {
			return c.Next()
		}
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "" {
		name = "index.html"
	}
	body, err := fs.ReadFile(s.WebApp, name)
	if err != nil {
		if path.Ext(name) != "" {
			return c.Next() // a missing asset is a 404, not the app
		}
		name = "index.html"
		if body, err = fs.ReadFile(s.WebApp, name); err != nil {
			return c.Next()
		}
	}
	if strings.HasPrefix(name, "assets/") {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	return c.Send(body)
}
