package runner

import (
	"encoding/json"
	"time"
)

// Replay modes.
const (
	FromTrigger    = "trigger"     // run the whole flow again on the trigger payload
	FromFailedStep = "failed_step" // reuse every step the failure did not depend on
	FromStep       = "step"        // reuse every step that is not the given one or after it
)

// Replay flow versions.
const (
	VersionOriginal  = "original"  // the version the replayed run used
	VersionPublished = "published" // the flow's current published version
)

// ReplaySpec is stored on a replay run: what was asked, by whom and when.
type ReplaySpec struct {
	Of           string          `json:"of"`
	From         string          `json:"from"`
	Step         string          `json:"step,omitempty"`
	Input        json.RawMessage `json:"input,omitempty"`
	Version      string          `json:"version"`
	ForceEffects bool            `json:"force_effects,omitempty"`
	By           string          `json:"by"`
	At           time.Time       `json:"at"`
	Note         string          `json:"note,omitempty"`
}
