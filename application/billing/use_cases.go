package billing

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/workshop"
)

// Deps are the ports and settings the billing use cases need.
type Deps struct {
	Store     eventsourcing.EventStore
	Workshops Workshops
	Gateway   Gateway
	Webhooks  WebhookLedger
	// PublicURL is where users reach Torque (the provider's return URLs).
	PublicURL string
	// TrialDays of a new subscription (default 14).
	TrialDays int
}

// UseCases runs the billing use cases.
type UseCases struct {
	usecase.Base
	d         Deps
	workshops *eventsourcing.Repository[*workshop.Workshop]
}

// New wires the use cases; it names every missing port.
func New(base usecase.Base, deps Deps) (*UseCases, error) {
	if err := usecase.Required("billing", map[string]bool{"Store": deps.Store != nil, "Workshops": deps.Workshops != nil,
		"Gateway": deps.Gateway != nil, "Webhooks": deps.Webhooks != nil}); err != nil {
		return nil, err
	}
	if deps.TrialDays == 0 {
		deps.TrialDays = workshop.TrialDays
	}
	return &UseCases{Base: base.WithDefaults(), d: deps,
		workshops: eventsourcing.NewRepository(deps.Store, workshop.StreamType, workshop.Blank)}, nil
}

// ownWorkshop checks that the caller manages billing and reads their
// workshop.
func (u *UseCases) ownWorkshop(ctx context.Context) (authz.Principal, workshops.WorkshopView, error) {
	p, err := authz.Require(ctx, authz.ManageBilling)
	if err != nil {
		return authz.Principal{}, workshops.WorkshopView{}, err
	}
	ws, err := u.d.Workshops.WorkshopByID(ctx, p.Tenant.UUID())
	return p, ws, err
}
