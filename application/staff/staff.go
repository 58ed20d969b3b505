// Package staff holds the use cases of a workshop's team: listing it,
// inviting people, changing their roles and removing them. Only an owner
// grants or takes the owner role, and a workshop always keeps one owner.
package staff

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/workshop"
)

// Member is one staff member of the current workshop.
type Member struct {
	IdentityID string
	Email      string
	Name       string
	Role       string
	Invited    bool
	JoinedAt   time.Time
}

// Roster reads the staff read model.
type Roster interface {
	// Staff lists the staff of the workshop in ctx (tenant-scoped).
	Staff(ctx context.Context) ([]Member, error)
}

// Workshops reads the workshops read model.
type Workshops interface {
	// WorkshopByID returns errs.ErrNotFound for an unknown id.
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
}

// Mailer sends transactional e-mail (invitations).
type Mailer interface {
	// Send delivers one message; text is plain UTF-8.
	Send(ctx context.Context, to, subject, text string) error
}

// Deps are the ports and settings the staff use cases need.
type Deps struct {
	Store      eventsourcing.EventStore
	Roster     Roster
	Workshops  Workshops
	Identities identity.Directory
	// Keys shreds a removed member's data-subject key (RemoveStaff).
	Keys privacy.SubjectKeys
	// Mailer is optional: without it nobody is told they were invited.
	Mailer Mailer
	// PublicURL is where users reach Torque (links in e-mails).
	PublicURL string
	// InviteTTL is how long an invitation link works (default 72 h).
	InviteTTL time.Duration
}

// UseCases runs the staff use cases.
type UseCases struct {
	usecase.Base
	d         Deps
	workshops *eventsourcing.Repository[*workshop.Workshop]
}

// New wires the use cases; it names every missing port.
func New(base usecase.Base, deps Deps) (*UseCases, error) {
	if err := usecase.Required("staff", map[string]bool{"Store": deps.Store != nil, "Roster": deps.Roster != nil,
		"Workshops": deps.Workshops != nil, "Identities": deps.Identities != nil,
		"Keys": deps.Keys != nil}); err != nil {
		return nil, err
	}
	if deps.InviteTTL == 0 {
		deps.InviteTTL = 72 * time.Hour
	}
	return &UseCases{Base: base.WithDefaults(), d: deps,
		workshops: eventsourcing.NewRepository(deps.Store, workshop.StreamType, workshop.Blank)}, nil
}
