// Package memberships answers who a signed-in person is to Torque: the
// workshops they belong to, with their role in each, and the franchises they
// manage. It owns Caller, the identity acting outside any one workshop.
package memberships

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/usecase"
)

// Caller is an authenticated identity acting outside any one workshop
// (franchise endpoints, /me).
type Caller struct {
	IdentityID, Email, Name string
}

// MembershipView is one of an identity's memberships.
type MembershipView struct {
	WorkshopID   uuid.UUID
	WorkshopSlug string
	WorkshopName string
	Role         string
}

// Memberships reads the memberships read model.
type Memberships interface {
	// MembershipsOf lists an identity's workshops, by workshop name.
	MembershipsOf(ctx context.Context, identityID string) ([]MembershipView, error)
}

// ManagedFranchises reads who manages which franchise.
type ManagedFranchises interface {
	// FranchisesManagedBy lists the franchises an identity manages.
	FranchisesManagedBy(ctx context.Context, identityID string) ([]uuid.UUID, error)
}

// Deps are the ports the membership use cases need.
type Deps struct {
	Memberships Memberships
	Franchises  ManagedFranchises
}

// UseCases runs the membership use cases.
type UseCases struct {
	usecase.Base
	d Deps
}

// New wires the use cases; it names every missing port.
func New(base usecase.Base, deps Deps) (*UseCases, error) {
	if err := usecase.Required("memberships", map[string]bool{"Memberships": deps.Memberships != nil,
		"Franchises": deps.Franchises != nil}); err != nil {
		return nil, err
	}
	return &UseCases{Base: base.WithDefaults(), d: deps}, nil
}
