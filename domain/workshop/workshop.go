// Package workshop is the tenant aggregate: a workshop's identity (slug),
// profile, subscription status, staff and franchise membership.
package workshop

import (
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/validate"
)

// Member is one staff membership. Subject is the data subject its e-mail
// and name are sealed under (StaffSubject); uuid.Nil for none.
type Member struct {
	IdentityID string
	Email      string
	Name       string
	Role       Role
	Subject    uuid.UUID
}

// Workshop is the aggregate.
type Workshop struct {
	rec       es.Recorder
	id        uuid.UUID
	slug      string
	plan      string
	status    Status
	profile   ProfileData
	createdAt time.Time
	staff     map[string]Member
	order     []string
	billing   BillingState
	franchise uuid.UUID
	services  map[string]CustomService
	// added counts the memberships each identity ever had here, so that
	// each new one gets a data subject of its own (StaffSubject).
	added map[string]int
	// mfaRequired: a second factor is required of every staff member.
	mfaRequired bool
}

// Blank returns an empty workshop to load events into.
func Blank(id uuid.UUID) *Workshop {
	w := &Workshop{id: id, staff: map[string]Member{}, services: map[string]CustomService{}, added: map[string]int{}}
	w.rec = es.NewRecorder(w.Apply)
	return w
}

// CreateInput is what signup provides.
type CreateInput struct {
	Slug, Name, Plan                       string
	OwnerIdentityID, OwnerEmail, OwnerName string
}

// Create validates and starts a workshop in trial with its owner.
func Create(id uuid.UUID, in CreateInput, now time.Time) (*Workshop, error) {
	var c errs.Collector
	slug, err := ParseSlug(in.Slug)
	validate.AddFieldErrors(&c, err)
	name := cleanName("workshop_name", in.Name, 120, &c)
	plan, err := ParsePlan(in.Plan)
	validate.AddFieldErrors(&c, err)
	if in.OwnerIdentityID == "" {
		c.Add("owner", "required", "owner identity is required")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	w := Blank(id)
	w.rec.Record(Created{WorkshopID: id, Slug: slug.String(), Name: name, Plan: plan.String(),
		TimeZone: DefaultTimeZone, CreatedAt: now.UTC()})
	w.rec.Record(StaffAdded{IdentityID: in.OwnerIdentityID, Email: in.OwnerEmail, Name: in.OwnerName, Role: RoleOwner.String(),
		SubjectID: w.nextSubject(in.OwnerIdentityID)})
	return w, nil
}

func (w *Workshop) requireWritable() error {
	if !w.status.Writable() {
		return fmt.Errorf("workshop %s is %s: %w", w.slug, w.status, errs.ErrReadOnly)
	}
	return nil
}

// AddStaff invites an identity with a role.
func (w *Workshop) AddStaff(identityID, email, name string, role Role) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	if _, ok := w.staff[identityID]; ok {
		return fmt.Errorf("%s is already a member: %w", email, errs.ErrConflict)
	}
	w.rec.Record(StaffAdded{IdentityID: identityID, Email: email, Name: name, Role: role.String(), Invited: true,
		SubjectID: w.nextSubject(identityID)})
	return nil
}

// ChangeRole changes a member's role; the last owner cannot be demoted.
func (w *Workshop) ChangeRole(identityID string, to Role) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	m, ok := w.staff[identityID]
	if !ok {
		return fmt.Errorf("member %s: %w", identityID, errs.ErrNotFound)
	}
	if m.Role == to {
		return nil
	}
	if m.Role == RoleOwner && w.owners() == 1 {
		return errs.Invalid("role", "last_owner", "the workshop must keep at least one owner")
	}
	w.rec.Record(StaffRoleChanged{IdentityID: identityID, From: m.Role.String(), To: to.String()})
	return nil
}

// RemoveStaff revokes a membership; the last owner cannot be removed.
func (w *Workshop) RemoveStaff(identityID string) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	m, ok := w.staff[identityID]
	if !ok {
		return fmt.Errorf("member %s: %w", identityID, errs.ErrNotFound)
	}
	if m.Role == RoleOwner && w.owners() == 1 {
		return errs.Invalid("identity_id", "last_owner", "the workshop must keep at least one owner")
	}
	w.rec.Record(StaffRemoved{IdentityID: identityID})
	return nil
}

// nextSubject is the data subject of the identity's next membership: a
// new one each time, so that shredding a removed member's key never blocks
// inviting them again.
func (w *Workshop) nextSubject(identityID string) uuid.UUID {
	return StaffSubject(identityID, w.added[identityID]+1)
}

func (w *Workshop) owners() int {
	n := 0
	for _, m := range w.staff {
		if m.Role == RoleOwner {
			n++
		}
	}
	return n
}

// UpdateProfile validates and records the changed profile.
func (w *Workshop) UpdateProfile(in ProfileInput) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	next, err := w.profile.apply(in)
	if err != nil {
		return err
	}
	if profilesEqual(next, w.profile) {
		return nil
	}
	w.rec.Record(ProfileUpdated{Profile: next})
	return nil
}

func profilesEqual(a, b ProfileData) bool { return reflect.DeepEqual(a, b) }

// LinkBilling records the billing-provider customer id.
func (w *Workshop) LinkBilling(customerID string) {
	if customerID == "" || customerID == w.billing.CustomerID {
		return
	}
	w.rec.Record(BillingLinked{CustomerID: customerID})
}

// UpdateBilling records a new subscription state decided by the billing
// policy (which handles duplicates and out-of-order deliveries). A suspended
// workshop keeps its status whatever billing says.
func (w *Workshop) UpdateBilling(next BillingState, cause string) error {
	st, err := ParseStatus(next.Status)
	if err != nil {
		return err
	}
	if w.status == StatusSuspended {
		next.Status = StatusSuspended.String()
	} else if st == StatusSuspended {
		return errs.Invalid("status", "unknown_value", "billing cannot suspend a workshop")
	}
	next.CurrentPeriodEnd, next.LastEventAt = next.CurrentPeriodEnd.UTC(), next.LastEventAt.UTC()
	if next == w.billing {
		return nil
	}
	w.rec.Record(BillingUpdated{State: next, Cause: cause})
	return nil
}

// Suspend refuses writes until Reinstate (operators only).
func (w *Workshop) Suspend(reason string) {
	if w.status == StatusSuspended {
		return
	}
	w.rec.Record(Suspended{Reason: reason})
}

// Reinstate lifts a suspension, back to the subscription's status.
func (w *Workshop) Reinstate() {
	if w.status != StatusSuspended {
		return
	}
	to := w.billing.SubscriptionStatus
	if to == "" {
		to = StatusTrialing.String()
	}
	w.rec.Record(Reinstated{Status: to})
}

// JoinFranchise records membership in a franchise (one at a time).
func (w *Workshop) JoinFranchise(id uuid.UUID) error {
	if w.franchise == id {
		return nil
	}
	if w.franchise != uuid.Nil {
		return fmt.Errorf("workshop already belongs to a franchise: %w", errs.ErrConflict)
	}
	w.rec.Record(FranchiseJoined{FranchiseID: id})
	return nil
}

// LeaveFranchise records leaving the franchise.
func (w *Workshop) LeaveFranchise(id uuid.UUID) error {
	if w.franchise != id {
		return fmt.Errorf("workshop is not in that franchise: %w", errs.ErrNotFound)
	}
	w.rec.Record(FranchiseLeft{FranchiseID: id})
	return nil
}

// Apply implements es.Aggregate.
func (w *Workshop) Apply(e es.Event) {
	switch e := e.(type) {
	case Created:
		w.slug, w.plan, w.status, w.createdAt = e.Slug, e.Plan, StatusTrialing, e.CreatedAt
		w.billing = BillingState{Status: StatusTrialing.String(), Plan: e.Plan}
		w.profile = ProfileData{Name: e.Name, TimeZone: e.TimeZone}
	case StaffAdded:
		r, _ := ParseRole(e.Role)
		if _, ok := w.staff[e.IdentityID]; !ok {
			w.order = append(w.order, e.IdentityID)
		}
		w.staff[e.IdentityID] = Member{IdentityID: e.IdentityID, Email: e.Email, Name: e.Name, Role: r, Subject: e.SubjectID}
		w.added[e.IdentityID]++
	case StaffRoleChanged:
		m := w.staff[e.IdentityID]
		m.Role, _ = ParseRole(e.To)
		w.staff[e.IdentityID] = m
	case StaffRemoved:
		delete(w.staff, e.IdentityID)
		for i, id := range w.order {
			if id == e.IdentityID {
				w.order = append(w.order[:i:i], w.order[i+1:]...)
				break
			}
		}
	case ProfileUpdated:
		w.profile = e.Profile
	case BillingLinked:
		w.billing.CustomerID = e.CustomerID
	case BillingUpdated:
		w.billing = e.State
		w.status, _ = ParseStatus(e.State.Status)
	case Suspended:
		w.status = StatusSuspended
		w.billing.Status = StatusSuspended.String()
	case Reinstated:
		w.status, _ = ParseStatus(e.Status)
		w.billing.Status = e.Status
	case ServiceDefined:
		w.services[e.Code] = CustomService(e)
	case ServiceRemoved:
		delete(w.services, e.Code)
	case FranchiseJoined:
		w.franchise = e.FranchiseID
	case FranchiseLeft:
		w.franchise = uuid.Nil
	case MFARequirementChanged:
		w.mfaRequired = e.Required
	}
}

// Recorder implements es.Aggregate.
func (w *Workshop) Recorder() *es.Recorder { return &w.rec }

// ID returns the workshop (tenant) id.
func (w *Workshop) ID() uuid.UUID { return w.id }

// Slug returns the slug.
func (w *Workshop) Slug() string { return w.slug }

// Plan returns the plan.
func (w *Workshop) Plan() string { return w.plan }

// Status returns the subscription status.
func (w *Workshop) Status() Status { return w.status }

// Profile returns the profile.
func (w *Workshop) Profile() ProfileData { return w.profile }

// CreatedAt returns when the workshop signed up.
func (w *Workshop) CreatedAt() time.Time { return w.createdAt }

// Billing returns the subscription state.
func (w *Workshop) Billing() BillingState { return w.billing }

// FranchiseID returns the franchise, or uuid.Nil.
func (w *Workshop) FranchiseID() uuid.UUID { return w.franchise }

// Staff returns the members in the order they joined.
func (w *Workshop) Staff() []Member {
	out := make([]Member, 0, len(w.order))
	for _, id := range w.order {
		out = append(out, w.staff[id])
	}
	return out
}

// Member returns one member.
func (w *Workshop) Member(identityID string) (Member, bool) {
	m, ok := w.staff[identityID]
	return m, ok
}
