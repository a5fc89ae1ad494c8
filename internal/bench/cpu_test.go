package bench

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
)

func TestParseStat(t *testing.T) {
	// A command name may hold spaces and parentheses.
	line := "4242 (post gres) (x)) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 130 7 3 20 0 1 0 55 0 0"
	st, err := parseStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if st.comm != "post gres) (x)" || st.ppid != 17 || st.own != 3.8 || st.reaped != 0.1 {
		t.Fatalf("parsed %+v", st)
	}
	for _, bad := range []string{"", "4242 post S 1", "4242 (p) S 17 1 2"} {
		if _, err := parseStat(bad); err == nil || !strings.Contains(err.Error(), "/proc stat") {
			t.Errorf("%q: err = %v, want one naming the /proc stat line", bad, err)
		}
	}
}

// The meter attributes CPU to the server process it is given and to every
// process of the local Postgres server, reaped backends included.
func TestCPUMeterMeasuresTheServerAndPostgres(t *testing.T) {
	ctx := context.Background()
	url := testdb.ServerURL(t)
	m := newCPUMeter(ctx, os.Getpid(), "postgres", url)
	if m.postmaster == 0 {
		t.Skip("the test Postgres server is not on this machine")
	}
	m.begin()
	// Work in a backend that exits before the reading: its time must still
	// count, through the postmaster's reaped children.
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "SELECT count(*) FROM generate_series(1, 3000000)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// This process stands in for the server: spin until it has used 0.2 s.
	own := func() float64 { st, _ := readStat(os.Getpid()); return st.own }
	for start, deadline := own(), time.Now().Add(30*time.Second); own()-start < 0.2; {
		if time.Now().After(deadline) {
			t.Fatal("no CPU time accounted to this process within 30 s")
		}
	}
	var u CPUUse
	deadline := time.Now().Add(10 * time.Second)
	for u = m.end(); u.Postgres < 0.05 && time.Now().Before(deadline); u = m.end() {
		// The backend's exit is reaped asynchronously; poll until it is.
	}
	if u.Server < 0.2 || u.Bench < 0.2 {
		t.Errorf("server %.2f s, bench %.2f s: want at least the 0.2 s spun", u.Server, u.Bench)
	}
	if u.Postgres < 0.05 {
		t.Errorf("postgres %.2f s: want the generate_series query's time", u.Postgres)
	}
	if got := u.perRun(100); !strings.Contains(got, "/") || strings.Contains(got, "-") {
		t.Errorf("perRun = %q", got)
	}
	if sqliteUse := newCPUMeter(ctx, os.Getpid(), "sqlite", "").end(); sqliteUse.Postgres != -1 {
		t.Errorf("sqlite: postgres = %v, want -1 (not measured)", sqliteUse.Postgres)
	}
}
