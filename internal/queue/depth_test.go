package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestDepthsCountReadyJobsAndTheirAge(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		ctx := context.Background()
		st := testdb.Open(t, dialect)
		q, err := queue.New(st, queue.NewWorkers(), queue.Config{}) // insert-only: nothing works the jobs
		if err != nil {
			t.Fatal(err)
		}
		depths, err := q.Depths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(depths) != 1 || depths[0].Queue != river.QueueDefault || depths[0].Jobs != 0 || !depths[0].Oldest.IsZero() {
			t.Fatalf("empty queue depths = %+v, want the default queue at 0", depths)
		}
		before := time.Now().Add(-time.Second)
		for range 2 {
			if err := st.InTx(ctx, func(tx *store.Tx) error {
				_, err := q.InsertTx(ctx, tx, queue.NoopArgs{}, nil)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		depths, err = q.Depths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(depths) != 1 || depths[0].Jobs != 2 || depths[0].Oldest.Before(before) || depths[0].Oldest.After(time.Now().Add(time.Second)) {
			t.Fatalf("depths = %+v, want 2 jobs ready since just now", depths)
		}
	})
}
