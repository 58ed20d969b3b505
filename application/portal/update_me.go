package portal

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/domain/customer"
)

// UpdateMe applies the patch to the car owner's record with the same
// validation as the back office (customers.CorrectCustomer, authz.PortalWrite).
func (u *UseCases) UpdateMe(ctx context.Context, in MePatch) (customers.Customer, error) {
	_, id, err := owner(ctx, authz.PortalWrite)
	if err != nil {
		return customers.Customer{}, err
	}
	return u.d.Records.CorrectCustomer(ctx, customers.CorrectCustomerInput{CustomerID: id,
		Patch:           customer.CustomerPatch{Phones: in.Phones, Address: in.Address, Source: PatchSource},
		ExpectedVersion: in.ExpectedVersion})
}
