package invoices

import (
	"context"

	"github.com/google/uuid"
)

// InvoicePDF is GetInvoice rendered as a PDF.
func (u *UseCases) InvoicePDF(ctx context.Context, orderID uuid.UUID) ([]byte, Invoice, error) {
	inv, err := u.GetInvoice(ctx, orderID)
	if err != nil {
		return nil, Invoice{}, err
	}
	pdf, err := u.d.Renderer.RenderPDF(ctx, inv)
	return pdf, inv, err
}
