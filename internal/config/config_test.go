package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != DefaultDatabaseURL || c.Listen != "127.0.0.1:8080" || c.PublicURL != "http://127.0.0.1:8080" || c.Workers != 20 {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	tests := map[string]map[string]string{
		"BRIDGEWORK_DATABASE_URL":        {"BRIDGEWORK_DATABASE_URL": "mysql://x"},
		"BRIDGEWORK_LISTEN":              {"BRIDGEWORK_LISTEN": "8080"},
		"BRIDGEWORK_LOG_FORMAT":          {"BRIDGEWORK_LOG_FORMAT": "xml"},
		"BRIDGEWORK_LOG_LEVEL":           {"BRIDGEWORK_LOG_LEVEL": "loud"},
		"BRIDGEWORK_TOKEN_TTL":           {"BRIDGEWORK_TOKEN_TTL": "forever"},
		"BRIDGEWORK_WORKERS":             {"BRIDGEWORK_WORKERS": "0"},
		"BRIDGEWORK_MAX_BODY_BYTES":      {"BRIDGEWORK_MAX_BODY_BYTES": "lots"},
		"BRIDGEWORK_JWT_SECRET":          {"BRIDGEWORK_JWT_SECRET": "short"},
		"BRIDGEWORK_ADMIN_TOKEN_FILE":    {"BRIDGEWORK_ADMIN_TOKEN_FILE": "/does/not/exist"},
		"BRIDGEWORK_PUBLIC_URL":          {"BRIDGEWORK_PUBLIC_URL": "ftp://x"},
		"BRIDGEWORK_METRICS_TOKEN":       {"BRIDGEWORK_METRICS_TOKEN": "short"},
		"BRIDGEWORK_METRICS_LISTEN":      {"BRIDGEWORK_METRICS_LISTEN": "9090"},
		"BRIDGEWORK_PROFILING":           {"BRIDGEWORK_PROFILING": "true"},
		"BRIDGEWORK_OTLP_ENDPOINT":       {"BRIDGEWORK_OTLP_ENDPOINT": "collector:4318"},
		"BRIDGEWORK_SMTP_ADDR":           {"BRIDGEWORK_SMTP_ADDR": "mail.example.com"},
		"BRIDGEWORK_SMTP_FROM":           {"BRIDGEWORK_SMTP_FROM": "alerts"},
		"BRIDGEWORK_ROLE":                {"BRIDGEWORK_ROLE": "scheduler"},
		"BRIDGEWORK_DB_MAX_CONNS":        {"BRIDGEWORK_DB_MAX_CONNS": "1"},
		"BRIDGEWORK_DB_POLL_ONLY":        {"BRIDGEWORK_DB_POLL_ONLY": "sometimes"},
		"BRIDGEWORK_FETCH_COOLDOWN":      {"BRIDGEWORK_FETCH_COOLDOWN": "10us"},
		"BRIDGEWORK_FETCH_POLL_INTERVAL": {"BRIDGEWORK_FETCH_POLL_INTERVAL": "2h"},
		"BRIDGEWORK_STEP_RECORDING":      {"BRIDGEWORK_STEP_RECORDING": "minimal"},
		"BRIDGEWORK_ENQUEUE_BATCH":       {"BRIDGEWORK_ENQUEUE_BATCH": "0"},
	}
	for name, vars := range tests {
		_, err := Load(env(vars))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name the variable", name, err)
		}
	}
	_, err := Load(env(map[string]string{"BRIDGEWORK_ADMIN_TOKEN": "a-long-enough-token", "BRIDGEWORK_ADMIN_TOKEN_FILE": "/x"}))
	if err == nil || !strings.Contains(err.Error(), "both set") {
		t.Errorf("value and file both set: %v", err)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "admin")
	os.WriteFile(path, []byte("from-a-file-0123456789\n"), 0o600)
	c, err := Load(env(map[string]string{"BRIDGEWORK_ADMIN_TOKEN_FILE": path}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminToken != "from-a-file-0123456789" {
		t.Fatalf("AdminToken = %q", c.AdminToken)
	}
}

func TestPostgresNeedsSharedSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{"BRIDGEWORK_DATABASE_URL": "postgres://u@h/db"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RequireServeSecrets(); err == nil || !strings.Contains(err.Error(), "BRIDGEWORK_SECRET_KEY") {
		t.Fatalf("RequireServeSecrets = %v", err)
	}
	if created, err := c.FillGenerated(); err != nil || len(created) != 0 || c.SecretKey != "" {
		t.Fatalf("FillGenerated on Postgres created %v, %v", created, err)
	}
}

func TestFillGeneratedCreatesPrivateFilesOnce(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(env(map[string]string{"BRIDGEWORK_DATABASE_URL": "sqlite://" + filepath.Join(dir, "data", "bw.db")}))
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.FillGenerated()
	if err != nil || len(created) != 3 {
		t.Fatalf("created %v, %v", created, err)
	}
	for _, p := range created {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v", p, st.Mode(), err)
		}
	}
	first := *c
	c2, _ := Load(env(map[string]string{"BRIDGEWORK_DATABASE_URL": "sqlite://" + filepath.Join(dir, "data", "bw.db")}))
	created, err = c2.FillGenerated()
	if err != nil || len(created) != 0 {
		t.Fatalf("second run created %v, %v", created, err)
	}
	if c2.SecretKey != first.SecretKey || c2.JWTSecret != first.JWTSecret || c2.AdminToken != first.AdminToken {
		t.Fatal("second run did not reuse the generated secrets")
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	pg := "postgres://bw@db/bw"
	for _, tc := range []struct {
		name, role, url string
		wantErr         string
		jobs, api       bool
	}{
		{"default is all", "", "", "", true, true},
		{"api on postgres", RoleAPI, pg, "", false, true},
		{"worker on postgres", RoleWorker, pg, "", true, false},
		{"all on sqlite", RoleAll, "", "", true, true},
		{"api on sqlite is refused", RoleAPI, "", "needs a Postgres database", false, false},
		{"worker on sqlite is refused", RoleWorker, "sqlite:///tmp/x.db", "needs a Postgres database", false, false},
		{"unknown role", "both", pg, "must be all, api or worker", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{}
			if tc.role != "" {
				vars["BRIDGEWORK_ROLE"] = tc.role
			}
			if tc.url != "" {
				vars["BRIDGEWORK_DATABASE_URL"] = tc.url
			}
			c, err := Load(env(vars))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "BRIDGEWORK_ROLE") {
					t.Fatalf("error %v, want one naming BRIDGEWORK_ROLE and containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.RunsJobs() != tc.jobs || c.ServesAPI() != tc.api {
				t.Fatalf("role %q: RunsJobs %v ServesAPI %v, want %v %v", c.Role, c.RunsJobs(), c.ServesAPI(), tc.jobs, tc.api)
			}
		})
	}
}

func TestDBMaxConns(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	if err != nil || c.DBMaxConns != 0 {
		t.Fatalf("default pool size %v, %v; want 0 (the store's default)", c, err)
	}
	c, err = Load(env(map[string]string{"BRIDGEWORK_DB_MAX_CONNS": "8", "BRIDGEWORK_DB_POLL_ONLY": "true"}))
	if err != nil || c.DBMaxConns != 8 || !c.DBPollOnly {
		t.Fatalf("pool size and poll-only: %v, %v; want 8 and true", c, err)
	}
}

func TestDatabaseURLFromFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db-url")
	os.WriteFile(path, []byte("postgres://bw:s3cret@db:5432/bw\n"), 0o600)
	c, err := Load(env(map[string]string{"BRIDGEWORK_DATABASE_URL_FILE": path, "BRIDGEWORK_ROLE": RoleWorker}))
	if err != nil || c.DatabaseURL != "postgres://bw:s3cret@db:5432/bw" {
		t.Fatalf("database URL from a file: %v, %v", c, err)
	}
}
