// Package signup opens a workshop: it creates the owner's identity, the
// workshop in trial and its first subscription checkout, and undoes what it
// did when a later step fails.
package signup

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/workshop"
)

// SlugReservations makes slugs unique across workshops before the workshop
// aggregate exists.
type SlugReservations interface {
	// Reserve fails with errs.ErrConflict when the slug is taken.
	Reserve(ctx context.Context, slug string, workshopID uuid.UUID) error
	// Release frees a reservation held by workshopID (after a failed signup).
	Release(ctx context.Context, slug string, workshopID uuid.UUID) error
}

// Workshops reads the workshops read model.
type Workshops interface {
	// WorkshopByID returns errs.ErrNotFound for an unknown id (also while
	// the read model has not caught up with a new workshop).
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
}

// Checkouts starts a new workshop's subscription checkout (billing.UseCases).
type Checkouts interface {
	// StartSignupCheckout returns the URL the owner opens to subscribe.
	StartSignupCheckout(ctx context.Context, in billing.SignupCheckoutInput) (string, error)
}

// Mailer sends transactional e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, text string) error
}

// Deps are the ports the signup use case needs.
type Deps struct {
	// Mailer is optional: it tells an address's holder that someone tried to
	// sign up with it. PublicURL is the back office's base URL for its links.
	Mailer    Mailer
	PublicURL string

	Store      eventsourcing.EventStore
	Slugs      SlugReservations
	Identities identity.Directory
	Workshops  Workshops
	Checkouts  Checkouts
}

// UseCases runs the signup use case.
type UseCases struct {
	usecase.Base
	d         Deps
	workshops *eventsourcing.Repository[*workshop.Workshop]
}

// New wires the use case; it names every missing port.
func New(base usecase.Base, deps Deps) (*UseCases, error) {
	if err := usecase.Required("signup", map[string]bool{"Store": deps.Store != nil, "Slugs": deps.Slugs != nil,
		"Identities": deps.Identities != nil, "Workshops": deps.Workshops != nil, "Checkouts": deps.Checkouts != nil}); err != nil {
		return nil, err
	}
	return &UseCases{Base: base.WithDefaults(), d: deps,
		workshops: eventsourcing.NewRepository(deps.Store, workshop.StreamType, workshop.Blank)}, nil
}
