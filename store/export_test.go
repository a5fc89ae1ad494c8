package store

import "context"

// UnscopedConnectionCountForTest issues a query on a tenant-owned table
// without any scope, to prove the tenancy callbacks refuse it.
func (s *Store) UnscopedConnectionCountForTest(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Connection{}).Count(&n).Error
	return n, err
}

// Statements the plan tests prepare as Postgres would.
const (
	BeginAttemptsSQLForTest = beginAttemptsSQL
	SettleRunsSQLForTest    = settleRunsSQL
)
