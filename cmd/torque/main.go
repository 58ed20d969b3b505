// Command torque is the single Torque binary: the HTTP API and web UI, the
// projection worker, migrations, projection maintenance and demo data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/torquehq/torque/infrastructure/crypto"
)

const usage = `torque — SaaS for Brazilian auto-repair workshops

Usage:
  torque serve [--with-worker=true]   HTTP API (and, by default, the projection worker)
  torque worker                       projection and side-effect worker only
  torque migrate                      apply Postgres (and ClickHouse) migrations
  torque projections status           lag of every projection
  torque projections rebuild NAME|all rebuild read models from the event store
  torque projections poison list      events a projection failed on after its retries
  torque projections poison replay ID apply a poisoned event again (after the fix)
  torque projections poison skip ID   drop a poisoned event from the queue
  torque seed [flags]                 load demo data (see torque seed -h)
  torque keys rotate                  re-wrap tenant keys under the first master key
  torque keys generate ID             print a new master key "ID:base64" for TORQUE_MASTER_KEYS
  torque fakes                        local WhatsApp Cloud API and SMS (Twilio) fakes with a page of every message
  torque version

Configuration comes only from TORQUE_* environment variables (see README.md).
`

var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "torque:", err)
		if errors.Is(err, errUsage) {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	if needsNoConfig(args) {
		return runWithoutConfig(args)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		withWorker := fs.Bool("with-worker", true, "also run the projection worker in this process")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return serve(ctx, cfg, *withWorker)
	case "worker":
		return worker(ctx, cfg)
	case "migrate":
		return migrate(ctx, cfg)
	case "projections":
		if len(args) < 2 {
			return errUsage
		}
		switch args[1] {
		case "status":
			return projectionsStatus(ctx, cfg)
		case "rebuild":
			if len(args) < 3 {
				return errUsage
			}
			return projectionsRebuild(ctx, cfg, args[2])
		case "poison":
			return projectionsPoison(ctx, cfg, args[2:])
		}
		return errUsage
	case "keys":
		if len(args) < 2 {
			return errUsage
		}
		switch args[1] {
		case "rotate":
			return keysRotate(ctx, cfg)
		}
		return errUsage
	case "seed":
		return seed(ctx, cfg, args[1:])
	case "fakes":
		return fakes(ctx, cfg)
	}
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

// needsNoConfig says whether a command runs without the configuration (and
// so without the secrets that production requires): printing the version or
// the usage, and generating a master key for a new deployment.
func needsNoConfig(args []string) bool {
	switch args[0] {
	case "version", "help", "-h", "--help":
		return true
	case "keys":
		return len(args) >= 2 && args[1] == "generate"
	}
	return false
}

func runWithoutConfig(args []string) error {
	switch args[0] {
	case "version":
		fmt.Println(version)
		return nil
	case "keys":
		if len(args) < 3 {
			return errUsage
		}
		k, err := crypto.GenerateMasterKey(args[2])
		if err != nil {
			return err
		}
		fmt.Println(k)
		return nil
	}
	fmt.Print(usage)
	return nil
}
