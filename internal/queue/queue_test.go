package queue_test

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// A job inserted in a store transaction exists exactly when the transaction's
// rows do: a rollback leaves neither, a commit leaves both.
func TestInsertTxSharesTheStoreTransaction(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		ctx := context.Background()
		st := testdb.Open(t, dialect)
		q, err := queue.New(st, queue.NewWorkers(), queue.Config{})
		if err != nil {
			t.Fatal(err)
		}
		errRollback := errors.New("roll back")
		insert := func(slug string, fail bool) error {
			return st.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.CreateTenant(ctx, &store.Tenant{Slug: slug, Name: slug},
					&store.User{Email: "a@" + slug + ".test", PasswordHash: "x", Role: "admin"},
					&store.APIKey{Name: "k", Prefix: slug, KeyHash: "h-" + slug, Role: "admin"}); err != nil {
					return err
				}
				if _, err := q.InsertTx(ctx, tx, queue.NoopArgs{Tag: slug}, nil); err != nil {
					return err
				}
				if fail {
					return errRollback
				}
				return nil
			})
		}
		if err := insert("rolled", true); !errors.Is(err, errRollback) {
			t.Fatalf("rollback path: %v", err)
		}
		if err := insert("committed", false); err != nil {
			t.Fatalf("commit path: %v", err)
		}
		jobs, err := q.River().JobList(ctx, river.NewJobListParams().Kinds("noop").First(100))
		if err != nil {
			t.Fatal(err)
		}
		tags := map[string]int{}
		for _, j := range jobs.Jobs {
			var args struct{ Tag string }
			if err := jsonUnmarshal(j.EncodedArgs, &args); err != nil {
				t.Fatal(err)
			}
			tags[args.Tag]++
		}
		if tags["rolled"] != 0 {
			t.Errorf("rolled-back transaction left %d job(s)", tags["rolled"])
		}
		if tags["committed"] != 1 {
			t.Errorf("committed transaction left %d job(s), want 1", tags["committed"])
		}
		if _, err := st.TenantBySlug(ctx, "rolled"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back tenant: err = %v, want ErrNotFound", err)
		}
		if _, err := st.TenantBySlug(ctx, "committed"); err != nil {
			t.Errorf("committed tenant missing: %v", err)
		}
	})
}

// Jobs inserted in a committed transaction are worked by a started client,
// woken by a notification or, poll-only (behind a transaction pooler), by
// polling.
func TestCommittedJobIsWorked(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		for _, pollOnly := range []bool{false, true} {
			t.Run(map[bool]string{false: "listen", true: "poll-only"}[pollOnly], func(t *testing.T) {
				t.Parallel()
				workCommittedJob(t, dialect, queue.Config{Workers: 2, PollOnly: pollOnly})
			})
		}
	})
}

// workCommittedJob commits a job and waits until a client configured by cfg
// has worked it.
func workCommittedJob(t *testing.T, dialect string, cfg queue.Config) {
	ctx := context.Background()
	st := testdb.Open(t, dialect)
	q, err := queue.New(st, queue.NewWorkers(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := q.River().Subscribe(river.EventKindJobCompleted)
	defer cancel()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	if err := st.InTx(ctx, func(tx *store.Tx) error {
		_, err := q.InsertTx(ctx, tx, queue.NoopArgs{Tag: "work"}, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev.Job.Kind != "noop" {
			t.Fatalf("completed job kind %q", ev.Job.Kind)
		}
	case <-timeout(t):
		t.Fatal("the job was not worked within the deadline")
	}
}
