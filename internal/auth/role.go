package auth

// Role is what a user or API key may do in its tenant. Roles are ordered:
// each one may do everything the roles below it may.
type Role int

// The roles, lowest first.
const (
	// RoleViewer reads flows, connections and runs (payloads hidden when the
	// tenant asks for it).
	RoleViewer Role = iota + 1
	// RoleSupport also replays and cancels runs; it never sees secrets and
	// never edits flows.
	RoleSupport
	// RoleEditor also edits flows, connections, hooks and installs templates.
	RoleEditor
	// RoleAdmin also manages users, API keys and reads the audit log.
	RoleAdmin
)

var roleNames = [...]string{RoleViewer: "viewer", RoleSupport: "support", RoleEditor: "editor", RoleAdmin: "admin"}

// Roles lists every role, lowest first.
var Roles = []Role{RoleViewer, RoleSupport, RoleEditor, RoleAdmin}

// String is the role's stored name.
func (r Role) String() string {
	if r < RoleViewer || r > RoleAdmin {
		return "none"
	}
	return roleNames[r]
}

// ParseRole reads a stored role name; unknown names report false.
func ParseRole(name string) (Role, bool) {
	for _, r := range Roles {
		if roleNames[r] == name {
			return r, true
		}
	}
	return 0, false
}

// AtLeast reports whether r may do what min may.
func (r Role) AtLeast(min Role) bool { return r >= min && min >= RoleViewer }
