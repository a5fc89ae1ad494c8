package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
)

// nodeTypeView is a node type as the editor needs it: the spec with its
// config schema.
type nodeTypeView struct {
	Type         string            `json:"type"`
	Title        string            `json:"title"`
	Category     string            `json:"category"`
	Description  string            `json:"description"`
	ConfigSchema *engine.Schema    `json:"config_schema"`
	Ports        []string          `json:"ports"`
	DynamicPorts bool              `json:"dynamic_ports,omitempty"`
	Trigger      bool              `json:"trigger"`
	SideEffects  bool              `json:"side_effects,omitempty"`
	Variables    []engine.Variable `json:"variables,omitempty"`
	Examples     []engine.Example  `json:"examples,omitempty"`
}

func (s *Server) listNodeTypes(c *fiber.Ctx) error {
	specs := s.Plans.Registry().Specs()
	out := make([]nodeTypeView, 0, len(specs))
	for _, sp := range specs {
		out = append(out, nodeTypeView{Type: sp.Type, Title: sp.Title, Category: sp.Category, Description: sp.Description,
			ConfigSchema: sp.Config, Ports: sp.Ports, DynamicPorts: sp.DynamicPorts, Trigger: sp.Trigger,
			SideEffects: sp.SideEffects, Variables: sp.Variables, Examples: sp.Examples})
	}
	return c.JSON(fiber.Map{"node_types": out})
}
