package store

import (
	"context"
	"time"
)

// TakeRun counts one run against a tenant's quota of perMinute runs per
// minute, shared by every process on the database. It is a token bucket
// holding perMinute runs that refills evenly (the generic cell rate
// algorithm, one statement): when it is empty, ok is false and retryAfter
// says when the next run fits.
func (s *Store) TakeRun(ctx context.Context, tenantID string, perMinute int, now time.Time) (ok bool, retryAfter time.Duration, err error) {
	interval := time.Minute.Microseconds() / int64(perMinute)
	window := time.Minute.Microseconds()
	at := now.UnixMicro()
	greatest := "GREATEST"
	if s.dialect == SQLite {
		greatest = "MAX"
	}
	var tat []int64
	err = s.system(ctx).Raw(`INSERT INTO tenant_run_quota (tenant_id, tat) VALUES (?, ?)
ON CONFLICT (tenant_id) DO UPDATE SET tat = `+greatest+`(tenant_run_quota.tat, ?) + ?
WHERE `+greatest+`(tenant_run_quota.tat, ?) + ? - ? <= ?
RETURNING tat`, tenantID, at+interval, at, interval, at, interval, at, window).Scan(&tat).Error
	if err != nil {
		return false, 0, translate(err)
	}
	if len(tat) == 1 {
		return true, 0, nil
	}
	var current int64
	if err := s.system(ctx).Raw("SELECT tat FROM tenant_run_quota WHERE tenant_id = ?", tenantID).Scan(&current).Error; err != nil {
		return false, 0, translate(err)
	}
	return false, time.Duration(current+interval-window-at) * time.Microsecond, nil
}
