package invoices

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// PortalInvoicePDF returns the invoice PDF of one of the car owner's own
// orders (permission portal.read); any other order is errs.ErrNotFound.
func (u *UseCases) PortalInvoicePDF(ctx context.Context, orderID uuid.UUID) ([]byte, Invoice, error) {
	p, err := authz.Require(ctx, authz.PortalRead)
	if err != nil {
		return nil, Invoice{}, err
	}
	inv, err := u.build(ctx, p, orderID)
	if err != nil {
		return nil, Invoice{}, err
	}
	pdf, err := u.d.Renderer.RenderPDF(ctx, inv)
	return pdf, inv, err
}
