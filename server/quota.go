package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/store"
)

// takeRun counts one run against the tenant's runs-per-minute quota, which
// every process shares.
func (s *Server) takeRun(ctx context.Context, t *store.Tenant) error {
	if t.MaxRunsPerMinute <= 0 {
		return nil
	}
	ok, wait, err := s.Store.TakeRun(ctx, t.ID, t.MaxRunsPerMinute, time.Now())
	if err != nil || ok {
		return err
	}
	return &RetryError{APIError: apiError(fiber.StatusTooManyRequests, "quota_exceeded",
		"this tenant may start %d runs per minute", t.MaxRunsPerMinute), RetryAfter: wait}
}

// checkFlowQuota refuses a new flow when the tenant has max_flows already.
func (s *Server) checkFlowQuota(ctx context.Context, ts *store.Scoped) error {
	t, err := s.Store.TenantByID(ctx, ts.TenantID())
	if err != nil || t.MaxFlows <= 0 {
		return err
	}
	n, err := ts.CountFlows(ctx)
	if err != nil {
		return err
	}
	if n >= t.MaxFlows {
		return apiError(fiber.StatusForbidden, "quota_exceeded", "this tenant may have at most %d flows", t.MaxFlows)
	}
	return nil
}
