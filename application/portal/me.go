package portal

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

// PatchSource is the source recorded for changes made in the portal.
const PatchSource = "portal"

// owner returns the car owner's principal and the record the portal shows
// as "me": the oldest customer record of the workshop with their e-mail.
func owner(ctx context.Context, action authz.Action) (authz.Principal, uuid.UUID, error) {
	p, err := authz.Require(ctx, action)
	if err != nil {
		return p, uuid.Nil, err
	}
	if p.Role != authz.RoleCustomer || len(p.CustomerIDs) == 0 {
		return p, uuid.Nil, fmt.Errorf("portal: no customer record: %w", errs.ErrNotFound)
	}
	return p, p.CustomerIDs[0], nil
}

// Me is GET /api/v1/portal/{slug}/me: the car owner's profile and vehicles
// (authz.PortalRead; recorded in the audit log as their own read). When the
// workshop holds several records with their e-mail, the profile is the
// oldest one and Vehicles are those of every record.
func (u *UseCases) Me(ctx context.Context) (customers.Customer, error) {
	p, id, err := owner(ctx, authz.PortalRead)
	if err != nil {
		return customers.Customer{}, err
	}
	me, err := u.d.Records.GetCustomer(ctx, id)
	if err != nil {
		return customers.Customer{}, err
	}
	for _, other := range p.CustomerIDs[1:] {
		c, err := u.d.Records.GetCustomer(ctx, other)
		if err != nil {
			return customers.Customer{}, err
		}
		me.Vehicles = append(me.Vehicles, c.Vehicles...)
	}
	return me, nil
}

// MePatch is PATCH /api/v1/portal/{slug}/me: a JSON merge patch of the
// contact (phones) and the address. The e-mail is the portal login, so the
// owner asks the workshop to change it; name and document are the
// workshop's to correct.
type MePatch struct {
	Phones  customer.Optional[customer.PhonesPatch]
	Address customer.Optional[customer.AddressPatch]
	// ExpectedVersion, when set, fails with errs.ErrPreconditionFailed
	// unless the record is at that version.
	ExpectedVersion *int64
}
