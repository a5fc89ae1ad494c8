// Package chaos holds the crash and fault tests that prove Bridgework's
// delivery guarantees: a real bridgework process on Postgres, killed with
// SIGKILL while orders stream through it to the Epicor sandbox, must end with
// every accepted order written exactly once.
package chaos
