// Package tenancy holds the use cases of workshops (tenants): signup, staff,
// profile, subscription status and franchises, and the read-side ports they
// need.
package tenancy

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/workshop"
)

// WorkshopView is the registry entry of a workshop.
type WorkshopView struct {
	ID                uuid.UUID
	Slug              string
	Name              string
	Plan              string
	Status            string
	TimeZone          string
	FranchiseID       uuid.UUID
	BillingCustomerID string
	SubscriptionID    string
	Profile           workshop.ProfileData
	Version           int64
	CreatedAt         time.Time
}

// MembershipView is one of an identity's memberships.
type MembershipView struct {
	WorkshopID   uuid.UUID
	WorkshopSlug string
	WorkshopName string
	Role         string
}

// StaffView is one staff member of the current workshop.
type StaffView struct {
	IdentityID string
	Email      string
	Name       string
	Role       string
	Invited    bool
	JoinedAt   time.Time
}

// FranchiseView is a franchise and its workshops.
type FranchiseView struct {
	ID        uuid.UUID
	Name      string
	Managers  []string
	Workshops []FranchiseWorkshop
}

// FranchiseWorkshop is a workshop's place in a franchise.
type FranchiseWorkshop struct {
	WorkshopID uuid.UUID
	Slug       string
	Name       string
	State      string // invited | member
}

// Registry reads the tenancy read models.
type Registry interface {
	// Scope returns the workshop of slug and the identity's role in it in one
	// read; errs.ErrNotFound when either does not exist.
	Scope(ctx context.Context, slug, identityID string) (WorkshopView, string, error)
	// WorkshopBySlug returns errs.ErrNotFound for an unknown slug.
	WorkshopBySlug(ctx context.Context, slug string) (WorkshopView, error)
	// WorkshopByID returns errs.ErrNotFound for an unknown id.
	WorkshopByID(ctx context.Context, id uuid.UUID) (WorkshopView, error)
	// WorkshopByBillingCustomer finds the workshop of a billing customer id.
	WorkshopByBillingCustomer(ctx context.Context, customerID string) (WorkshopView, error)
	// MembershipsOf lists an identity's workshops.
	MembershipsOf(ctx context.Context, identityID string) ([]MembershipView, error)
	// Role returns the identity's role in the workshop, or errs.ErrNotFound.
	Role(ctx context.Context, workshopID uuid.UUID, identityID string) (string, error)
	// Staff lists the staff of the workshop in ctx (tenant-scoped).
	Staff(ctx context.Context) ([]StaffView, error)
	// Franchise returns a franchise, or errs.ErrNotFound.
	Franchise(ctx context.Context, id uuid.UUID) (FranchiseView, error)
	// FranchisesManagedBy lists the franchises an identity manages.
	FranchisesManagedBy(ctx context.Context, identityID string) ([]uuid.UUID, error)
}

// SlugReservations makes slugs unique across workshops before the workshop
// aggregate exists.
type SlugReservations interface {
	// Reserve fails with errs.ErrConflict when the slug is taken.
	Reserve(ctx context.Context, slug string, workshopID uuid.UUID) error
	// Release frees a reservation held by workshopID (after a failed signup).
	Release(ctx context.Context, slug string, workshopID uuid.UUID) error
}

// WebhookLedger remembers processed webhook deliveries.
type WebhookLedger interface {
	// FirstTime records the event and reports whether it was new.
	FirstTime(ctx context.Context, provider, eventID, eventType string) (bool, error)
	// Forget removes a record after processing failed, so a retry runs again.
	Forget(ctx context.Context, provider, eventID string) error
}

// Mailer sends transactional e-mail (invitations).
type Mailer interface {
	// Send delivers one message; text is plain UTF-8.
	Send(ctx context.Context, to, subject, text string) error
}
