package customers

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/privacy"
)

// maxCandidateBatch bounds how many candidates one round of a name search
// decrypts; rounds start at the page size and double up to it.
const maxCandidateBatch = 512

// matchingCustomers returns up to want customers matching q after `after`,
// in id order. Name terms are bucketed blind indexes (issue 10, item 10):
// the index returns candidates, some of which only share a bucket with the
// query, so each candidate's decrypted name must pass privacy.NameMatches
// against the typed text, unless the candidate matched an exact term (a
// document, e-mail, phone or plate: 128-bit indexes, exact by themselves).
// Results are therefore exactly those of an unbucketed index.
func (u *UseCases) matchingCustomers(ctx context.Context, q SearchQuery, text string, withPII bool, after uuid.UUID, want int) ([]Customer, error) {
	if len(q.AllOf) == 0 {
		ids, err := u.d.Search.SearchCustomers(ctx, q, after, want)
		if err != nil {
			return nil, err
		}
		return u.d.Customers.CustomersByID(ctx, ids, withPII)
	}
	out := make([]Customer, 0, want)
	batch := want
	for {
		ids, err := u.d.Search.SearchCustomers(ctx, q, after, batch)
		if err != nil || len(ids) == 0 {
			return out, err
		}
		exact, err := u.exactMatches(ctx, q, after, batch)
		if err != nil {
			return nil, err
		}
		found, err := u.d.Customers.CustomersByID(ctx, ids, withPII)
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			if exact[c.ID] || privacy.NameMatches(c.Name, text) {
				out = append(out, c)
				if len(out) == want {
					return out, nil
				}
			}
		}
		if len(ids) < batch {
			return out, nil
		}
		after = ids[len(ids)-1]
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
