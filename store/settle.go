package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AttemptStart is one run for BeginAttempts to start, and its outcome: the
// run (marked running) and the status it had, or Err: ErrNotFound when the
// run does not exist, ErrConflict when it is already settled (succeeded,
// failed or cancelled), or a database error.
type AttemptStart struct {
	TenantID, RunID string

	Run      *Run
	Previous string
	Err      error
}

// BeginAttempts marks unsettled runs, of any tenants, running. A waiting run
// (resuming after a delay or an approval) continues its attempt; any other
// run starts the next one. On Postgres one statement starts them all (runs
// that cannot start are then looked up one by one to tell why); on SQLite
// one transaction. Each start gets its own outcome.
func (s *Store) BeginAttempts(ctx context.Context, starts []*AttemptStart) {
	if s.dialect != Postgres {
		// One write transaction for all: SQLite's cost is per commit. A
		// start's own outcome (not found, settled) does not end it.
		err := s.InTx(ctx, func(tx *Tx) error {
			for _, a := range starts {
				a.Run, a.Previous, a.Err = tx.Tenant(a.TenantID).beginAttemptSQLite(ctx, a.RunID)
				if a.Err != nil && !errors.Is(a.Err, ErrNotFound) && !errors.Is(a.Err, ErrConflict) {
					return a.Err
				}
			}
			return nil
		})
		if err != nil {
			setAttemptErr(starts, err)
		}
		return
	}
	type key struct {
		ID       string `json:"id"`
		TenantID string `json:"tenant_id"`
	}
	keys := make([]key, len(starts))
	for i, a := range starts {
		keys[i] = key{a.RunID, a.TenantID}
	}
	doc, err := json.Marshal(keys)
	if err != nil {
		setAttemptErr(starts, err)
		return
	}
	var rows []struct {
		Run
		PreviousStatus string
	}
	now := Now()
	ids := make([]string, len(starts))
	for i, a := range starts {
		ids[i] = a.RunID
	}
	if err := s.scanUnprepared(ctx, &rows, beginAttemptsSQL, string(doc), ids, now, now); err != nil {
		setAttemptErr(starts, translate(err))
		return
	}
	started := make(map[key]int, len(rows))
	for i, r := range rows {
		started[key{r.ID, r.TenantID}] = i
	}
	for _, a := range starts {
		i, ok := started[key{a.RunID, a.TenantID}]
		if !ok {
			a.Err = ErrConflict
			if _, err := s.Tenant(a.TenantID).Run(ctx, a.RunID); err != nil {
				a.Err = err
			}
			continue
		}
		run := rows[i].Run
		a.Run, a.Previous = &run, rows[i].PreviousStatus
	}
}

func setAttemptErr(starts []*AttemptStart, err error) {
	for _, a := range starts {
		a.Err = err
	}
}

// beginAttemptsSQL locks the runs (in id order, so concurrent statements
// cannot deadlock), reads their status and starts their attempts in one
// round trip; the locked subquery sees the status before the update. The
// runs come as one JSON parameter (with their ids again as an array, $2, see
// unprepared), so the text is the same whatever their number.
const beginAttemptsSQL = `WITH want AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS w(id text, tenant_id text)
), before AS (
  SELECT runs.id, runs.status FROM runs JOIN want ON runs.id = want.id AND runs.tenant_id = want.tenant_id
  WHERE runs.id = ANY($2::text[])
  ORDER BY runs.id FOR UPDATE OF runs
)
UPDATE runs SET status = 'running',
  attempt = CASE WHEN before.status = 'waiting' THEN runs.attempt ELSE runs.attempt + 1 END,
  started_at = $3, updated_at = $4
FROM before
WHERE runs.id = before.id AND runs.id = ANY($2::text[]) AND before.status IN ('queued', 'running', 'waiting')
RETURNING runs.*, before.status AS previous_status`

// Settlement is where an attempt left one run (SetRunOutcome's arguments)
// with the attempt's last step records, for SettleRuns.
type Settlement struct {
	TenantID, RunID           string
	Status, Error, FailedNode string
	Steps                     []RunStep
}

// SettleRuns stores the outcomes and last steps of several runs, of any
// tenants, at once: one statement on Postgres, one transaction on SQLite.
// Like SetRunOutcome it leaves cancelled runs cancelled. It fails as a whole.
func (s *Store) SettleRuns(ctx context.Context, settlements []*Settlement) error {
	if s.dialect != Postgres {
		return s.InTx(ctx, func(tx *Tx) error {
			for _, st := range settlements {
				ts := tx.Tenant(st.TenantID)
				if err := ts.InsertSteps(ctx, st.Steps); err != nil {
					return err
				}
				if err := ts.SetRunOutcome(ctx, st.RunID, st.Status, st.Error, st.FailedNode); err != nil {
					return err
				}
			}
			return nil
		})
	}
	type outcome struct {
		ID         string `json:"id"`
		TenantID   string `json:"tenant_id"`
		Status     string `json:"status"`
		Error      string `json:"error"`
		FailedNode string `json:"failed_node"`
		Finished   bool   `json:"finished"`
	}
	type step struct {
		ID         string          `json:"id"`
		TenantID   string          `json:"tenant_id"`
		RunID      string          `json:"run_id"`
		StepKey    string          `json:"step_key"`
		NodeID     string          `json:"node_id"`
		NodeType   string          `json:"node_type"`
		Status     string          `json:"status"`
		Port       string          `json:"port"`
		Input      json.RawMessage `json:"input"`
		Output     json.RawMessage `json:"output"`
		InputFrom  string          `json:"input_from"`
		Error      string          `json:"error"`
		Attempt    int             `json:"attempt"`
		StartedAt  time.Time       `json:"started_at"`
		FinishedAt time.Time       `json:"finished_at"`
		UntilAt    *time.Time      `json:"until_at"`
	}
	outcomes := make([]outcome, len(settlements))
	var steps []step
	for i, st := range settlements {
		outcomes[i] = outcome{st.RunID, st.TenantID, st.Status, st.Error, st.FailedNode, settled(st.Status)}
		for _, rs := range st.Steps {
			if rs.ID == "" {
				rs.ID = NewID()
			}
			var until *time.Time
			if rs.UntilAt != nil {
				u := rs.UntilAt.UTC().Truncate(time.Microsecond)
				until = &u
			}
			steps = append(steps, step{rs.ID, st.TenantID, st.RunID, rs.StepKey, rs.NodeID, rs.NodeType, rs.Status, rs.Port,
				rawOrNull(rs.Input), rawOrNull(rs.Output), rs.InputFrom, rs.Error, rs.Attempt,
				rs.StartedAt.UTC().Truncate(time.Microsecond), rs.FinishedAt.UTC().Truncate(time.Microsecond), until})
		}
	}
	outDoc, err := json.Marshal(outcomes)
	if err != nil {
		return fmt.Errorf("store: settle runs: %w", err)
	}
	stepDoc := []byte("[]")
	if len(steps) > 0 {
		if stepDoc, err = json.Marshal(steps); err != nil {
			return fmt.Errorf("store: settle runs: %w", err)
		}
	}
	now := Now()
	ids := make([]string, len(settlements))
	for i, st := range settlements {
		ids[i] = st.RunID
	}
	if _, err := s.db.Statement.ConnPool.ExecContext(ctx, settleRunsSQL, unprepared(string(stepDoc), string(outDoc), ids, now, now)...); err != nil {
		return fmt.Errorf("store: settle runs: %w", translate(err))
	}
	return nil
}

// settleRunsSQL inserts the steps and sets the outcomes in one statement (a
// data-modifying CTE), from two JSON parameters (and the runs' ids as an
// array, $3, see unprepared), so its text is the same for any number of runs
// and steps.
const settleRunsSQL = `WITH steps AS (
  INSERT INTO run_steps (id, tenant_id, run_id, step_key, node_id, node_type, status, port,
    input, output, input_from, error, attempt, started_at, finished_at, until_at)
  SELECT id, tenant_id, run_id, step_key, node_id, node_type, status, port,
    input, output, input_from, error, attempt, started_at, finished_at, until_at
  FROM jsonb_to_recordset($1::jsonb) AS s(id text, tenant_id text, run_id text, step_key text, node_id text,
    node_type text, status text, port text, input jsonb, output jsonb, input_from text, error text, attempt int,
    started_at timestamptz, finished_at timestamptz, until_at timestamptz)
), outcome AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS o(id text, tenant_id text, status text, error text,
    failed_node text, finished boolean)
)
UPDATE runs SET status = outcome.status, error = outcome.error, failed_node = outcome.failed_node, updated_at = $4,
  finished_at = CASE WHEN outcome.finished THEN $5::timestamptz ELSE runs.finished_at END
FROM outcome
WHERE runs.id = outcome.id AND runs.tenant_id = outcome.tenant_id AND runs.status <> 'cancelled'
  AND runs.id = ANY($3::text[])`

// rawOrNull is stored JSON as a JSON value: SQL NULL (empty) becomes null.
func rawOrNull(j JSON) json.RawMessage {
	if len(j) == 0 {
		return nil
	}
	return json.RawMessage(j)
}

// unprepared marks a statement's arguments to be sent with the statement and
// planned for them, not prepared once and reused. Postgres keeps the generic
// plan of a prepared statement after a few executions, made for parameters
// it cannot see: for the batched statements, made while runs was small (a new
// install), it scans the whole table, and keeps doing so as the table grows.
// Planned with its arguments, "runs.id = ANY(ids)" tells the planner how few
// runs a batch touches, and it reaches them through the primary key. One
// planning per batch of runs, not per run.
func unprepared(args ...any) []any {
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// scanUnprepared runs an unprepared query and scans its rows into dest (a
// pointer to a slice). Like the store's other statements it runs in the
// store's transaction, if it has one (s.db's connection pool).
func (s *Store) scanUnprepared(ctx context.Context, dest any, query string, args ...any) error {
	rows, err := s.db.Statement.ConnPool.QueryContext(ctx, query, unprepared(args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	// ScanRows takes the row rows is on, and the rest into a slice.
	if rows.Next() {
		if err := s.db.WithContext(ctx).ScanRows(rows, dest); err != nil {
			return err
		}
	}
	return rows.Err()
}
