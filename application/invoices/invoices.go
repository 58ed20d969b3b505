// Package invoices builds the invoice (fatura) of a completed service
// order: the workshop's data, the customer's, the vehicle, the items and
// totals, as data (JSON) and as a PDF through the Renderer port.
//
// The invoice is NOT a fiscal document (NFS-e). FiscalIssuer is the port a
// municipal NFS-e provider would plug into; the binary wires NoFiscalIssuer,
// which issues nothing, and every invoice says it is not a fiscal document.
package invoices

import (
	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/application/workshops"
)

// Deps are the ports of the invoice use cases.
type Deps struct {
	Orders    serviceorders.ReadModel
	Customers customers.ReadModel
	Vehicles  vehicles.ReadModel
	Workshops workshops.Directory
	// Assets holds the workshop's logo; optional (no logo without it).
	Assets workshops.AssetStore
	// Renderer makes the PDF.
	Renderer Renderer
	// Fiscal issues (or finds) the NFS-e of an order; optional: nil is
	// NoFiscalIssuer.
	Fiscal FiscalIssuer
	// Audit records staff reads of the customer's personal data.
	Audit auditlog.Log
}

// UseCases runs the invoice use cases.
type UseCases struct {
	base  usecase.Base
	d     Deps
	audit auditlog.Recorder
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("invoices", map[string]bool{
		"Orders": d.Orders != nil, "Customers": d.Customers != nil, "Vehicles": d.Vehicles != nil,
		"Workshops": d.Workshops != nil, "Renderer": d.Renderer != nil, "Audit": d.Audit != nil,
	}); err != nil {
		return nil, err
	}
	if d.Fiscal == nil {
		d.Fiscal = NoFiscalIssuer{}
	}
	base = base.WithDefaults()
	return &UseCases{base: base, d: d, audit: auditlog.NewRecorder(d.Audit, base)}, nil
}
