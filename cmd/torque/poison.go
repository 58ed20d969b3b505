package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/internal/wiring"
)

// projectionsPoison works off the projections' poison queue: events a
// projection still failed on after its retries (issue 15 item 4).
//
//	torque projections poison list
//	torque projections poison replay ID   (after the cause is fixed)
//	torque projections poison skip ID
func projectionsPoison(ctx context.Context, cfg wiring.Config, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	var id int64
	if args[0] == "replay" || args[0] == "skip" {
		if len(args) < 2 {
			return errUsage
		}
		var err error
		if id, err = strconv.ParseInt(args[1], 10, 64); err != nil {
			return fmt.Errorf("%w: poison queue entry id %q is not a number", errUsage, args[1])
		}
	} else if args[0] != "list" {
		return errUsage
	}
	// The queue is readable only by the maintenance role.
	admin, err := postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseAdminURL, MaxConns: 2})
	if err != nil {
		return err
	}
	defer admin.Close()
	switch args[0] {
	case "list":
		entries, err := projection.ListPoisoned(ctx, admin)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPROJECTION\tTENANT\tEVENT\tSTREAM@VERSION\tPOISONED AT\tREASON")
		for _, e := range entries {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s@%d\t%s\t%s\n", e.ID, e.Projection, e.Tenant, e.EventType, e.Stream, e.Version,
				e.PoisonedAt.UTC().Format(time.RFC3339), e.Reason)
		}
		return tw.Flush()
	case "skip":
		if err := projection.SkipPoisoned(ctx, admin, id); err != nil {
			return err
		}
		fmt.Printf("poison queue entry %d skipped\n", id)
		return nil
	}
	s, err := wiring.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	runner, err := projection.NewRunner(projection.RunnerConfig{Pool: s.Pool, Codec: s.Codec, Projections: s.Projections, Logger: s.Log})
	if err != nil {
		return err
	}
	if err := runner.ReplayPoisoned(ctx, admin, id); err != nil {
		return err
	}
	fmt.Printf("poison queue entry %d replayed\n", id)
	return nil
}
