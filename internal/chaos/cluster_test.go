package chaos_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
)

// unlimited is the Epicor connection config of the cluster tests: no
// connection rate limit, which each process would apply on its own, so the
// figures measure the processes rather than the limit, and a timeout long
// enough for a loaded machine.
var unlimited = map[string]any{"timeout_seconds": 10, "rate_limit_per_second": 0}

// cluster is api and worker processes sharing one Postgres database, with
// the sandboxes as the systems they integrate.
type cluster struct {
	db      *sql.DB
	sb      *sandbox.Running
	apis    []*server
	workers []*server
}

// newCluster prepares (but does not start) apis api processes and workers
// worker processes on a fresh database.
func newCluster(t *testing.T, apis, workers int) *cluster {
	t.Helper()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	url := testdb.URL(t, "postgres")
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &cluster{db: db, sb: sb}
	bin := binary(t)
	for i := range apis {
		c.apis = append(c.apis, newServer(t, bin, url, "BRIDGEWORK_ROLE=api", fmt.Sprintf("BRIDGEWORK_WORKER_ID=api-%d", i+1)))
	}
	for i := range workers {
		c.workers = append(c.workers, newServer(t, bin, url, "BRIDGEWORK_ROLE=worker", fmt.Sprintf("BRIDGEWORK_WORKER_ID=worker-%d", i+1)))
	}
	return c
}

// startAll launches the processes together and waits until each is ready.
func startAll(procs ...*server) {
	for _, p := range procs {
		p.launch()
	}
	for _, p := range procs {
		p.waitReady()
	}
}

// leader is the worker ID of River's elected leader, or "" while none is.
func (c *cluster) leader(t *testing.T) string {
	t.Helper()
	var id string
	err := c.db.QueryRow(`SELECT leader_id FROM river_leader WHERE expires_at > now()`).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		t.Fatalf("read the leader: %v", err)
	}
	return id
}

// runsPerSecond is how many of the runs of orders from..to finished per
// second, from the first one's start to the last one's end.
func (c *cluster) runsPerSecond(t *testing.T, from, to int) float64 {
	t.Helper()
	var (
		n    int
		secs float64
	)
	err := c.db.QueryRow(`SELECT count(*), EXTRACT(EPOCH FROM max(finished_at) - min(started_at))::float8 FROM runs
		WHERE status = 'succeeded' AND business_key = ANY($1)`, orderKeys(from, to)).Scan(&n, &secs)
	if err != nil || n != to-from+1 || secs <= 0 {
		t.Fatalf("measure runs %d..%d: %d runs over %.3fs, %v", from, to, n, secs, err)
	}
	return float64(n) / secs
}

// stepErrors lists the distinct errors recorded by failed step attempts.
func (c *cluster) stepErrors(t *testing.T) []string {
	t.Helper()
	rows, err := c.db.Query(`SELECT DISTINCT error FROM run_steps WHERE error <> '' LIMIT 10`)
	if err != nil {
		t.Fatalf("read step errors: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		rows.Scan(&e)
		out = append(out, e)
	}
	return out
}

func orderKeys(from, to int) []string {
	keys := make([]string, 0, to-from+1)
	for n := from; n <= to; n++ {
		keys = append(keys, strconv.Itoa(n))
	}
	return keys
}

// scheduleFlow publishes, in its own tenant, a flow that runs every 10 seconds.
func scheduleFlow(t *testing.T, api *server) string {
	t.Helper()
	token := newTenant(t, api, "ticks")
	flow := api.must(http.MethodPost, "/api/v1/flows", token, map[string]any{"name": "Ticks", "definition": map[string]any{
		"nodes": []map[string]any{
			{"id": "tick", "type": "trigger.schedule", "config": map[string]any{"interval": "10s"}},
			{"id": "m", "type": "map", "config": map[string]any{"jq": ".scheduled_at"}},
		},
		"edges": []map[string]any{{"from": "tick", "to": "m"}},
	}}, http.StatusCreated)
	id := flow["id"].(string)
	api.must(http.MethodPost, "/api/v1/flows/"+id+"/publish", token, nil, http.StatusOK)
	return id
}

// firings counts the runs of flow per scheduled time.
func (c *cluster) firings(t *testing.T, flow string) map[time.Time]int {
	t.Helper()
	rows, err := c.db.Query(`SELECT payload->>'scheduled_at', count(*) FROM runs WHERE flow_id = $1 GROUP BY 1`, flow)
	if err != nil {
		t.Fatalf("count firings: %v", err)
	}
	defer rows.Close()
	out := map[time.Time]int{}
	for rows.Next() {
		var (
			at string
			n  int
		)
		if err := rows.Scan(&at, &n); err != nil {
			t.Fatal(err)
		}
		ts, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatalf("scheduled_at %q: %v", at, err)
		}
		out[ts] = n
	}
	return out
}

// One api and two worker processes share Postgres. Orders stream in through
// the api while the worker holding River's leadership is killed with
// SIGKILL and later restarted: every order ends as exactly one sales order,
// and the schedule keeps firing exactly once per tick across the cluster.
func TestClusterSurvivesAWorkerCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster test: runs three server processes for about a minute")
	}
	const orderCount = 400
	c := newCluster(t, 1, 2)
	api := c.apis[0]
	startAll(api, c.workers[0], c.workers[1])

	for _, w := range c.workers { // a worker serves health, not the API, webhooks or web app
		for _, r := range []struct {
			method, path string
			want         int
		}{
			{http.MethodGet, "/healthz", http.StatusOK},
			{http.MethodGet, "/api/v1/tenants", http.StatusNotFound},
			{http.MethodPost, "/hooks/any", http.StatusNotFound},
			{http.MethodGet, "/", http.StatusNotFound},
		} {
			if status, _, err := w.call(r.method, r.path, adminToken, nil); err != nil || status != r.want {
				t.Fatalf("worker %s %s: %d %v, want %d", r.method, r.path, status, err, r.want)
			}
		}
	}
	o := setupOrders(t, api, c.sb, "cluster", unlimited)
	ticks := scheduleFlow(t, api)

	var leader string
	for deadline := time.Now().Add(30 * time.Second); leader == ""; time.Sleep(100 * time.Millisecond) {
		if leader = c.leader(t); leader == "" && time.Now().After(deadline) {
			t.Fatal("no worker was elected leader within 30s")
		}
	}
	victim, heirID := c.workers[0], "worker-2"
	if leader == "worker-2" {
		victim, heirID = c.workers[1], "worker-1"
	}

	snd := &sender{targets: c.apis, hookID: o.hookID}
	done := make(chan struct{})
	go func() {
		defer close(done)
		snd.send(1, orderCount, 2, 20*time.Millisecond)
	}()
	waitAccepted(t, snd, orderCount/4)
	victim.kill()
	killed := time.Now()
	// The surviving worker takes over the periodic jobs once the dead
	// leader's term runs out; only then does the victim come back.
	for deadline := time.Now().Add(45 * time.Second); c.leader(t) != heirID; time.Sleep(250 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not take over leadership from the killed %s within 45s", heirID, leader)
		}
	}
	failover := time.Since(killed)
	waitAccepted(t, snd, orderCount*3/4)
	victim.start()
	<-done

	waitSettled(t, api, o.token, orderCount, 90*time.Second)
	missing, duplicates := tally(c.sb, orderCount)
	created := len(c.sb.Epicor.Rows("SalesOrders", nil)) - seededOrders(c.sb)
	if missing != 0 || duplicates != 0 || created != orderCount {
		t.Fatalf("orders %d: created %d, missing %d, duplicates %d", orderCount, created, missing, duplicates)
	}

	// The schedule must fire after the leader's death too, never twice.
	var fired map[time.Time]int
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		fired = c.firings(t, ticks)
		after := 0
		for at := range fired {
			if at.After(killed) {
				after++
			}
		}
		if after >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the schedule fired %d times after the leader %s was killed within 60s: %v", after, leader, fired)
		}
	}
	for at, n := range fired {
		if n != 1 {
			t.Errorf("the firing of %s started %d runs, want 1", at.Format(time.RFC3339), n)
		}
	}
	t.Logf("orders %d, killed leader %s, %s leader after %s, deliveries repeated %d, schedule firings %d (each once)",
		orderCount, leader, heirID, failover.Round(time.Millisecond), snd.retried.Load(), len(fired))
}

// waitAccepted waits until the sender has had n orders accepted.
func waitAccepted(t *testing.T, snd *sender, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); int(snd.accepted.Load()) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d orders accepted within 60s", snd.accepted.Load(), n)
		}
	}
}

// A backlog queued through the api process (which works no jobs) is drained
// by one worker, then a second backlog by two; the figures are logged.
func TestWorkersDrainABacklog(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster test: runs three server processes")
	}
	const batch = 300
	c := newCluster(t, 1, 2)
	api := c.apis[0]
	api.start()
	o := setupOrders(t, api, c.sb, "drain", unlimited)
	snd := &sender{targets: c.apis, hookID: o.hookID}

	snd.send(1, batch, 4, 0)
	if _, q, _ := api.call(http.MethodGet, "/api/v1/runs?status=queued&per_page=1", o.token, nil); q == nil || int(q["total"].(float64)) != batch {
		t.Fatalf("with no worker running, %v runs are queued, want all %d (an api process must not work jobs)", q["total"], batch)
	}
	c.workers[0].start()
	waitSettled(t, api, o.token, batch, 60*time.Second)
	one := c.runsPerSecond(t, 1, batch)

	c.workers[0].stop()
	snd.send(batch+1, 2*batch, 4, 0)
	startAll(c.workers...)
	waitSettled(t, api, o.token, 2*batch, 60*time.Second)
	two := c.runsPerSecond(t, batch+1, 2*batch)

	if missing, duplicates := tally(c.sb, 2*batch); missing != 0 || duplicates != 0 {
		t.Fatalf("missing %d, duplicates %d", missing, duplicates)
	}
	t.Logf("backlog of %d runs drained at %.0f runs/s by one worker process, %.0f runs/s by two (20 workers each, same host)", batch, one, two)
}

// Two api and two worker processes are restarted one at a time with SIGTERM
// while orders flow: every order has one run, which succeeds at its first
// attempt (a stopping process lets its running jobs finish), and ends as
// exactly one sales order.
func TestRollingUpgradeLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster test: runs four server processes")
	}
	const orderCount = 500
	c := newCluster(t, 2, 2)
	startAll(append(append([]*server{}, c.apis...), c.workers...)...)
	o := setupOrders(t, c.apis[0], c.sb, "rolling", unlimited)

	snd := &sender{targets: c.apis, hookID: o.hookID}
	done := make(chan struct{})
	go func() {
		defer close(done)
		snd.send(1, orderCount, 2, 25*time.Millisecond)
	}()
	restarted := 0
	for _, p := range []*server{c.workers[0], c.workers[1], c.apis[0], c.apis[1]} {
		p.stop()
		p.start()
		restarted++
	}
	stillFlowing := snd.accepted.Load() < orderCount
	<-done

	waitSettled(t, c.apis[0], o.token, orderCount, 60*time.Second)
	var runs, retried int
	if err := c.db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE attempt > 1) FROM runs`).Scan(&runs, &retried); err != nil {
		t.Fatal(err)
	}
	missing, duplicates := tally(c.sb, orderCount)
	t.Logf("orders %d, processes restarted %d (traffic still flowing at the last: %v), deliveries repeated %d, runs %d, runs retried %d",
		orderCount, restarted, stillFlowing, snd.retried.Load(), runs, retried)
	if errs := c.stepErrors(t); len(errs) > 0 {
		t.Errorf("steps failed during the rolling restart: %v", errs)
	}
	if runs != orderCount || retried != 0 || missing != 0 || duplicates != 0 {
		t.Fatalf("runs %d of %d orders, retried %d (a graceful stop must let running jobs finish), missing %d, duplicates %d",
			runs, orderCount, retried, missing, duplicates)
	}
}
