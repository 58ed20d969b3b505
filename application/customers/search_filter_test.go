package customers_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/pagination"
)

// Name terms are coarse buckets (issue 10, item 10): the fake index answers
// every query with every customer, the worst collision possible. The search
// still returns exactly the customers whose decrypted name matches, and its
// pages still walk them all once.
func TestUseCases_SearchCustomers_exactDespiteBucketCollisions(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	names := []string{"Maria da Silva", "Mariana Souza", "Marcos Silveira", "Ana Maria Dantas", "João Silva", "Mário Lima"}
	for _, n := range names {
		id := uuid.Must(uuid.NewV7())
		f.RM.Customers[id] = customers.Customer{ID: id, Name: n}
	}
	search := func(q string, limit int) []string {
		t.Helper()
		var got []string
		cursor := ""
		for range 20 {
			p, err := f.Customers.SearchCustomers(ctx, customers.SearchCustomersInput{Query: q,
				Page: pagination.Request{Limit: limit, Cursor: cursor}})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				got = append(got, c.Name)
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		slices.Sort(got)
		return got
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"mari", []string{"Ana Maria Dantas", "Maria da Silva", "Mariana Souza", "Mário Lima"}},
		{"maria", []string{"Ana Maria Dantas", "Maria da Silva", "Mariana Souza"}},
		{"silva", []string{"João Silva", "Maria da Silva"}},
		{"silv mar", []string{"Marcos Silveira", "Maria da Silva"}},
		{"da", []string{"Maria da Silva"}},
		{"dan", []string{"Ana Maria Dantas"}},
		{"xavier", nil},
	} {
		for _, limit := range []int{1, 2, 20} {
			if got := search(tt.q, limit); !slices.Equal(got, tt.want) {
				t.Errorf("search %q (limit %d) = %q, want %q", tt.q, limit, got, tt.want)
			}
		}
	}
	// An empty query still lists everyone.
	if got := search("", 4); len(got) != len(names) {
		t.Errorf("list = %q", got)
	}
}
