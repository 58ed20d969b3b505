package readmodel_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/infrastructure/crypto"
)

// collidingPrefixes finds two different three-letter prefixes whose name
// buckets are equal under the workshop's blind-index key (4,096 buckets:
// a collision turns up after about 80 prefixes).
func collidingPrefixes(ctx context.Context, t *testing.T, ix privacy.BlindIndexer) (string, string) {
	t.Helper()
	seen := map[string]string{}
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			for c := 'a'; c <= 'z'; c++ {
				p := string([]rune{a, b, c})
				h, err := ix.Index(ctx, privacy.KindNamePrefix, p)
				if err != nil {
					t.Fatal(err)
				}
				if q, ok := seen[h]; ok {
					return q, p
				}
				seen[h] = p
			}
		}
	}
	t.Fatal("no two prefixes share a bucket")
	return "", ""
}

// Name terms are coarse buckets shared by several names (issue 10, item
// 10); the search filters candidates after decrypting, so results stay
// exact. Two names built on prefixes that collide in this workshop share
// every index row, yet each search finds only its own name.
func TestSearch_exactDespiteBucketCollisionsIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	svc := env.svc
	ws := newTenantID()
	owner := as(ws, authz.RoleOwner)
	p1, p2 := collidingPrefixes(owner, t, env.cipher.BlindIndexer())
	a := try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: p1 + "ano " + p2 + "elo"})).must(t)
	b := try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: p2 + "ino " + p1 + "ola"})).must(t)
	c := try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: p1 + "ina"})).must(t)

	buckets := func(id uuid.UUID) []string {
		return adminStrings(t, env, `SELECT term_hash FROM customer_search WHERE customer_id = $1 AND field = 'name' ORDER BY term_hash`, id)
	}
	waitIndexed(t, env, a.ID, b.ID, c.ID)
	bucketsA, bucketsB := buckets(a.ID), buckets(b.ID)
	if !slices.Equal(bucketsA, bucketsB) {
		t.Fatalf("constructed names do not share their buckets: %v vs %v", bucketsA, bucketsB)
	}
	for _, tt := range []struct {
		q    string
		want []uuid.UUID
	}{
		{p1 + "ano", []uuid.UUID{a.ID}},
		{p2 + "ino", []uuid.UUID{b.ID}},
		{p1 + "an " + p2 + "e", []uuid.UUID{a.ID}},
		{p1 + "ola", []uuid.UUID{b.ID}},
		{p1 + "in", []uuid.UUID{c.ID}},
		{p1, sorted(a.ID, b.ID, c.ID)},
		{p2, sorted(a.ID, b.ID)},
		{p2 + "inoz", nil},
	} {
		if got := searchIDs(owner, t, svc, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func sorted(ids ...uuid.UUID) []uuid.UUID {
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return ids
}

// What someone with the database and no key sees of a name (issue 10, item
// 10): one short bucket per distinct word, no nested prefixes, so the index
// shows neither the length of a word nor which names share a longer prefix.
func TestSearch_indexShowsNoNameTreeIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	svc := env.svc
	owner := as(newTenantID(), authz.RoleOwner)
	maxi := try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: "Maximiliano de Albuquerque Maximiliano"})).must(t)
	mar := try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: "Mariana Albuquerque"})).must(t)
	mra := try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: "Marianna Albuquerqueiro"})).must(t)

	waitIndexed(t, env, maxi.ID, mar.ID, mra.ID)
	for _, tt := range []struct {
		id    uuid.UUID
		words int
	}{{maxi.ID, 3}, {mar.ID, 2}, {mra.ID, 2}} {
		rows := adminStrings(t, env, `SELECT kind || ':' || term_hash FROM customer_search WHERE customer_id = $1 AND field = 'name'`, tt.id)
		if len(rows) != tt.words {
			t.Errorf("customer %s has %d name index rows %v, want one per distinct word (%d)", tt.id, len(rows), rows, tt.words)
		}
		for _, r := range rows {
			if len(r) != len("name_prefix:")+crypto.NameBucketBits/4 && len(r) != len("name_word:")+crypto.NameBucketBits/4 {
				t.Errorf("name index row %q is not a %d-bit bucket", r, crypto.NameBucketBits)
			}
		}
	}
	// "Mariana" and "Marianna" (and "Albuquerque"/"Albuquerqueiro") have
	// exactly the same rows: the index no longer tells them apart.
	same := func(id uuid.UUID) []string {
		return adminStrings(t, env, `SELECT term_hash FROM customer_search WHERE customer_id = $1 AND field = 'name' ORDER BY 1`, id)
	}
	if a, b := same(mar.ID), same(mra.ID); !slices.Equal(a, b) {
		t.Errorf("similar names are told apart by the index: %v vs %v", a, b)
	}
	if got := searchIDs(owner, t, svc, "mariann"); !slices.Equal(got, []uuid.UUID{mra.ID}) {
		t.Errorf("search mariann = %v", got)
	}
	if got := searchIDs(owner, t, svc, "de"); !slices.Equal(got, []uuid.UUID{maxi.ID}) {
		t.Errorf("search de = %v", got)
	}
}

// adminStrings reads one text column as the maintenance role: the view of
// someone holding the database but no key.
func adminStrings(t *testing.T, env *registryEnv, sql string, args ...any) []string {
	t.Helper()
	rows, err := env.db.Admin.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitIndexed waits until the search projection indexed every customer
// (read-your-writes gives up after its timeout on a loaded machine).
func waitIndexed(t *testing.T, env *registryEnv, ids ...uuid.UUID) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for _, id := range ids {
		for env.db.Count(t, `SELECT count(*) FROM customer_search WHERE customer_id = $1`, id) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("customer %s never indexed (poisoned: %v)", id,
					adminStrings(t, env, `SELECT projection || ' ' || event_type || ': ' || reason FROM projection_poison`))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
