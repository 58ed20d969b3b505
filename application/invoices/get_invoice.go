package invoices

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
)

// EndpointGetInvoice names a staff read of an invoice in the audit log.
const EndpointGetInvoice = "invoices.GetInvoice"

// CodeNotCompleted is the conflict code of an invoice asked for an order
// that is not completed or delivered.
const CodeNotCompleted = "order_not_completed"

// logoAsset is the asset name workshops.UploadLogo stores the logo under.
const logoAsset = "logo"

// GetInvoice returns the invoice of a completed or delivered order
// (permission invoice.read); another status is an errs.ErrConflict (409).
// The customer's personal data on it is audited.
func (u *UseCases) GetInvoice(ctx context.Context, orderID uuid.UUID) (Invoice, error) {
	p, err := authz.Require(ctx, authz.ReadInvoice)
	if err != nil {
		return Invoice{}, err
	}
	return u.build(ctx, p, orderID)
}

func (u *UseCases) build(ctx context.Context, p authz.Principal, orderID uuid.UUID) (Invoice, error) {
	o, err := u.d.Orders.ServiceOrder(ctx, orderID)
	if err != nil {
		return Invoice{}, err
	}
	portal := p.Role == authz.RoleCustomer
	if portal && !p.ActsFor(o.CustomerID) {
		return Invoice{}, fmt.Errorf("service order %s: %w", orderID, errs.ErrNotFound)
	}
	if o.Status != "completed" && o.Status != "delivered" {
		return Invoice{}, &errs.ConflictError{Field: "status", Code: CodeNotCompleted,
			Message: "an invoice exists only for a completed or delivered order"}
	}
	inv := invoiceOf(o)
	ws, err := u.d.Workshops.WorkshopByID(ctx, p.Tenant.UUID())
	if err != nil {
		return Invoice{}, err
	}
	pr := ws.Profile
	inv.TimeZone = ws.TimeZone
	inv.Workshop = Party{Name: ws.Name, LegalName: pr.LegalName, Document: pr.CNPJ, DocumentType: "cnpj", Email: pr.Email,
		Phone: pr.Phone, Address: Address{Street: pr.Street, Number: pr.Number, Complement: pr.Complement,
			District: pr.District, City: pr.City, State: pr.State, PostalCode: pr.PostalCode}}
	if pr.CNPJ == "" {
		inv.Workshop.DocumentType = ""
	}
	if u.d.Assets != nil {
		logo, err := u.d.Assets.Get(ctx, logoAsset)
		switch {
		case err == nil:
			inv.Workshop.Logo, inv.Workshop.LogoContentType = logo.Data, logo.ContentType
		case !errors.Is(err, errs.ErrNotFound):
			return Invoice{}, err
		}
	}
	c, err := customers.ReadActive(ctx, u.d.Customers, o.CustomerID, true)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		// Erased: the invoice keeps the workshop's fiscal record without the person.
	case err != nil:
		return Invoice{}, err
	default:
		inv.Customer = Party{Name: c.Name}
		if k := c.Contact; k != nil {
			inv.Customer.Document, inv.Customer.DocumentType, inv.Customer.Email = k.Document, k.DocumentType, k.Email
			inv.Customer.Phone = k.Phones.Mobile
			if inv.Customer.Phone == "" {
				inv.Customer.Phone = k.Phones.Landline
			}
			a := k.Address
			inv.Customer.Address = Address{Street: a.Street, Number: a.Number, Complement: a.Complement, District: a.District,
				City: a.City, State: a.State, PostalCode: a.PostalCode}
		}
	}
	v, err := u.d.Vehicles.Vehicle(ctx, o.VehicleID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
	case err != nil:
		return Invoice{}, err
	default:
		inv.Vehicle = Vehicle{Plate: v.Plate, Make: v.Make, Model: v.Model, Year: v.Year, MileageKm: o.MileageKm}
	}
	if !portal {
		var rs auditlog.Reads
		rs.Add(c.ID, c.PersonalFields()...)
		vehicles.AddPlateReads(&rs, v)
		if err := u.audit.Record(ctx, p, EndpointGetInvoice, rs); err != nil {
			return Invoice{}, err
		}
	}
	if inv.Fiscal, err = u.d.Fiscal.Issue(ctx, inv); err != nil {
		return Invoice{}, fmt.Errorf("fiscal issuer: %w", err)
	}
	return inv, nil
}

func invoiceOf(o serviceorders.ServiceOrder) Invoice {
	inv := Invoice{OrderID: o.ID, OrderNumber: o.Number, OrderStatus: o.Status, OpenedAt: o.OpenedAt, TotalCents: o.TotalCents,
		Items: make([]Item, 0, len(o.Items))}
	for _, h := range o.StatusHistory {
		if h.To == "completed" {
			inv.CompletedAt = h.At
		}
	}
	for _, it := range o.Items {
		inv.Items = append(inv.Items, Item(it))
	}
	return inv
}
