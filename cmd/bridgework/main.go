// Command bridgework is the single Bridgework binary: the server, its
// migrations and its tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/bridgework/bridgework/internal/pan"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the API, the workers and the web app", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"sandbox", "run the Heartland and Epicor simulators for trying flows out", runSandbox},
		{"bench", "measure throughput and latency end to end (starts its own server and databases)", runBench},
		{"rotate-key", "re-encrypt stored credentials under a new secret key", runRotateKey},
		{"version", "print the version", runVersion},
	}
}

// usageError marks errors caused by how the binary was called (exit code 2).
type usageError struct{ error }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var ue usageError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "bridgework %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "bridgework %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "bridgework: unknown command %q (run bridgework --help)\n", args[0])
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Bridgework keeps Heartland Retail and Epicor Kinetic (and anything speaking HTTP+JSON) in sync.")
	fmt.Fprintln(w, "\nUsage: bridgework COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun bridgework COMMAND --help for a command's flags and environment.")
}

// newFlags makes a flag set whose --help prints the summary, the flags and,
// when env is true, the environment variables.
func newFlags(name, summary string, env bool, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: bridgework %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
		if env {
			fmt.Fprintln(stdout)
			fmt.Fprint(stdout, envHelp())
		}
	}
	return fs
}

// parse parses flags, turning a bad flag into a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// newLogger returns the process logger: text, or JSON when asked, with card
// numbers and credentials masked.
func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(pan.LogHandler(slog.NewJSONHandler(w, opts)))
	}
	return slog.New(pan.LogHandler(slog.NewTextHandler(w, opts)))
}
