// Package config loads Bridgework's process configuration from the environment.
//
// Every secret can also be read from a file named by the variable with a _FILE
// suffix (BRIDGEWORK_ADMIN_TOKEN_FILE=/run/secrets/admin), which is how container
// orchestrators hand secrets to processes.
package config

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultDatabaseURL is the embedded SQLite database used when no URL is set.
const DefaultDatabaseURL = "sqlite://./bridgework-data/bridgework.db"

// Config is the whole process configuration. It is loaded once and passed down.
type Config struct {
	DatabaseURL     string        // BRIDGEWORK_DATABASE_URL: postgres://… or sqlite://PATH
	Listen          string        // BRIDGEWORK_LISTEN: host:port of the HTTP server
	PublicURL       string        // BRIDGEWORK_PUBLIC_URL: base URL used in webhook addresses
	AdminToken      string        // BRIDGEWORK_ADMIN_TOKEN: platform admin bearer token
	SecretKey       string        // BRIDGEWORK_SECRET_KEY: 32-byte key (base64 or hex) encrypting credentials
	JWTSecret       string        // BRIDGEWORK_JWT_SECRET: HS256 signing secret for access tokens
	LogFormat       string        // BRIDGEWORK_LOG_FORMAT: text or json
	LogLevel        string        // BRIDGEWORK_LOG_LEVEL: debug, info, warn, error
	TokenTTL        time.Duration // BRIDGEWORK_TOKEN_TTL: lifetime of access tokens
	MaxBodyBytes    int           // BRIDGEWORK_MAX_BODY_BYTES: request body limit
	Workers         int           // BRIDGEWORK_WORKERS: concurrent run workers in this process
	ShutdownTimeout time.Duration // BRIDGEWORK_SHUTDOWN_TIMEOUT: grace period for running jobs on stop
	MaxBacklog      int           // BRIDGEWORK_MAX_BACKLOG: queued runs beyond which webhooks get 503
	JobTimeout      time.Duration // BRIDGEWORK_JOB_TIMEOUT: longest one execution of a run may take
	FetchCooldown   time.Duration // BRIDGEWORK_FETCH_COOLDOWN: least time between two job fetches; 0: the queue's default
	FetchPoll       time.Duration // BRIDGEWORK_FETCH_POLL_INTERVAL: job fetch interval without notifications; 0: the queue's default
	StepRecording   string        // BRIDGEWORK_STEP_RECORDING: full or lean
	EnqueueBatch    int           // BRIDGEWORK_ENQUEUE_BATCH: most runs committed in one grouped transaction
	WorkerID        string        // BRIDGEWORK_WORKER_ID: stable name of this process's worker
	Role            string        // BRIDGEWORK_ROLE: all, api or worker
	DBMaxConns      int           // BRIDGEWORK_DB_MAX_CONNS: Postgres pool size; 0: the store's default
	DBPollOnly      bool          // BRIDGEWORK_DB_POLL_ONLY: find new jobs by polling, without LISTEN
	LLMURL          string        // BRIDGEWORK_LLM_URL: optional OpenAI-compatible chat completions endpoint
	LLMModel        string        // BRIDGEWORK_LLM_MODEL: model name sent to it
	LLMAPIKey       string        // BRIDGEWORK_LLM_API_KEY: its bearer key
	MetricsToken    string        // BRIDGEWORK_METRICS_TOKEN: bearer token for GET /metrics on the main listener
	MetricsListen   string        // BRIDGEWORK_METRICS_LISTEN: separate host:port serving only /metrics
	Profiling       bool          // BRIDGEWORK_PROFILING: also serve Go's /debug/pprof/ on the metrics listener
	OTLPEndpoint    string        // BRIDGEWORK_OTLP_ENDPOINT: OTLP/HTTP collector URL; empty: no tracing
	SMTPAddr        string        // BRIDGEWORK_SMTP_ADDR: host:port of the relay alert e-mails go through
	SMTPFrom        string        // BRIDGEWORK_SMTP_FROM: sender of alert e-mails
	SMTPUsername    string        // BRIDGEWORK_SMTP_USERNAME: optional relay login
	SMTPPassword    string        // BRIDGEWORK_SMTP_PASSWORD: optional relay password
	// BRIDGEWORK_JWT_PREVIOUS_SECRETS: earlier signing secrets (comma-separated)
	// still accepted for verification after a rotation.
	JWTPreviousSecrets []string
	// BRIDGEWORK_OUTBOUND_ALLOW: CIDRs, addresses or host names (comma-separated)
	// that every tenant's flows may call although they are private or
	// loopback, in addition to each tenant's own outbound_allow.
	OutboundAllow []string
	// BRIDGEWORK_JWKS_URL, _ISSUER, _AUDIENCE: an identity provider whose
	// RS256/ES256 tokens are accepted besides Bridgework's own.
	JWKSURL, JWKSIssuer, JWKSAudience string
	// BRIDGEWORK_OLD_SECRET_KEY: the key credentials are sealed under before
	// bridgework rotate-key moves them to BRIDGEWORK_SECRET_KEY.
	OldSecretKey string
}

// The roles a process can take (BRIDGEWORK_ROLE, serve --role).
const (
	RoleAll    = "all"    // API, webhooks, web app, jobs and schedules
	RoleAPI    = "api"    // API, webhooks and web app; enqueues runs but works none
	RoleWorker = "worker" // jobs and schedules; serves only health and metrics
)

var workerIDPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,99}$`)

// Var describes one environment variable, for --help output and docs.
type Var struct {
	Name, Default, Help string
	Secret              bool
}

// Vars lists every variable Config reads, in display order.
var Vars = []Var{
	{"BRIDGEWORK_DATABASE_URL", DefaultDatabaseURL, "postgres://USER:PASSWORD@HOST/DB for production, or sqlite://PATH for the embedded database", true},
	{"BRIDGEWORK_LISTEN", "127.0.0.1:8080", "address the HTTP server listens on", false},
	{"BRIDGEWORK_PUBLIC_URL", "http://LISTEN", "external base URL, used to build webhook addresses", false},
	{"BRIDGEWORK_ADMIN_TOKEN", "generated into the data directory with SQLite", "platform admin bearer token for tenant provisioning", true},
	{"BRIDGEWORK_SECRET_KEY", "generated into the data directory with SQLite", "32-byte key, base64 or hex, that encrypts stored credentials", true},
	{"BRIDGEWORK_JWT_SECRET", "generated into the data directory with SQLite", "secret (at least 32 bytes) signing access tokens", true},
	{"BRIDGEWORK_LOG_FORMAT", "text", "log format: text or json", false},
	{"BRIDGEWORK_LOG_LEVEL", "info", "log level: debug, info, warn or error", false},
	{"BRIDGEWORK_TOKEN_TTL", "1h", "lifetime of issued access tokens", false},
	{"BRIDGEWORK_MAX_BODY_BYTES", "2097152", "largest accepted request body in bytes", false},
	{"BRIDGEWORK_WORKERS", "20", "flow runs executed concurrently by this process", false},
	{"BRIDGEWORK_SHUTDOWN_TIMEOUT", "30s", "how long running jobs may finish after SIGTERM", false},
	{"BRIDGEWORK_MAX_BACKLOG", "100000", "runs waiting for a worker beyond which webhooks answer 503 with Retry-After", false},
	{"BRIDGEWORK_JOB_TIMEOUT", "10m", "longest one execution of a run may take; a crashed process's runs restart this much (plus 30s) later", false},
	{"BRIDGEWORK_FETCH_COOLDOWN", "100ms", "least time between two fetches of jobs; lower picks runs up sooner at the cost of more queries", false},
	{"BRIDGEWORK_FETCH_POLL_INTERVAL", "1s", "how often workers look for jobs without a notification (SQLite always polls)", false},
	{"BRIDGEWORK_STEP_RECORDING", "full", "what run history keeps of each step: full (input and output) or lean (outputs; inputs only of failed steps and, by reference, of steps whose input is their parent's output; less to write per run)", false},
	{"BRIDGEWORK_ENQUEUE_BATCH", "256", "most webhook runs committed together in one transaction when deliveries arrive at once (1: each alone)", false},
	{"BRIDGEWORK_WORKER_ID", "host name + listen port", "stable name of this process's worker; a process restarted with the same name resumes its crashed predecessor's runs at once", false},
	{"BRIDGEWORK_ROLE", RoleAll, "what this process does: all (API and jobs), api (API and webhooks, enqueues only) or worker (jobs and schedules, serves only /healthz, /readyz and /metrics); api and worker need Postgres", false},
	{"BRIDGEWORK_DB_MAX_CONNS", "30, or pool_max_conns in the URL", "Postgres connections this process may open (its pool size); keep the sum over all processes below the server's max_connections", false},
	{"BRIDGEWORK_DB_POLL_ONLY", "false", "true: workers poll for new jobs every second instead of using LISTEN/NOTIFY, for a PgBouncer in transaction pooling mode (see docs/deployment.md)", false},
	{"BRIDGEWORK_LLM_URL", "unset (off)", "optional OpenAI-compatible chat completions URL that reranks mapping suggestions", false},
	{"BRIDGEWORK_LLM_MODEL", "unset", "model name for BRIDGEWORK_LLM_URL", false},
	{"BRIDGEWORK_LLM_API_KEY", "unset", "bearer key for BRIDGEWORK_LLM_URL", true},
	{"BRIDGEWORK_METRICS_TOKEN", "none", "bearer token (16+ characters) that GET /metrics requires on the main listener; unset: /metrics is not served there", true},
	{"BRIDGEWORK_METRICS_LISTEN", "none", "separate host:port serving only /metrics, without a token (keep it on a private network)", false},
	{"BRIDGEWORK_PROFILING", "false", "true: the metrics listener also serves Go's CPU, heap and goroutine profiles under /debug/pprof/ (needs BRIDGEWORK_METRICS_LISTEN)", false},
	{"BRIDGEWORK_OTLP_ENDPOINT", "none", "OTLP/HTTP collector URL (http://collector:4318) receiving traces; unset: tracing off", false},
	{"BRIDGEWORK_SMTP_ADDR", "none", "host:port of the SMTP relay alert e-mails go through; unset: e-mail channels fail", false},
	{"BRIDGEWORK_SMTP_FROM", "bridgework@localhost", "sender address of alert e-mails", false},
	{"BRIDGEWORK_SMTP_USERNAME", "none", "SMTP relay login (PLAIN auth, over STARTTLS)", false},
	{"BRIDGEWORK_SMTP_PASSWORD", "none", "SMTP relay password", true},
	{"BRIDGEWORK_JWT_PREVIOUS_SECRETS", "none", "earlier JWT secrets, comma-separated, still accepted after a rotation", true},
	{"BRIDGEWORK_OLD_SECRET_KEY", "none", "rotate-key only: the previous BRIDGEWORK_SECRET_KEY", true},
	{"BRIDGEWORK_JWKS_URL", "none", "JWKS URL of an identity provider whose RS256/ES256 tokens are accepted (needs _ISSUER and _AUDIENCE)", false},
	{"BRIDGEWORK_JWKS_ISSUER", "none", "issuer (iss) of the identity provider's tokens", false},
	{"BRIDGEWORK_JWKS_AUDIENCE", "none", "audience (aud) the identity provider sets for Bridgework", false},
	{"BRIDGEWORK_OUTBOUND_ALLOW", "none", "private CIDRs, addresses or host names every tenant's flows may call, comma-separated, in addition to each tenant's outbound_allow (public addresses are always allowed)", false},
}

// Help renders the variable table for a command's --help text.
func Help() string {
	var b strings.Builder
	b.WriteString("Environment:\n")
	for _, v := range Vars {
		suffix := ""
		if v.Secret {
			suffix = " (also " + v.Name + "_FILE)"
		}
		fmt.Fprintf(&b, "  %-28s %s%s\n  %-28s default: %s\n", v.Name, v.Help, suffix, "", v.Default)
	}
	return b.String()
}

// Load reads the configuration from the given lookup function (os.LookupEnv in
// production) and validates it. Errors are plain sentences naming the variable.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	l := loader{lookup: lookup}
	c := &Config{
		DatabaseURL:        l.secret("BRIDGEWORK_DATABASE_URL"), // it carries the database password
		Listen:             l.str("BRIDGEWORK_LISTEN", "127.0.0.1:8080"),
		PublicURL:          l.str("BRIDGEWORK_PUBLIC_URL", ""),
		AdminToken:         l.secret("BRIDGEWORK_ADMIN_TOKEN"),
		SecretKey:          l.secret("BRIDGEWORK_SECRET_KEY"),
		JWTSecret:          l.secret("BRIDGEWORK_JWT_SECRET"),
		LogFormat:          l.str("BRIDGEWORK_LOG_FORMAT", "text"),
		LogLevel:           l.str("BRIDGEWORK_LOG_LEVEL", "info"),
		TokenTTL:           l.duration("BRIDGEWORK_TOKEN_TTL", time.Hour),
		MaxBodyBytes:       l.integer("BRIDGEWORK_MAX_BODY_BYTES", 2<<20),
		Workers:            l.integer("BRIDGEWORK_WORKERS", 20),
		ShutdownTimeout:    l.duration("BRIDGEWORK_SHUTDOWN_TIMEOUT", 30*time.Second),
		MaxBacklog:         l.integer("BRIDGEWORK_MAX_BACKLOG", 100000),
		JobTimeout:         l.duration("BRIDGEWORK_JOB_TIMEOUT", 10*time.Minute),
		FetchCooldown:      l.duration("BRIDGEWORK_FETCH_COOLDOWN", 0),
		FetchPoll:          l.duration("BRIDGEWORK_FETCH_POLL_INTERVAL", 0),
		StepRecording:      l.str("BRIDGEWORK_STEP_RECORDING", "full"),
		EnqueueBatch:       l.integer("BRIDGEWORK_ENQUEUE_BATCH", 256),
		WorkerID:           l.str("BRIDGEWORK_WORKER_ID", ""),
		Role:               l.str("BRIDGEWORK_ROLE", RoleAll),
		DBMaxConns:         l.integer("BRIDGEWORK_DB_MAX_CONNS", 0),
		DBPollOnly:         l.boolean("BRIDGEWORK_DB_POLL_ONLY"),
		LLMURL:             l.str("BRIDGEWORK_LLM_URL", ""),
		LLMModel:           l.str("BRIDGEWORK_LLM_MODEL", ""),
		LLMAPIKey:          l.secret("BRIDGEWORK_LLM_API_KEY"),
		MetricsToken:       l.secret("BRIDGEWORK_METRICS_TOKEN"),
		MetricsListen:      l.str("BRIDGEWORK_METRICS_LISTEN", ""),
		Profiling:          l.boolean("BRIDGEWORK_PROFILING"),
		OTLPEndpoint:       l.str("BRIDGEWORK_OTLP_ENDPOINT", ""),
		SMTPAddr:           l.str("BRIDGEWORK_SMTP_ADDR", ""),
		SMTPFrom:           l.str("BRIDGEWORK_SMTP_FROM", "bridgework@localhost"),
		SMTPUsername:       l.str("BRIDGEWORK_SMTP_USERNAME", ""),
		SMTPPassword:       l.secret("BRIDGEWORK_SMTP_PASSWORD"),
		JWTPreviousSecrets: splitList(l.secret("BRIDGEWORK_JWT_PREVIOUS_SECRETS")),
		OutboundAllow:      splitList(l.str("BRIDGEWORK_OUTBOUND_ALLOW", "")),
		OldSecretKey:       l.secret("BRIDGEWORK_OLD_SECRET_KEY"),
		JWKSURL:            l.str("BRIDGEWORK_JWKS_URL", ""),
		JWKSIssuer:         l.str("BRIDGEWORK_JWKS_ISSUER", ""),
		JWKSAudience:       l.str("BRIDGEWORK_JWKS_AUDIENCE", ""),
	}
	if l.err != nil {
		return nil, l.err
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = DefaultDatabaseURL
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Listen
	}
	if c.WorkerID == "" {
		host, _ := os.Hostname()
		_, port, _ := net.SplitHostPort(c.Listen)
		c.WorkerID = host + "-" + port
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks the values and returns the first problem as a plain sentence.
func (c *Config) Validate() error {
	if _, err := ParseDatabaseURL(c.DatabaseURL); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("BRIDGEWORK_LISTEN must be host:port (for example 127.0.0.1:8080), got %q", c.Listen)
	}
	if !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		return fmt.Errorf("BRIDGEWORK_PUBLIC_URL must start with http:// or https://, got %q", c.PublicURL)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("BRIDGEWORK_LOG_FORMAT must be text or json, got %q", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("BRIDGEWORK_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.TokenTTL < time.Minute || c.TokenTTL > 24*time.Hour {
		return fmt.Errorf("BRIDGEWORK_TOKEN_TTL must be between 1m and 24h, got %s", c.TokenTTL)
	}
	if c.MaxBodyBytes < 1024 || c.MaxBodyBytes > 64<<20 {
		return fmt.Errorf("BRIDGEWORK_MAX_BODY_BYTES must be between 1024 and 67108864, got %d", c.MaxBodyBytes)
	}
	if c.Workers < 1 || c.Workers > 10000 {
		return fmt.Errorf("BRIDGEWORK_WORKERS must be between 1 and 10000, got %d", c.Workers)
	}
	if c.ShutdownTimeout < 0 {
		return fmt.Errorf("BRIDGEWORK_SHUTDOWN_TIMEOUT must not be negative, got %s", c.ShutdownTimeout)
	}
	if !workerIDPattern.MatchString(c.WorkerID) {
		return fmt.Errorf("BRIDGEWORK_WORKER_ID may hold letters, digits, '-', '_', '.' and ':' (at most 100), got %q", c.WorkerID)
	}
	if err := c.validateRole(); err != nil {
		return err
	}
	if c.MaxBacklog < 1 {
		return fmt.Errorf("BRIDGEWORK_MAX_BACKLOG must be at least 1, got %d", c.MaxBacklog)
	}
	if c.JobTimeout < time.Second || c.JobTimeout > 24*time.Hour {
		return fmt.Errorf("BRIDGEWORK_JOB_TIMEOUT must be between 1s and 24h, got %s", c.JobTimeout)
	}
	for name, d := range map[string]time.Duration{"BRIDGEWORK_FETCH_COOLDOWN": c.FetchCooldown, "BRIDGEWORK_FETCH_POLL_INTERVAL": c.FetchPoll} {
		if d != 0 && (d < time.Millisecond || d > time.Hour) {
			return fmt.Errorf("%s must be between 1ms and 1h, got %s", name, d)
		}
	}
	if c.StepRecording != "full" && c.StepRecording != "lean" {
		return fmt.Errorf("BRIDGEWORK_STEP_RECORDING must be full or lean, got %q", c.StepRecording)
	}
	if c.EnqueueBatch < 1 || c.EnqueueBatch > 10000 {
		return fmt.Errorf("BRIDGEWORK_ENQUEUE_BATCH must be between 1 and 10000, got %d", c.EnqueueBatch)
	}
	if c.LLMURL != "" && !strings.HasPrefix(c.LLMURL, "http://") && !strings.HasPrefix(c.LLMURL, "https://") {
		return fmt.Errorf("BRIDGEWORK_LLM_URL must start with http:// or https://, got %q", c.LLMURL)
	}
	if c.LLMURL != "" && c.LLMModel == "" {
		return errors.New("BRIDGEWORK_LLM_MODEL is required when BRIDGEWORK_LLM_URL is set")
	}
	if err := c.validateMonitoring(); err != nil {
		return err
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		return errors.New("BRIDGEWORK_JWT_SECRET must be at least 32 bytes long")
	}
	if c.JWKSURL != "" && (c.JWKSIssuer == "" || c.JWKSAudience == "" || !strings.HasPrefix(c.JWKSURL, "https://") && !strings.HasPrefix(c.JWKSURL, "http://")) {
		return errors.New("BRIDGEWORK_JWKS_URL must be an http(s) URL and needs BRIDGEWORK_JWKS_ISSUER and BRIDGEWORK_JWKS_AUDIENCE")
	}
	for _, prev := range c.JWTPreviousSecrets {
		if len(prev) < 32 {
			return errors.New("every secret in BRIDGEWORK_JWT_PREVIOUS_SECRETS must be at least 32 bytes long")
		}
	}
	if c.AdminToken != "" && len(c.AdminToken) < 16 {
		return errors.New("BRIDGEWORK_ADMIN_TOKEN must be at least 16 characters long")
	}
	return nil
}

// RequireServeSecrets checks what serving needs beyond Validate: with Postgres
// several processes share the database, so the keys cannot be generated
// locally and must be given.
func (c *Config) RequireServeSecrets() error {
	db, _ := ParseDatabaseURL(c.DatabaseURL)
	if !db.Postgres() {
		return nil
	}
	if c.SecretKey == "" {
		return errors.New("BRIDGEWORK_SECRET_KEY is required with a Postgres database (every process must share it)")
	}
	if c.JWTSecret == "" {
		return errors.New("BRIDGEWORK_JWT_SECRET is required with a Postgres database (every process must share it)")
	}
	return nil
}

// Database is a parsed BRIDGEWORK_DATABASE_URL.
type Database struct {
	Dialect string // "postgres" or "sqlite"
	URL     string // the postgres URL as given
	Path    string // the SQLite file path
}

// Postgres reports whether the database is a Postgres server.
func (d Database) Postgres() bool { return d.Dialect == "postgres" }

// DataDir is the directory holding the SQLite file and generated keys.
func (d Database) DataDir() string { return filepath.Dir(d.Path) }

// ParseDatabaseURL interprets BRIDGEWORK_DATABASE_URL.
func ParseDatabaseURL(raw string) (Database, error) {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return Database{Dialect: "postgres", URL: raw}, nil
	case strings.HasPrefix(raw, "sqlite://"):
		path := strings.TrimPrefix(raw, "sqlite://")
		if path == "" {
			return Database{}, errors.New("BRIDGEWORK_DATABASE_URL must name a file after sqlite://, for example sqlite://./bridgework-data/bridgework.db")
		}
		return Database{Dialect: "sqlite", Path: path}, nil
	default:
		return Database{}, fmt.Errorf("BRIDGEWORK_DATABASE_URL must start with postgres:// or sqlite://, got %q", redactURL(raw))
	}
}

// redactURL hides anything that looks like a password in a URL before it is echoed.
func redactURL(raw string) string {
	at := strings.LastIndex(raw, "@")
	scheme := strings.Index(raw, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return raw
	}
	return raw[:scheme+3] + "…" + raw[at:]
}

// loader collects the first error while reading variables.
type loader struct {
	lookup func(string) (string, bool)
	err    error
}

func (l *loader) str(name, def string) string {
	if v, ok := l.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

// secret reads NAME, or the file named by NAME_FILE; setting both is an error.
func (l *loader) secret(name string) string {
	v, hasValue := l.lookup(name)
	file, hasFile := l.lookup(name + "_FILE")
	switch {
	case hasValue && v != "" && hasFile && file != "":
		l.fail(fmt.Errorf("%s and %s_FILE are both set; set only one", name, name))
		return ""
	case hasFile && file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			l.fail(fmt.Errorf("%s_FILE names %q, which cannot be read: %v", name, file, errors.Unwrap(err)))
			return ""
		}
		return strings.TrimSpace(string(b))
	default:
		return strings.TrimSpace(v)
	}
}

func (l *loader) integer(name string, def int) int {
	v := l.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		l.fail(fmt.Errorf("%s must be a whole number, got %q", name, v))
		return def
	}
	return n
}

func (l *loader) boolean(name string) bool {
	v := l.str(name, "false")
	b, err := strconv.ParseBool(v)
	if err != nil {
		l.fail(fmt.Errorf("%s must be true or false, got %q", name, v))
	}
	return b
}

func (l *loader) duration(name string, def time.Duration) time.Duration {
	v := l.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		l.fail(fmt.Errorf("%s must be a duration such as 30s or 5m, got %q", name, v))
		return def
	}
	return d
}

func (l *loader) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// splitList reads a comma-separated list, dropping empty items.
func splitList(raw string) []string {
	var out []string
	for _, item := range strings.Split(raw, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// validateMonitoring checks the metrics, tracing and alert e-mail settings.
func (c *Config) validateMonitoring() error {
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return errors.New("BRIDGEWORK_METRICS_TOKEN must be at least 16 characters long")
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			return fmt.Errorf("BRIDGEWORK_METRICS_LISTEN must be host:port (for example 127.0.0.1:9090), got %q", c.MetricsListen)
		}
		if c.MetricsListen == c.Listen {
			return errors.New("BRIDGEWORK_METRICS_LISTEN must differ from BRIDGEWORK_LISTEN")
		}
	}
	if c.Profiling && c.MetricsListen == "" {
		return errors.New("BRIDGEWORK_PROFILING needs BRIDGEWORK_METRICS_LISTEN: profiles are served only on that private listener")
	}
	if c.OTLPEndpoint != "" && !strings.HasPrefix(c.OTLPEndpoint, "http://") && !strings.HasPrefix(c.OTLPEndpoint, "https://") {
		return fmt.Errorf("BRIDGEWORK_OTLP_ENDPOINT must be an http:// or https:// URL such as http://collector:4318, got %q", c.OTLPEndpoint)
	}
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			return fmt.Errorf("BRIDGEWORK_SMTP_ADDR must be host:port (for example mail.example.com:587), got %q", c.SMTPAddr)
		}
	}
	if !strings.Contains(c.SMTPFrom, "@") {
		return fmt.Errorf("BRIDGEWORK_SMTP_FROM must be an e-mail address, got %q", c.SMTPFrom)
	}
	return nil
}

// validateRole checks BRIDGEWORK_ROLE and the pool size. Splitting the roles
// needs several processes on one database, which only Postgres allows.
func (c *Config) validateRole() error {
	switch c.Role {
	case RoleAll, RoleAPI, RoleWorker:
	default:
		return fmt.Errorf("BRIDGEWORK_ROLE (--role) must be all, api or worker, got %q", c.Role)
	}
	if db, err := ParseDatabaseURL(c.DatabaseURL); err == nil && !db.Postgres() && c.Role != RoleAll {
		return fmt.Errorf("BRIDGEWORK_ROLE (--role) %s needs a Postgres database: the embedded SQLite database serves one process, which must have role all", c.Role)
	}
	if c.DBMaxConns != 0 && (c.DBMaxConns < 2 || c.DBMaxConns > 1000) {
		return fmt.Errorf("BRIDGEWORK_DB_MAX_CONNS must be between 2 and 1000, got %d", c.DBMaxConns)
	}
	return nil
}

// RunsJobs reports whether this process works jobs and periodic schedules.
func (c *Config) RunsJobs() bool { return c.Role != RoleAPI }

// ServesAPI reports whether this process serves the API, webhooks and web app.
func (c *Config) ServesAPI() bool { return c.Role != RoleWorker }
