package quotes_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

func TestPortalCurrentQuote_ownOrdersOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.Quotes.PortalCurrentQuote(f.owner(f.Order.CustomerID), f.Order.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("an order without a quote: %v", err)
	}
	q := f.send(t, f.As(authz.RoleAdvisor))
	got, err := f.Quotes.PortalCurrentQuote(f.owner(f.Order.CustomerID), f.Order.ID)
	if err != nil || got.ID != q.ID || len(got.Items) != 2 {
		t.Fatalf("the owner's current quote: %+v, %v", got, err)
	}
	if _, err := f.Quotes.PortalCurrentQuote(f.owner(uuid.Must(uuid.NewV7())), f.Order.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another customer's order: %v", err)
	}
	if _, err := f.Quotes.PortalCurrentQuote(f.As(authz.RoleOwner), f.Order.ID); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff on the portal use case: %v", err)
	}
}
