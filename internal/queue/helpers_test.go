package queue_test

import (
	"encoding/json"
	"testing"
	"time"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// timeout returns a channel that fires after a generous deadline.
func timeout(t *testing.T) <-chan time.Time {
	t.Helper()
	return time.After(20 * time.Second)
}
