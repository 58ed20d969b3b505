package wiring

import (
	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/infrastructure/invoicepdf"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// Quoting are the use cases of quotes (orçamentos) and invoices (faturas).
type Quoting struct {
	Quotes   *quotes.UseCases
	Invoices *invoices.UseCases
}

// NewQuoting builds the quote and invoice modules on the system's adapters.
// Invoices are not fiscal documents: the FiscalIssuer is
// invoices.NoFiscalIssuer until an NFS-e provider is integrated.
func (s *System) NewQuoting() (*Quoting, error) {
	base := usecase.Base{Consistency: s.Consistency, Logger: s.Log}
	auditLog := readmodel.NewAuditLog(s.Pool)
	var q Quoting
	var err error
	if q.Quotes, err = quotes.New(base, quotes.Deps{Store: s.Store, Quotes: readmodel.NewQuoteLocator(s.Pool),
		Audit: auditLog, Catalogs: s.Catalogs}); err != nil {
		return nil, err
	}
	if q.Invoices, err = invoices.New(base, invoices.Deps{Orders: readmodel.NewServiceOrderReadModel(s.Pool, s.Cipher),
		Customers: readmodel.NewCustomerReadModel(s.Pool, s.Cipher), Vehicles: readmodel.NewVehicleReadModel(s.Pool, s.Cipher),
		Workshops: s.Directory, Assets: readmodel.NewAssetStore(s.Pool), Renderer: invoicepdf.New(),
		Fiscal: invoices.NoFiscalIssuer{}, Audit: auditLog}); err != nil {
		return nil, err
	}
	return &q, nil
}

// quoteHandlers are the REST handlers of quotes and invoices; their
// MountPortal belongs under /api/v1/portal/{slug}.
func (s *System) quoteHandlers() *httpapi.QuoteHandlers {
	return &httpapi.QuoteHandlers{Quotes: s.Quoting.Quotes, Invoices: s.Quoting.Invoices, TrustProxy: s.Cfg.TrustProxy, Log: s.Log}
}
