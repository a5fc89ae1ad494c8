package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestBadConfigurationExitsNonZeroNamingTheVariable(t *testing.T) {
	code, _, stderr := runCmd(t, map[string]string{"BRIDGEWORK_LISTEN": "nonsense"}, "serve")
	if code == 0 || !strings.Contains(stderr, "BRIDGEWORK_LISTEN") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCmd(t, map[string]string{"BRIDGEWORK_LISTEN": "127.0.0.1:1", "BRIDGEWORK_DATABASE_URL": "oracle://db"}, "migrate")
	if code == 0 || !strings.Contains(stderr, "BRIDGEWORK_DATABASE_URL") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// Splitting roles needs Postgres: on the embedded database serve --role api
// or worker exits with a usage error that says so, before opening anything.
func TestRoleOtherThanAllOnSQLiteIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"serve", "--role", "api"}, {"serve", "--role", "worker"}, {"serve", "--role", "everything"}} {
		code, _, stderr := runCmd(t, map[string]string{"BRIDGEWORK_DATABASE_URL": "sqlite://" + dir + "/bw.db", "BRIDGEWORK_LISTEN": "127.0.0.1:1"}, args...)
		if code != 2 || !strings.Contains(stderr, "BRIDGEWORK_ROLE (--role)") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message naming --role", args, code, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused serve created %d files in the data directory", len(entries))
	}
}

func TestMigrateTwiceSucceeds(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		for i := 1; i <= 2; i++ {
			code, stdout, stderr := runCmd(t, map[string]string{"BRIDGEWORK_DATABASE_URL": url}, "migrate")
			if code != 0 || !strings.Contains(stdout, "up to date") {
				t.Fatalf("migrate run %d: exit %d, stdout %q, stderr %q", i, code, stdout, stderr)
			}
		}
	})
}

func TestHelpAndUsage(t *testing.T) {
	for _, cmd := range []string{"serve", "migrate", "sandbox", "version"} {
		code, stdout, _ := runCmd(t, nil, cmd, "--help")
		if code != 0 || !strings.Contains(stdout, "Usage: bridgework "+cmd) {
			t.Errorf("%s --help: exit %d, %q", cmd, code, stdout)
		}
	}
	if _, stdout, _ := runCmd(t, nil, "serve", "--help"); !strings.Contains(stdout, "BRIDGEWORK_DATABASE_URL") || !strings.Contains(stdout, "BRIDGEWORK_ADMIN_TOKEN_FILE") {
		t.Errorf("serve --help does not list the environment: %q", stdout)
	}
	if code, _, stderr := runCmd(t, nil, "fly"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCmd(t, nil, "serve", "--bogus"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}
