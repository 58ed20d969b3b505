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
	for {
		var exact map[uuid.UUID]bool
		if filter {
			var err error
			if exact, err = u.exactMatches(ctx, q, after, batch); err != nil {
				return nil, err
			}
		}
		// keep picks this round's matches and names those the audit log must
		// record: the ones that land on the page (not the look-ahead one).
		keep := func(cands []Customer) (kept, shown []Customer) {
			for _, c := range cands {
				if len(out)+len(kept) == want {
					break
				}
				if !filter || exact[c.ID] || privacy.NameMatches(c.Name, text) {
					kept = append(kept, c)
				}
			}
			return kept, kept[:min(len(kept), max(0, limit-len(out)))]
		}
		var kept []Customer
		var seen int
		var last uuid.UUID
		if u.d.Finder != nil {
			cands, err := u.d.Finder.FindCustomers(ctx, q, after, batch, withPII, func(cands []Customer) []auditlog.Entry {
				var shown []Customer
				kept, shown = keep(cands)
				return u.audit.Entries(ctx, p, EndpointSearchCustomers, searchReads(shown))
			})
			if err != nil {
				return nil, err
			}
			if seen = len(cands); seen > 0 {
				last = cands[seen-1].ID
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
			var shown []Customer
			kept, shown = keep(cands)
			if err := u.audit.Record(ctx, p, EndpointSearchCustomers, searchReads(shown)); err != nil {
				return nil, err
			}
			if seen = len(ids); seen > 0 {
				last = ids[seen-1]
			}
		}
		out = append(out, kept...)
		if len(out) == want || seen < batch {
			return out, nil
		}
		after = last
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
