package invoices

import "context"

// Renderer renders an invoice as a document.
type Renderer interface {
	// RenderPDF returns the invoice as a PDF (pt-BR), stating that it is
	// not a fiscal document unless Fiscal.Issued.
	RenderPDF(ctx context.Context, inv Invoice) ([]byte, error)
}

// FiscalIssuer is where an NFS-e (nota fiscal de serviço eletrônica)
// provider plugs in.
type FiscalIssuer interface {
	// Issue returns the NFS-e of the invoice's order, issuing it if there
	// is none yet. It must be idempotent per order (Invoice.OrderID): it is
	// called each time the invoice is read. A zero FiscalReceipt means no
	// fiscal document exists.
	Issue(ctx context.Context, inv Invoice) (FiscalReceipt, error)
}

// FiscalReceipt names an issued NFS-e.
type FiscalReceipt struct {
	Issued   bool
	Provider string
	Number   string
	URL      string
}

// NoFiscalIssuer issues nothing: Torque's invoices are not fiscal
// documents until a provider is integrated.
type NoFiscalIssuer struct{}

// Issue implements FiscalIssuer.
func (NoFiscalIssuer) Issue(context.Context, Invoice) (FiscalReceipt, error) {
	return FiscalReceipt{}, nil
}
