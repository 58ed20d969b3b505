// Package franchise groups workshops under franchise managers, who compare
// the shops in aggregated reports.
package franchise

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// StreamType of franchise streams. A franchise's events are stored under the
// franchise id as their tenant: a franchise is not any workshop's data.
const StreamType = "franchise"

// Created starts a franchise.
type Created struct {
	FranchiseID uuid.UUID
	Name        string
	CreatedAt   time.Time
}

// ManagerAdded grants the franchise-manager role.
type ManagerAdded struct{ IdentityID, Email, Name string }

// ManagerRemoved revokes it.
type ManagerRemoved struct{ IdentityID string }

// WorkshopInvited invites a workshop; its owner must accept.
type WorkshopInvited struct{ WorkshopID uuid.UUID }

// WorkshopJoined records an accepted invitation.
type WorkshopJoined struct{ WorkshopID uuid.UUID }

// WorkshopRemoved takes a workshop out of the franchise.
type WorkshopRemoved struct{ WorkshopID uuid.UUID }

// SettingsChanged records the franchise's settings. ShareComparisonWithMembers
// lets the owners of member shops see the franchise comparison (aggregates
// per shop, no personal data); off by default.
type SettingsChanged struct {
	ShareComparisonWithMembers bool
}

// EventName implements es.Event.
func (SettingsChanged) EventName() string { return "franchise.settings_changed.v1" }

// EventName implements es.Event.
func (Created) EventName() string { return "franchise.created.v1" }

// EventName implements es.Event.
func (ManagerAdded) EventName() string { return "franchise.manager_added.v1" }

// EventName implements es.Event.
func (ManagerRemoved) EventName() string { return "franchise.manager_removed.v1" }

// EventName implements es.Event.
func (WorkshopInvited) EventName() string { return "franchise.workshop_invited.v1" }

// EventName implements es.Event.
func (WorkshopJoined) EventName() string { return "franchise.workshop_joined.v1" }

// EventName implements es.Event.
func (WorkshopRemoved) EventName() string { return "franchise.workshop_removed.v1" }

// Franchise is the aggregate.
type Franchise struct {
	rec       es.Recorder
	id        uuid.UUID
	name      string
	managers  map[string]bool
	invited   map[uuid.UUID]bool
	members   map[uuid.UUID]bool
	createdAt time.Time
	share     bool
}

// Blank returns an empty franchise for loading.
func Blank(id uuid.UUID) *Franchise {
	f := &Franchise{id: id, managers: map[string]bool{}, invited: map[uuid.UUID]bool{}, members: map[uuid.UUID]bool{}}
	f.rec = es.NewRecorder(f.Apply)
	return f
}

// Create validates the name and makes the creator its first manager.
func Create(id uuid.UUID, name, creatorID, creatorEmail, creatorName string, now time.Time) (*Franchise, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return nil, errs.Invalid("name", "required", "name is required")
	case utf8.RuneCountInString(name) > 120:
		return nil, errs.Invalid("name", "too_long", "name must have at most 120 characters")
	}
	f := Blank(id)
	f.rec.Record(Created{FranchiseID: id, Name: name, CreatedAt: now.UTC()})
	f.rec.Record(ManagerAdded{IdentityID: creatorID, Email: creatorEmail, Name: creatorName})
	return f, nil
}

// Invite invites a workshop.
func (f *Franchise) Invite(workshopID uuid.UUID) error {
	if f.members[workshopID] {
		return fmt.Errorf("workshop already in the franchise: %w", errs.ErrConflict)
	}
	if f.invited[workshopID] {
		return nil
	}
	f.rec.Record(WorkshopInvited{WorkshopID: workshopID})
	return nil
}

// Accept records that an invited workshop joined.
func (f *Franchise) Accept(workshopID uuid.UUID) error {
	if f.members[workshopID] {
		return nil
	}
	if !f.invited[workshopID] {
		return fmt.Errorf("no invitation for that workshop: %w", errs.ErrNotFound)
	}
	f.rec.Record(WorkshopJoined{WorkshopID: workshopID})
	return nil
}

// RemoveWorkshop takes a member or invited workshop out.
func (f *Franchise) RemoveWorkshop(workshopID uuid.UUID) error {
	if !f.members[workshopID] && !f.invited[workshopID] {
		return fmt.Errorf("workshop not in the franchise: %w", errs.ErrNotFound)
	}
	f.rec.Record(WorkshopRemoved{WorkshopID: workshopID})
	return nil
}

// AddManager grants the franchise-manager role.
func (f *Franchise) AddManager(identityID, email, name string) error {
	if f.managers[identityID] {
		return fmt.Errorf("already a manager: %w", errs.ErrConflict)
	}
	f.rec.Record(ManagerAdded{IdentityID: identityID, Email: email, Name: name})
	return nil
}

// RemoveManager revokes it; the last manager stays.
func (f *Franchise) RemoveManager(identityID string) error {
	if !f.managers[identityID] {
		return fmt.Errorf("not a manager: %w", errs.ErrNotFound)
	}
	if len(f.managers) == 1 {
		return errs.Invalid("identity_id", "last_manager", "the franchise must keep at least one manager")
	}
	f.rec.Record(ManagerRemoved{IdentityID: identityID})
	return nil
}

// Settings are the franchise's settings.
type Settings struct {
	// ShareComparisonWithMembers lets the owners of member shops see the
	// franchise comparison.
	ShareComparisonWithMembers bool
}

// ChangeSettings records new settings; the same settings record nothing.
func (f *Franchise) ChangeSettings(s Settings) {
	if s.ShareComparisonWithMembers == f.share {
		return
	}
	f.rec.Record(SettingsChanged(s))
}

// Settings returns the current settings.
func (f *Franchise) Settings() Settings { return Settings{ShareComparisonWithMembers: f.share} }

// Apply implements es.Aggregate.
func (f *Franchise) Apply(e es.Event) {
	switch e := e.(type) {
	case Created:
		f.name, f.createdAt = e.Name, e.CreatedAt
	case ManagerAdded:
		f.managers[e.IdentityID] = true
	case ManagerRemoved:
		delete(f.managers, e.IdentityID)
	case WorkshopInvited:
		f.invited[e.WorkshopID] = true
	case WorkshopJoined:
		delete(f.invited, e.WorkshopID)
		f.members[e.WorkshopID] = true
	case WorkshopRemoved:
		delete(f.invited, e.WorkshopID)
		delete(f.members, e.WorkshopID)
	case SettingsChanged:
		f.share = e.ShareComparisonWithMembers
	}
}

// Recorder implements es.Aggregate.
func (f *Franchise) Recorder() *es.Recorder { return &f.rec }

// Name returns the franchise name.
func (f *Franchise) Name() string { return f.name }

// IsManager reports whether the identity manages the franchise.
func (f *Franchise) IsManager(identityID string) bool { return f.managers[identityID] }

// IsMember reports whether the workshop belongs to the franchise.
func (f *Franchise) IsMember(workshopID uuid.UUID) bool { return f.members[workshopID] }

// IsInvited reports a pending invitation.
func (f *Franchise) IsInvited(workshopID uuid.UUID) bool { return f.invited[workshopID] }
