package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
)

// Depth is the backlog of one queue: jobs ready to run and not yet picked
// up, and when the longest-waiting of them became ready.
type Depth struct {
	Queue  string
	Jobs   int
	Oldest time.Time // zero when Jobs is 0
}

// Depths samples every queue's backlog from river_job. The default queue is
// always listed, empty or not.
func (c *Client) Depths(ctx context.Context) ([]Depth, error) {
	rows, err := c.db.QueryContext(ctx, "SELECT queue, count(*) FROM river_job WHERE state = 'available' GROUP BY queue ORDER BY queue")
	if err != nil {
		return nil, fmt.Errorf("queue: depths: %w", err)
	}
	var out []Depth
	for rows.Next() {
		var d Depth
		if err := rows.Scan(&d.Queue, &d.Jobs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("queue: depths: %w", err)
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue: depths: %w", err)
	}
	if !slices.ContainsFunc(out, func(d Depth) bool { return d.Queue == river.QueueDefault }) {
		out = append(out, Depth{Queue: river.QueueDefault})
	}
	// The oldest job per queue is read as a row (not min()) so both drivers
	// return the column as a time.
	q := "SELECT scheduled_at FROM river_job WHERE state = 'available' AND queue = $1 ORDER BY scheduled_at LIMIT 1"
	if c.sqlite {
		q = "SELECT scheduled_at FROM river_job WHERE state = 'available' AND queue = ? ORDER BY scheduled_at LIMIT 1"
	}
	for i := range out {
		if out[i].Jobs == 0 {
			continue
		}
		err := c.db.QueryRowContext(ctx, q, out[i].Queue).Scan(&out[i].Oldest)
		if err != nil && !errors.Is(err, sql.ErrNoRows) { // picked up meanwhile: no age
			return nil, fmt.Errorf("queue: oldest job of %s: %w", out[i].Queue, err)
		}
	}
	return out, nil
}
