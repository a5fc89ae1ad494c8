// Package testdb gives tests a real, isolated, migrated database: a fresh
// schema on a real Postgres server, or a fresh SQLite file.
//
// Postgres is found in this order: TEST_DATABASE_URL; a server answering on
// 127.0.0.1:5432 as user postgres; a throwaway cluster started from the
// installed PostgreSQL binaries (initdb + pg_ctl in a temporary directory);
// as root on Debian, the postgresql package is installed first. Otherwise the
// test fails with a sentence saying how to provide Postgres.
package testdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// DefaultURL is the local server probed when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Cluster is a throwaway Postgres cluster started for tests.
type Cluster struct {
	URL     string
	DataDir string
	pgCtl   string
	asUser  string
}

// FindServer returns the URL of a Postgres server to test against and, when it
// had to start one, the cluster to stop afterwards.
func FindServer(ctx context.Context) (string, *Cluster, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		if err := ping(ctx, u); err != nil {
			return "", nil, fmt.Errorf("TEST_DATABASE_URL is set but the server does not answer: %w", err)
		}
		return u, nil, nil
	}
	if ping(ctx, DefaultURL) == nil {
		return DefaultURL, nil, nil
	}
	c, err := StartCluster(ctx)
	if err != nil {
		return "", nil, err
	}
	return c.URL, c, nil
}

func ping(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// StartCluster initialises and starts a private Postgres cluster on a free
// loopback port, installing PostgreSQL with apt-get when running as root on a
// machine that has none.
func StartCluster(ctx context.Context) (*Cluster, error) {
	bin, err := findBinDir()
	if err != nil && os.Geteuid() == 0 && hasApt() {
		if err := aptInstall(ctx); err != nil {
			return nil, err
		}
		bin, err = findBinDir()
	}
	if err != nil {
		return nil, errors.New("no PostgreSQL server found: set TEST_DATABASE_URL, run one on 127.0.0.1:5432 (user postgres, trust auth), or install PostgreSQL so initdb and pg_ctl are available")
	}
	dir, err := os.MkdirTemp("", "bridgework-pg-")
	if err != nil {
		return nil, fmt.Errorf("testdb: temp dir: %w", err)
	}
	c := &Cluster{DataDir: filepath.Join(dir, "data"), pgCtl: filepath.Join(bin, "pg_ctl")}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root; the Debian package creates this account.
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, errors.New("testdb: running as root needs the postgres system user to start a throwaway cluster")
		}
		c.asUser = "postgres"
		if out, err := exec.CommandContext(ctx, "chown", "-R", "postgres", dir).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("testdb: chown %s: %v: %s", dir, err, out)
		}
	}
	if out, err := c.run(ctx, filepath.Join(bin, "initdb"), "-D", c.DataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"); err != nil {
		return nil, fmt.Errorf("testdb: initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", port, dir)
	if out, err := c.run(ctx, c.pgCtl, "-D", c.DataDir, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		return nil, fmt.Errorf("testdb: pg_ctl start: %v: %s", err, out)
	}
	c.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return c, nil
}

// Stop shuts the cluster down and removes its files.
func (c *Cluster) Stop() error {
	out, err := c.run(context.Background(), c.pgCtl, "-D", c.DataDir, "-m", "immediate", "-w", "stop")
	os.RemoveAll(filepath.Dir(c.DataDir))
	if err != nil {
		return fmt.Errorf("testdb: pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

// StopDataDir stops a cluster started by another process (make test's wrapper).
func StopDataDir(dataDir string) error {
	bin, err := findBinDir()
	if err != nil {
		return err
	}
	c := &Cluster{DataDir: dataDir, pgCtl: filepath.Join(bin, "pg_ctl")}
	if os.Geteuid() == 0 {
		c.asUser = "postgres"
	}
	return c.Stop()
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if c.asUser != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", c.asUser, "--", name}, args...)...)
	}
	cmd.Dir = os.TempDir()
	return cmd.CombinedOutput()
}

// findBinDir locates the newest installed PostgreSQL server binaries.
func findBinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	if len(matches) == 0 {
		return "", errors.New("initdb not found")
	}
	return filepath.Dir(matches[0]), nil
}

func versionOf(initdbPath string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdbPath))))
	return v
}

func hasApt() bool {
	_, err := exec.LookPath("apt-get")
	return err == nil
}

func aptInstall(ctx context.Context) error {
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("testdb: apt-get %s: %v: %s", args[0], err, out)
		}
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testdb: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
