// Package builtin assembles the connection types Bridgework ships with.
package builtin

import (
	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/epicor"
	"github.com/bridgework/bridgework/connectors/heartland"
	"github.com/bridgework/bridgework/connectors/rest"
)

// Registry returns the registry of the heartland, epicor and http
// connection types. The specs are static, so an error here is a bug; it
// panics.
func Registry() *connectors.Registry {
	r, err := connectors.NewRegistry(heartland.Spec(), epicor.Spec(), rest.Spec())
	if err != nil {
		panic(err)
	}
	return r
}
