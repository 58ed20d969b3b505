package usecase_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
)

type lagging struct{ err error }

func (l lagging) AwaitProjections(context.Context, eventsourcing.AppendResult) error { return l.err }

// Issue 15 item 5: a read-your-writes wait that times out is recorded in the
// request's report (stream@version), never silently dropped; one that
// succeeds records nothing.
func TestAwait_reportsStaleWrites(t *testing.T) {
	id := uuid.Must(uuid.NewV7())
	res := eventsourcing.AppendResult{Stream: eventsourcing.StreamRef{Type: "customer", ID: id}, FromVersion: 3, ToVersion: 4,
		Events: []eventsourcing.Recorded{{Version: 3}, {Version: 4}}}

	ctx, rep := usecase.WithStalenessReport(context.Background())
	usecase.Base{Consistency: lagging{errors.New("projection has not caught up")}}.WithDefaults().Await(ctx, res, res)
	if got := rep.Positions(); len(got) != 1 || got[0] != "customer/"+id.String()+"@4" {
		t.Fatalf("positions = %v, want [customer/%s@4]", got, id)
	}

	ctx, rep = usecase.WithStalenessReport(context.Background())
	usecase.Base{Consistency: lagging{}}.WithDefaults().Await(ctx, res)
	if got := rep.Positions(); len(got) != 0 {
		t.Fatalf("a write that caught up reports %v", got)
	}
	// No report in the context (a worker, a CLI): nothing to record, no panic.
	usecase.Base{Consistency: lagging{errors.New("late")}}.WithDefaults().Await(context.Background(), res)
}
