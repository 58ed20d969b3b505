package customers

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/privacy"
)

// maxCandidateBatch bounds how many candidates one round of a name search
// decrypts; rounds start at the page size and double up to it.
const maxCandidateBatch = 512

// matchingCustomers returns up to limit+1 customers matching q after
// `after`, in id order, and records the read of the first limit in the audit
// log (in the same transaction as the read when a Finder is wired). Name
// terms are bucketed blind indexes (issue 10, item 10): the index returns
// candidates, some of which only share a bucket with the query, so each
// candidate's decrypted name must pass privacy.NameMatches against the typed
// text, unless the candidate matched an exact term (a document, e-mail,
// phone or plate: 128-bit indexes, exact by themselves). Results are
// therefore exactly those of an unbucketed index.
func (u *UseCases) matchingCustomers(ctx context.Context, p authz.Principal, q SearchQuery, text string, withPII bool,
	after uuid.UUID, limit int) ([]Customer, error) {
	want := limit + 1
	filter := len(q.AllOf) > 0
	out := make([]Customer, 0, want)
	batch := want
	if filter {
		// Some candidates of a name only share its bucket (115 for 14
		// matches of "carlos" among 1,000 customers); reading six pages'
		// worth in the first round spares most searches a second one (each a
		// transaction of its own), and only the names accept looks at are
		// decrypted.
		batch = min(6*want, maxCandidateBatch)
	}
	for {
		var exact map[uuid.UUID]bool
		if filter {
			var err error
			if exact, err = u.exactMatches(ctx, q, after, batch); err != nil {
				return nil, err
			}
		}
		// accept takes this round's matches until the page and its
		// look-ahead are full; the audit log records those that land on the
		// page (not the look-ahead one).
		taken := 0
		accept := func(c Customer) (keep, done bool) {
			if keep = !filter || exact[c.ID] || privacy.NameMatches(c.Name, text); keep {
				taken++
			}
			return keep, len(out)+taken == want
		}
		shown := func(kept []Customer) []Customer { return kept[:min(len(kept), max(0, limit-len(out)))] }
		var found Found
		if u.d.Finder != nil {
			var err error
			found, err = u.d.Finder.FindCustomers(ctx, q, after, batch, withPII, accept, func(kept []Customer) []auditlog.Entry {
				return u.audit.Entries(ctx, p, EndpointSearchCustomers, searchReads(shown(kept)))
			})
			if err != nil {
				return nil, err
			}
		} else {
			ids, err := u.d.Search.SearchCustomers(ctx, q, after, batch)
			if err != nil {
				return nil, err
			}
			cands, err := u.d.Customers.CustomersByID(ctx, ids, withPII)
			if err != nil {
				return nil, err
			}
			for _, c := range cands {
				keep, done := accept(c)
				if keep {
					found.Kept = append(found.Kept, c)
				}
				if done {
					break
				}
			}
			if err := u.audit.Record(ctx, p, EndpointSearchCustomers, searchReads(shown(found.Kept))); err != nil {
				return nil, err
			}
			found.Exhausted = len(ids) < batch
			if len(ids) > 0 {
				found.Last = ids[len(ids)-1]
			}
		}
		out = append(out, found.Kept...)
		if len(out) == want || found.Exhausted {
			return out, nil
		}
		after = found.Last
		batch = min(batch*2, maxCandidateBatch)
	}
}

// exactMatches returns the customers after `after` that match an exact term
// of q, among the first n: since they are also candidates of q, these include
// every exact match within a round of n candidates.
func (u *UseCases) exactMatches(ctx context.Context, q SearchQuery, after uuid.UUID, n int) (map[uuid.UUID]bool, error) {
	if len(q.AnyOf) == 0 {
		return nil, nil
	}
	ids, err := u.d.Search.SearchCustomers(ctx, SearchQuery{AnyOf: q.AnyOf}, after, n)
	if err != nil {
		return nil, err
	}
	set := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}
