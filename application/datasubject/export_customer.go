package datasubject

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
)

// ExportCustomer gathers everything the workshop holds about the person
// (GET .../customers/{id}/export, LGPD portability): profile, vehicles
// with their odometer readings, service orders, notes, consents and
// messages sent. For an erased person it returns the anonymised record
// that remains, which holds nothing personal. A car owner (portal) exports
// the records they act for.
func (u *UseCases) ExportCustomer(ctx context.Context, id uuid.UUID) (Export, error) {
	p, err := authz.RequireOnCustomer(ctx, authz.ExportCustomer, id)
	if err != nil {
		return Export{}, err
	}
	c, err := u.d.Customers.Customer(ctx, id, true)
	if err != nil {
		return Export{}, err
	}
	out := Export{GeneratedAt: u.base.Now(), Profile: c, Vehicles: []VehicleExport{},
		ServiceOrders: []serviceorders.ServiceOrder{}, Notes: []customers.Note{}, Consents: []Consent{}, Messages: []Message{}}
	owned, err := u.d.Vehicles.VehiclesOf(ctx, id)
	if err != nil {
		return Export{}, err
	}
	out.Profile.Vehicles = pagination.NonNil(owned)
	for _, v := range owned {
		rs, err := u.d.Vehicles.Readings(ctx, v.ID)
		if err != nil {
			return Export{}, err
		}
		out.Vehicles = append(out.Vehicles, VehicleExport{Vehicle: v, Readings: pagination.NonNil(rs)})
	}
	if out.ServiceOrders, err = serviceorders.ReadAll(ctx, u.d.Orders, serviceorders.Filter{CustomerID: id}); err != nil {
		return Export{}, err
	}
	if !c.Erased {
		if out.Notes, err = u.d.Customers.Notes(ctx, id); err != nil {
			return Export{}, err
		}
		if out.Consents, err = u.d.Consents.Consents(ctx, id); err != nil {
			return Export{}, err
		}
		if u.d.Messages != nil {
			if out.Messages, err = u.d.Messages.MessagesTo(ctx, id); err != nil {
				return Export{}, err
			}
		}
	}
	out.Notes = pagination.NonNil(out.Notes)
	out.Consents = pagination.NonNil(out.Consents)
	out.Messages = pagination.NonNil(out.Messages)

	var rs auditlog.Reads
	rs.Add(id, c.PersonalFields()...)
	vehicles.AddPlateReads(&rs, owned...)
	if len(out.Notes) > 0 {
		rs.Add(id, "notes")
	}
	if len(out.Consents) > 0 {
		rs.Add(id, "consents")
	}
	if len(out.Messages) > 0 {
		rs.Add(id, "messages")
	}
	if err := u.audit.Record(ctx, p, EndpointExportCustomer, rs); err != nil {
		return Export{}, err
	}
	return out, nil
}
