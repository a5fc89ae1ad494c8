package runner

import (
	"context"
	"sync"
	"time"

	"github.com/bridgework/bridgework/store"
)

// SuspendedRecheck is how often a suspended tenant's held runs look again.
const SuspendedRecheck = time.Minute

// statusTTL bounds how long a suspension or resumption takes to reach workers.
const statusTTL = 5 * time.Second

// tenantStatus caches whether tenants are active, so each run does not cost a
// query.
type tenantStatus struct {
	mu    sync.Mutex
	known map[string]tenantState
}

type tenantState struct {
	active  bool
	fetched time.Time
}

func (t *tenantStatus) active(ctx context.Context, st *store.Store, tenantID string) (bool, error) {
	t.mu.Lock()
	s, ok := t.known[tenantID]
	t.mu.Unlock()
	if ok && time.Since(s.fetched) < statusTTL {
		return s.active, nil
	}
	active, err := st.TenantActive(ctx, tenantID)
	if err != nil {
		return false, err
	}
	t.mu.Lock()
	if t.known == nil {
		t.known = map[string]tenantState{}
	}
	t.known[tenantID] = tenantState{active: active, fetched: time.Now()}
	t.mu.Unlock()
	return active, nil
}
