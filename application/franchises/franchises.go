// Package franchises holds the use cases of franchise networks: a workshop
// owner creates one, its managers invite workshops and add managers, and a
// workshop's owner accepts an invitation. A franchise the caller does not
// manage is not found, exactly like another tenant's data.
package franchises

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/workshop"
)

// FranchiseView is a franchise and its workshops.
type FranchiseView struct {
	ID        uuid.UUID
	Name      string
	Managers  []string
	Workshops []FranchiseWorkshop
	// ShareComparisonWithMembers: the owners of member shops may see the
	// franchise comparison (franchise setting, off by default).
	ShareComparisonWithMembers bool
}

// FranchiseWorkshop is a workshop's place in a franchise.
type FranchiseWorkshop struct {
	WorkshopID uuid.UUID
	Slug       string
	Name       string
	State      string // invited | member
}

// Directory reads the franchises read model.
type Directory interface {
	// Franchise returns a franchise, or errs.ErrNotFound.
	Franchise(ctx context.Context, id uuid.UUID) (FranchiseView, error)
	// FranchisesManagedBy lists the franchises an identity manages.
	FranchisesManagedBy(ctx context.Context, identityID string) ([]uuid.UUID, error)
}

// Memberships reads the memberships read model.
type Memberships interface {
	// MembershipsOf lists an identity's workshops with their role in each.
	MembershipsOf(ctx context.Context, identityID string) ([]memberships.MembershipView, error)
}

// Workshops reads the workshops read model.
type Workshops interface {
	// WorkshopBySlug returns errs.ErrNotFound for an unknown slug.
	WorkshopBySlug(ctx context.Context, slug string) (workshops.WorkshopView, error)
}

// Mailer sends transactional e-mail (invitations).
type Mailer interface {
	// Send delivers one message; text is plain UTF-8.
	Send(ctx context.Context, to, subject, text string) error
}

// Deps are the ports and settings the franchise use cases need.
type Deps struct {
	Store       eventsourcing.EventStore
	Directory   Directory
	Memberships Memberships
	Workshops   Workshops
	Identities  identity.Directory
	// Mailer is optional: without it new managers are not told.
	Mailer Mailer
	// InviteTTL is how long an invitation link works (default 72 h).
	InviteTTL time.Duration
}

// UseCases runs the franchise use cases.
type UseCases struct {
	usecase.Base
	d          Deps
	workshops  *eventsourcing.Repository[*workshop.Workshop]
	franchises *eventsourcing.Repository[*franchise.Franchise]
}

// New wires the use cases; it names every missing port.
func New(base usecase.Base, deps Deps) (*UseCases, error) {
	if err := usecase.Required("franchises", map[string]bool{"Store": deps.Store != nil, "Directory": deps.Directory != nil,
		"Memberships": deps.Memberships != nil, "Workshops": deps.Workshops != nil,
		"Identities": deps.Identities != nil}); err != nil {
		return nil, err
	}
	if deps.InviteTTL == 0 {
		deps.InviteTTL = 72 * time.Hour
	}
	return &UseCases{Base: base.WithDefaults(), d: deps,
		workshops:  eventsourcing.NewRepository(deps.Store, workshop.StreamType, workshop.Blank),
		franchises: eventsourcing.NewRepository(deps.Store, franchise.StreamType, franchise.Blank)}, nil
}

// managedFranchise checks that the caller manages the franchise and returns
// ctx in its tenant; anything else is not found, exactly like another
// tenant's data.
func (u *UseCases) managedFranchise(ctx context.Context, by memberships.Caller, id uuid.UUID) (context.Context, error) {
	ids, err := u.d.Directory.FranchisesManagedBy(ctx, by.IdentityID)
	if err != nil {
		return nil, err
	}
	for _, fid := range ids {
		if fid == id {
			return usecase.InOwnTenant(ctx, id), nil
		}
	}
	return nil, fmt.Errorf("franchise: %w", errs.ErrNotFound)
}
