package datasubject_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/domain/errs"
)

// The car owner gives and withdraws their own consents from the portal;
// another customer's are not found.
func TestConsents_carOwnerOwnRecordOnly(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	c, _ := recordstest.SeedCustomerAndVehicle(t, f, f.As(authz.RoleAdvisor))
	owner := func(id uuid.UUID) authz.Principal {
		return authz.Principal{IdentityID: "car-owner", Email: "c@example.com", Tenant: f.Tenant, Role: authz.RoleCustomer,
			CustomerIDs: []uuid.UUID{id}}
	}
	mine := recordstest.PrincipalCtx(f.Tenant, owner(c.ID))
	if _, err := f.DataSubject.GiveConsent(mine, datasubject.GiveConsentInput{CustomerID: c.ID, Purpose: "marketing",
		Channel: "email", Source: "portal"}); err != nil {
		t.Fatalf("own consent: %v", err)
	}
	if _, err := f.DataSubject.WithdrawConsent(mine, datasubject.WithdrawConsentInput{CustomerID: c.ID, Purpose: "marketing",
		Source: "portal"}); err != nil {
		t.Fatalf("own withdrawal: %v", err)
	}
	f.RM.Customers[c.ID] = customers.Customer{ID: c.ID, Name: "Maria"}
	if _, err := f.DataSubject.ListConsents(mine, c.ID); err != nil {
		t.Fatalf("own consents: %v", err)
	}
	other := recordstest.PrincipalCtx(f.Tenant, owner(uuid.Must(uuid.NewV7())))
	if _, err := f.DataSubject.GiveConsent(other, datasubject.GiveConsentInput{CustomerID: c.ID, Purpose: "marketing",
		Channel: "email"}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another customer's consent: %v", err)
	}
	if _, err := f.DataSubject.ListConsents(other, c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another customer's consents: %v", err)
	}
}
