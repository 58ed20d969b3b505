package portal

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
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

// ExportMe is GET /api/v1/portal/{slug}/me/export: the LGPD export of the
// car owner's record (datasubject.ExportCustomer, authz.PortalRead).
func (u *UseCases) ExportMe(ctx context.Context) (datasubject.Export, error) {
	_, id, err := owner(ctx, authz.PortalRead)
	if err != nil {
		return datasubject.Export{}, err
	}
	return u.d.Exports.ExportCustomer(ctx, id)
}

// RequestErasure is POST /api/v1/portal/{slug}/me/erasure-request
// (authz.PortalWrite): it records customer.erasure_requested.v1 on every
// record of the car owner; the workshop's owner confirms in the back office
// (datasubject.EraseCustomer). Asking again is harmless.
func (u *UseCases) RequestErasure(ctx context.Context) error {
	p, _, err := owner(ctx, authz.PortalWrite)
	if err != nil {
		return err
	}
	now := u.base.Now()
	for _, id := range p.CustomerIDs {
		res, err := u.customers.Update(ctx, id, func(c *customer.Customer) error {
			return c.RequestErasure(PatchSource, now)
		})
		if err != nil {
			return err
		}
		u.base.Await(ctx, res)
	}
	return nil
}

// PendingErasures lists the erasure requests the workshop has not confirmed
// yet (back office; authz.EraseCustomer: the owner confirms them).
func (u *UseCases) PendingErasures(ctx context.Context) ([]ErasureRequest, error) {
	if _, err := authz.Require(ctx, authz.EraseCustomer); err != nil {
		return nil, err
	}
	rs, err := u.d.Erasures.PendingErasures(ctx)
	if err != nil || len(rs) == 0 {
		return rs, err
	}
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i] = r.CustomerID
	}
	cs, err := u.d.Customers.CustomersByID(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	names := make(map[uuid.UUID]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	for i := range rs {
		rs[i].Name = names[rs[i].CustomerID]
	}
	return rs, nil
}
