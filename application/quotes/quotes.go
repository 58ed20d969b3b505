// Package quotes holds the use cases of quotes (orçamentos): staff send a
// quote for a service order, and the car owner approves or declines each
// line from the portal. A quote lives in the service-order stream
// (domain/serviceorder, SendQuote and DecideQuote), so the decision, the
// order's new items and its new status are one append.
//
// Events for other modules: service_order.quote_sent.v1 (the customer
// should be told, with a portal link) and service_order.quote_decided.v1.
package quotes

import (
	"context"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/serviceorder"
)

// Deps are the ports of the quote use cases.
type Deps struct {
	// Store loads and appends service-order streams.
	Store eventsourcing.EventStore
	// Quotes finds the order a quote belongs to.
	Quotes Locator
	// Audit records staff reads of a decision's evidence (personal data).
	Audit auditlog.Log
	// Catalogs is optional: without it every workshop uses catalog.Default().
	Catalogs Catalogs
}

// UseCases runs the quote use cases.
type UseCases struct {
	base   usecase.Base
	d      Deps
	audit  auditlog.Recorder
	orders *eventsourcing.Repository[*serviceorder.ServiceOrder]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("quotes", map[string]bool{
		"Store": d.Store != nil, "Quotes": d.Quotes != nil, "Audit": d.Audit != nil,
	}); err != nil {
		return nil, err
	}
	base = base.WithDefaults()
	return &UseCases{base: base, d: d, audit: auditlog.NewRecorder(d.Audit, base),
		orders: eventsourcing.NewRepository(d.Store, serviceorder.StreamType, serviceorder.Blank)}, nil
}

func (u *UseCases) catalog(ctx context.Context) (catalog.Catalog, error) {
	if u.d.Catalogs == nil {
		return catalog.Default(), nil
	}
	return u.d.Catalogs.Catalog(ctx)
}
