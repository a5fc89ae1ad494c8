package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of the CPU times in /proc/PID/stat (USER_HZ, 100 on
// every Linux architecture Go supports).
const clockTicks = 100

// CPUUse is the processor time spent during a scenario's measured window,
// from the first webhook to the last completion, in CPU seconds.
type CPUUse struct {
	WindowSeconds float64 `json:"window_seconds"`
	Server        float64 `json:"server_seconds"`
	// Postgres is every process of the Postgres server the scenario used
	// (the postmaster, its backends and background workers); -1 when that
	// server is not on this machine, or the database is SQLite.
	Postgres float64 `json:"postgres_seconds"`
	// Bench is this process: the load generator, the sink and the sandboxes.
	Bench float64 `json:"bench_seconds"`
}

// perRun formats the CPU milliseconds per completed run, server/Postgres/bench.
func (c CPUUse) perRun(completed int64) string {
	if completed == 0 || c.WindowSeconds == 0 {
		return "-"
	}
	ms := func(s float64) string {
		if s < 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", 1000*s/float64(completed))
	}
	return ms(c.Server) + "/" + ms(c.Postgres) + "/" + ms(c.Bench)
}

// cpuMeter reads the CPU time of the server, Postgres and this process.
type cpuMeter struct {
	server     int
	postmaster int // 0 when Postgres is not measurable here
	began      time.Time
	start      CPUUse
}

// newCPUMeter measures the server process and, when dbURL is a Postgres
// database served from this machine, its server's processes.
func newCPUMeter(ctx context.Context, server int, dialect, dbURL string) *cpuMeter {
	m := &cpuMeter{server: server}
	if dialect == "postgres" {
		m.postmaster = postmasterOf(ctx, dbURL)
	}
	return m
}

// postmasterOf finds the Postgres server process behind dbURL: the parent of
// the backend serving a connection, when that backend is on this machine.
func postmasterOf(ctx context.Context, dbURL string) int {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return 0
	}
	defer db.Close()
	var backend int
	if err := db.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return 0
	}
	st, err := readStat(backend)
	if err != nil || st.comm != "postgres" {
		return 0 // another machine's process, or a pid reused here
	}
	return st.ppid
}

// begin takes the first reading.
func (m *cpuMeter) begin() {
	m.began = time.Now()
	m.start = m.read()
}

// end returns the CPU used since begin.
func (m *cpuMeter) end() CPUUse {
	now := m.read()
	u := CPUUse{WindowSeconds: time.Since(m.began).Seconds(), Server: now.Server - m.start.Server,
		Postgres: -1, Bench: now.Bench - m.start.Bench}
	if now.Postgres >= 0 && m.start.Postgres >= 0 {
		u.Postgres = now.Postgres - m.start.Postgres
	}
	return u
}

// read is the CPU each process has used since it started (Postgres -1 when
// it is not measured here).
func (m *cpuMeter) read() CPUUse {
	u := CPUUse{Postgres: -1}
	if st, err := readStat(m.server); err == nil {
		u.Server = st.own
	}
	if st, err := readStat(os.Getpid()); err == nil {
		u.Bench = st.own
	}
	if m.postmaster != 0 {
		u.Postgres = treeCPU(m.postmaster)
	}
	return u
}

// treeCPU is the CPU time of a Postgres server: the postmaster's own, that of
// the children it has reaped (backends that exited), and that of its live
// children. A backend exiting between two readings moves from the last term
// to the second, so differences stay right.
func treeCPU(postmaster int) float64 {
	st, err := readStat(postmaster)
	if err != nil {
		return -1
	}
	total := st.own + st.reaped
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return -1
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if c, err := readStat(pid); err == nil && c.ppid == postmaster {
			total += c.own
		}
	}
	return total
}

// procStat is what the bench needs of /proc/PID/stat, times in seconds.
type procStat struct {
	comm   string
	ppid   int
	own    float64 // utime + stime, every thread
	reaped float64 // cutime + cstime
}

func readStat(pid int) (procStat, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	return parseStat(string(raw))
}

// parseStat reads a /proc/PID/stat line; the command name may hold spaces and
// parentheses, so the fields are counted from its last ')'.
func parseStat(s string) (procStat, error) {
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return procStat{}, fmt.Errorf("bench: malformed /proc stat line %q", s)
	}
	f := strings.Fields(s[close+1:])
	// f[0] is the state (field 3); ppid is field 4, utime..cstime 14..17.
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("bench: short /proc stat line %q", s)
	}
	n := make([]float64, 4)
	for i := range n {
		v, err := strconv.ParseFloat(f[11+i], 64)
		if err != nil {
			return procStat{}, fmt.Errorf("bench: /proc stat field %d: %w", 14+i, err)
		}
		n[i] = v / clockTicks
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return procStat{}, fmt.Errorf("bench: /proc stat ppid: %w", err)
	}
	return procStat{comm: s[open+1 : close], ppid: ppid, own: n[0] + n[1], reaped: n[2] + n[3]}, nil
}
