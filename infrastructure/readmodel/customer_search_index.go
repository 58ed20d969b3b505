package readmodel

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ customers.SearchIndex = (*PostgresCustomerSearchIndex)(nil)

// PostgresCustomerSearchIndex looks customers up in customer_search, which
// CustomerSearchProjection maintains.
type PostgresCustomerSearchIndex struct{ pool *pgxpool.Pool }

// NewCustomerSearchIndex returns the adapter; pool connects as the runtime
// role.
func NewCustomerSearchIndex(pool *pgxpool.Pool) *PostgresCustomerSearchIndex {
	return &PostgresCustomerSearchIndex{pool: pool}
}

// searchSQL finds customers matching any exact term ($2, $3) or all name
// terms ($4, $5; $6 of them). Both sides use customer_search_term; the
// tenant is both the RLS policy's and an explicit condition, so the index
// is used on (tenant_id, kind, term_hash).
const searchSQL = `
WITH wanted_any AS (
    SELECT k, h FROM unnest($2::text[], $3::text[]) AS x(k, h)
), wanted_all AS (
    SELECT k, h FROM unnest($4::text[], $5::text[]) AS x(k, h)
), matched AS (
    SELECT s.customer_id FROM customer_search s JOIN wanted_any w ON s.kind = w.k AND s.term_hash = w.h
     WHERE s.tenant_id = $1
    UNION
    SELECT s.customer_id FROM customer_search s JOIN wanted_all w ON s.kind = w.k AND s.term_hash = w.h
     WHERE s.tenant_id = $1
     GROUP BY s.customer_id
    HAVING count(DISTINCT (s.kind, s.term_hash)) = $6
)
SELECT c.customer_id FROM registry_customers c
 WHERE c.tenant_id = $1 AND NOT c.erased AND c.customer_id > $7
   AND c.customer_id IN (SELECT customer_id FROM matched)
 ORDER BY c.customer_id
 LIMIT $8`

const listCustomersSQL = `
SELECT customer_id FROM registry_customers
 WHERE tenant_id = $1 AND NOT erased AND customer_id > $2
 ORDER BY customer_id
 LIMIT $3`

// SearchCustomers implements customers.SearchIndex.
func (r *PostgresCustomerSearchIndex) SearchCustomers(ctx context.Context, q customers.SearchQuery, after uuid.UUID, limit int) ([]uuid.UUID, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	if q.IsEmpty() {
		return collect(ctx, r.pool, pgx.RowTo[uuid.UUID], listCustomersSQL, tid.UUID(), after, limit)
	}
	ak, ah := splitTerms(q.AnyOf)
	lk, lh := splitTerms(q.AllOf)
	return collect(ctx, r.pool, pgx.RowTo[uuid.UUID], searchSQL, tid.UUID(), ak, ah, lk, lh, len(distinctTerms(q.AllOf)), after, limit)
}

// searchRowsSQL is searchSQL returning the customers' rows (customerSelect)
// instead of their ids, and listRowsSQL is listCustomersSQL's.
var (
	searchRowsSQL = strings.Replace(searchSQL, "SELECT c.customer_id FROM registry_customers c", customerSelect+" c", 1)
	listRowsSQL   = customerSelect + `
 WHERE tenant_id = $1 AND NOT erased AND customer_id > $2
 ORDER BY customer_id
 LIMIT $3`
)

var _ customers.Finder = (*PostgresCustomerReadModel)(nil)

// FindCustomers implements customers.Finder: one transaction of two
// pipelined batches on one connection, the search with the customers' rows
// in one statement, then the audit rows of what was read and COMMIT.
// Decryption follows accept: a name for each candidate offered, the contact
// only for those kept.
func (r *PostgresCustomerReadModel) FindCustomers(ctx context.Context, q customers.SearchQuery, after uuid.UUID, limit int,
	withPII bool, accept func(customers.Customer) (keep, done bool), audit func([]customers.Customer) []auditlog.Entry) (customers.Found, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return customers.Found{}, err
	}
	var out customers.Found
	err = postgres.InTenantPipeline(ctx, r.pool, func(p *postgres.TenantPipeline) error {
		b := &pgx.Batch{}
		if q.IsEmpty() {
			b.Queue(listRowsSQL, tid.UUID(), after, limit)
		} else {
			ak, ah := splitTerms(q.AnyOf)
			lk, lh := splitTerms(q.AllOf)
			b.Queue(searchRowsSQL, tid.UUID(), ak, ah, lk, lh, len(distinctTerms(q.AllOf)), after, limit)
		}
		br := p.Send(ctx, b)
		found, err := r.offer(ctx, br, limit, withPII, accept)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		w := &pgx.Batch{}
		if entries := audit(found.Kept); len(entries) > 0 {
			queueAuditEntries(w, tid.UUID(), entries)
		}
		if err := p.SendLast(ctx, w).Close(); err != nil {
			return fmt.Errorf("audit personal data read: %w", err)
		}
		out = found
		return nil
	})
	if err != nil {
		return customers.Found{}, err
	}
	return out, nil
}

// offer reads the candidates of FindCustomers' batch one row at a time,
// offering each to accept: the rows after accept is done are drained
// undecoded, and a contact is decrypted only for a kept customer.
func (r *PostgresCustomerReadModel) offer(ctx context.Context, br pgx.BatchResults, limit int, withPII bool,
	accept func(customers.Customer) (keep, done bool)) (customers.Found, error) {
	var out customers.Found
	rows, err := br.Query()
	if err != nil {
		return out, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		row, err := scanCustomer(rows)
		if err != nil {
			return out, err
		}
		c, err := r.nameView(ctx, row)
		if err != nil {
			return out, err
		}
		out.Last = row.id
		keep, done := accept(c)
		if keep {
			if withPII && !row.erased {
				if c.Contact, err = r.contact(ctx, row); err != nil {
					return out, err
				}
			}
			out.Kept = append(out.Kept, c)
		}
		if done {
			return out, nil
		}
	}
	out.Exhausted = n < limit
	return out, rows.Err()
}

func splitTerms(ts []customers.IndexTerm) ([]string, []string) {
	ts = distinctTerms(ts)
	kinds, hashes := make([]string, 0, len(ts)), make([]string, 0, len(ts))
	for _, t := range ts {
		kinds, hashes = append(kinds, t.Kind), append(hashes, t.Hash)
	}
	return kinds, hashes
}

func distinctTerms(ts []customers.IndexTerm) []customers.IndexTerm {
	seen := map[customers.IndexTerm]bool{}
	var out []customers.IndexTerm
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
