package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/store"
)

// baseline measures the queue alone: BaselineJobs no-op jobs are inserted on a
// fresh database, then a client with the server's settings works them; the
// answer is jobs per second from its start until the last one completed.
func baseline(ctx context.Context, dbs *databases, dialect string, o Options) (float64, error) {
	raw, err := dbs.fresh(ctx, dialect)
	if err != nil {
		return 0, err
	}
	dbCfg, err := config.ParseDatabaseURL(raw)
	if err != nil {
		return 0, err
	}
	st, err := store.Open(ctx, dbCfg, store.Options{})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if err := queue.Migrate(ctx, st); err != nil {
		return 0, err
	}
	q, err := queue.New(st, queue.NewWorkers(), queue.Config{Workers: o.Workers,
		FetchCooldown: o.FetchCooldown, FetchPollInterval: o.FetchPollInterval})
	if err != nil {
		return 0, err
	}
	const perTx = 500
	for done := 0; done < o.BaselineJobs; done += perTx {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for range min(perTx, o.BaselineJobs-done) {
				if _, err := q.InsertTx(ctx, tx, queue.NoopArgs{}, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	began := time.Now()
	if err := q.Start(ctx); err != nil {
		return 0, err
	}
	defer q.Stop(context.Background())
	deadline := began.Add(o.Drain)
	for {
		var left int
		if err := st.SQL().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state <> 'completed'").Scan(&left); err != nil {
			return 0, err
		}
		if left == 0 {
			return float64(o.BaselineJobs) / time.Since(began).Seconds(), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%d no-op jobs still not completed after %s", left, o.Drain)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
