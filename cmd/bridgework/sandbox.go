package main

import (
	"context"
	"fmt"
	"io"

	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/epicor"
	"github.com/bridgework/bridgework/sandbox/heartland"
	"github.com/bridgework/bridgework/sandbox/seed"
)

func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sandbox", "Runs the Heartland Retail and Epicor Kinetic simulators until stopped (Ctrl-C or SIGTERM) and prints\n"+
		"their connection settings. Default credentials: Heartland API token "+heartland.DefaultToken+"; Epicor API key "+
		epicor.DefaultAPIKey+",\nuser "+epicor.DefaultUsername+", password "+epicor.DefaultPassword+" (Basic or TokenResource.svc), instance "+epicor.DefaultInstance+", company "+seed.Company+".\n"+
		"Test controls (faults, request log, reset, events) are under /_sandbox/ on both; see docs/sandboxes.md.", false, stdout)
	hl := fs.String("heartland-listen", sandbox.DefaultHeartlandListen, "address of the Heartland Retail simulator (:0 picks a free port)")
	ep := fs.String("epicor-listen", sandbox.DefaultEpicorListen, "address of the Epicor Kinetic simulator (:0 picks a free port)")
	seedN := fs.Int64("seed", 1, "seed of the generated data (the same seed gives the same data)")
	data := fs.String("data", "", "JSON dataset file replacing the generated data")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *seedN < 1 {
		return usageError{fmt.Errorf("--seed must be at least 1, got %d", *seedN)}
	}
	if *logFormat != "text" && *logFormat != "json" {
		return usageError{fmt.Errorf("--log-format must be text or json, got %q", *logFormat)}
	}
	logger := newLogger(stderr, *logFormat, "info")
	run, err := sandbox.Start(ctx, sandbox.Options{HeartlandListen: *hl, EpicorListen: *ep, Seed: *seedN, DataFile: *data, Logger: logger})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Heartland Retail sandbox (connection type heartland)\n  base_url   %s/api\n  api_token  %s\n",
		run.HeartlandURL, heartland.DefaultToken)
	fmt.Fprintf(stdout, "Epicor Kinetic sandbox (connection type epicor)\n  base_url   %s\n  instance   %s\n  company    %s\n"+
		"  api_key    %s\n  username   %s\n  password   %s\n  OData root %s\n",
		run.EpicorURL, epicor.DefaultInstance, run.Epicor.Company(), epicor.DefaultAPIKey,
		epicor.DefaultUsername, epicor.DefaultPassword, run.EpicorODataURL)
	fmt.Fprintln(stdout, "Test controls under /_sandbox/ on both (faults, requests, reset); see docs/sandboxes.md. Stop with Ctrl-C.")
	<-ctx.Done()
	return run.Close()
}
