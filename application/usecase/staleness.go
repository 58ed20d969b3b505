package usecase

import (
	"context"
	"strconv"
	"sync"

	"github.com/torquehq/torque/application/eventsourcing"
)

// StalenessReport collects, for one request, the writes whose read models did
// not catch up within the consistency wait. The write itself is committed;
// what the response shows may not include it yet, and the interface says so
// (HTTP: the Torque-Consistency header) instead of pretending.
type StalenessReport struct {
	mu        sync.Mutex
	positions []string
}

type stalenessKey struct{}

// WithStalenessReport returns ctx carrying a new, empty report.
func WithStalenessReport(ctx context.Context) (context.Context, *StalenessReport) {
	r := &StalenessReport{}
	return context.WithValue(ctx, stalenessKey{}, r), r
}

// Positions lists the stale writes as "<stream type>/<stream id>@<version>":
// the version a later read of that stream will show once the read models
// have caught up.
func (r *StalenessReport) Positions() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.positions...)
}

func (r *StalenessReport) add(res eventsourcing.AppendResult) {
	pos := res.Stream.String() + "@" + strconv.FormatInt(res.ToVersion, 10)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.positions {
		if p == pos {
			return
		}
	}
	r.positions = append(r.positions, pos)
}

func reportStale(ctx context.Context, res eventsourcing.AppendResult) {
	if r, ok := ctx.Value(stalenessKey{}).(*StalenessReport); ok {
		r.add(res)
	}
}
