package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/config"
)

func envHelp() string { return config.Help() }

// loadConfig reads the environment, reporting a bad value as a usage error.
func loadConfig() (*config.Config, error) {
	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "Runs the REST API, the webhook endpoints, the job workers and the web app.", true, stdout)
	listen := fs.String("listen", "", "address to listen on (overrides BRIDGEWORK_LISTEN)")
	role := fs.String("role", "", "all, api (API and webhooks, enqueue only) or worker (jobs and schedules, health only); overrides BRIDGEWORK_ROLE")
	demoMode := addDemoFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	if *listen != "" || *role != "" {
		if *listen != "" {
			cfg.Listen = *listen
		}
		if *role != "" {
			cfg.Role = *role
		}
		if err := cfg.Validate(); err != nil {
			return usageError{err}
		}
	}
	if *demoMode.enabled && cfg.Role != config.RoleAll {
		return usageError{fmt.Errorf("--demo needs --role all, got %q", cfg.Role)}
	}
	logger := newLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	if _, set := os.LookupEnv("BRIDGEWORK_PUBLIC_URL"); *demoMode.enabled && !set {
		cfg.PublicURL = "http://" + ln.Addr().String() // the sandboxes deliver to the real port
	}
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		ln.Close()
		return err
	}
	if *demoMode.enabled {
		sb, err := startDemo(ctx, a, demoMode, logger, stdout)
		if err != nil {
			ln.Close()
			a.Store.Close()
			return fmt.Errorf("demo: %w", err)
		}
		defer sb.Close()
	}
	logger.Info("bridgework is serving", slog.String("url", "http://"+ln.Addr().String()), slog.String("database", a.Store.Dialect()), slog.String("role", cfg.Role))
	return a.Run(ctx, ln)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "Applies every pending database migration (Bridgework's and the job queue's), then exits. Safe to run repeatedly.", true, stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	st.Close()
	fmt.Fprintln(stdout, "migrations are up to date")
	return nil
}

func runVersion(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("version", "Prints the version of this binary.", false, stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "bridgework", version)
	return nil
}
