package workshop

import (
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// StreamType of workshop streams; the stream id is the workshop (tenant) id.
const StreamType = "workshop"

// Created starts a workshop in trial.
type Created struct {
	WorkshopID uuid.UUID
	Slug       string
	Name       string
	Plan       string
	TimeZone   string
	CreatedAt  time.Time
}

// StaffAdded grants a role to an identity (an invitation or the owner at
// signup). Email and Name are personal data of the member: from schema 2 on
// they are sealed under SubjectID, a data subject of this membership
// (StaffSubject), whose key is shredded when the member is removed (issue
// 10, item 9); schema-1 payloads hold them in the clear and still load.
type StaffAdded struct {
	IdentityID string
	Email      string
	Name       string
	Role       string
	Invited    bool
	SubjectID  uuid.UUID
}

// staffSubjectSpace namespaces the data subjects of staff memberships.
var staffSubjectSpace = uuid.MustParse("5f0e7c1a-2b8d-4c39-9a61-7d3e2f4b8c10")

// StaffSubject is the data subject of the n-th membership (from 1) of an
// identity in a workshop: each membership has its own, so that shredding
// the key of a removed member leaves a later invitation of the same person
// free to seal their data anew. Only its own workshop's key table holds it.
func StaffSubject(identityID string, n int) uuid.UUID {
	return uuid.NewSHA1(staffSubjectSpace, []byte(identityID+"#"+strconv.Itoa(n)))
}

// staffAddedV1 upcasts schema 1 (no SubjectID, Email and Name in the
// clear) to schema 2: the membership gets the subject of a first one.
var staffAddedV1 = es.DeriveField("SubjectID", "IdentityID", func(id string) any { return StaffSubject(id, 1) })

// StaffRoleChanged changes a member's role.
type StaffRoleChanged struct {
	IdentityID string
	From, To   string
}

// StaffRemoved revokes a membership.
type StaffRemoved struct {
	IdentityID string
}

// ProfileUpdated carries the whole profile after a change.
type ProfileUpdated struct {
	Profile ProfileData
}

// BillingLinked records the Stripe customer of the workshop.
type BillingLinked struct {
	CustomerID string
}

// BillingUpdated records the subscription state after a billing-provider
// event (the status moves with it).
type BillingUpdated struct {
	State BillingState
	// Cause is the provider's event type, for the audit trail.
	Cause string
}

// Suspended is an operator's suspension (writes refused, reads allowed).
type Suspended struct{ Reason string }

// Reinstated lifts a suspension; the status returns to the subscription's.
type Reinstated struct{ Status string }

// BillingState is what the workshop keeps about its subscription.
type BillingState struct {
	Status             string
	SubscriptionStatus string
	CustomerID         string
	SubscriptionID     string
	Plan               string
	CurrentPeriodEnd   time.Time
	LastEventAt        time.Time
}

// FranchiseJoined records that the workshop belongs to a franchise.
type FranchiseJoined struct{ FranchiseID uuid.UUID }

// FranchiseLeft records that the workshop left its franchise.
type FranchiseLeft struct{ FranchiseID uuid.UUID }

// EventName implements es.Event.
func (Created) EventName() string { return "workshop.created.v1" }

// EventName implements es.Event.
func (StaffAdded) EventName() string { return "workshop.staff_added.v1" }

// EventName implements es.Event.
func (StaffRoleChanged) EventName() string { return "workshop.staff_role_changed.v1" }

// EventName implements es.Event.
func (StaffRemoved) EventName() string { return "workshop.staff_removed.v1" }

// EventName implements es.Event.
func (ProfileUpdated) EventName() string { return "workshop.profile_updated.v1" }

// EventName implements es.Event.
func (BillingLinked) EventName() string { return "workshop.billing_linked.v1" }

// EventName implements es.Event.
func (BillingUpdated) EventName() string { return "workshop.billing_updated.v1" }

// EventName implements es.Event.
func (Suspended) EventName() string { return "workshop.suspended.v1" }

// EventName implements es.Event.
func (Reinstated) EventName() string { return "workshop.reinstated.v1" }

// EventName implements es.Event.
func (FranchiseJoined) EventName() string { return "workshop.franchise_joined.v1" }

// EventName implements es.Event.
func (FranchiseLeft) EventName() string { return "workshop.franchise_left.v1" }

// ServiceDefined adds (or redefines) one of the workshop's own services in
// its catalogue, beside the default codes.
type ServiceDefined struct {
	Code           string
	Label          string
	IntervalKm     int64
	IntervalMonths int
}

// ServiceRemoved removes one of the workshop's own services.
type ServiceRemoved struct{ Code string }

// EventName implements es.Event.
func (ServiceDefined) EventName() string { return "workshop.service_defined.v1" }

// EventName implements es.Event.
func (ServiceRemoved) EventName() string { return "workshop.service_removed.v1" }

// Events lists every event type of the workshop stream. None names a
// customer, so none has fields encrypted per data subject.
var Events = es.Catalogue{
	{Event: Created{}},
	{Event: StaffAdded{}, Subject: "SubjectID", Personal: []string{"Email", "Name"},
		SealedFrom: map[string]int{"Email": 2, "Name": 2}, Upcasters: []es.Upcaster{staffAddedV1}},
	{Event: StaffRoleChanged{}},
	{Event: StaffRemoved{}},
	{Event: ProfileUpdated{}},
	{Event: BillingLinked{}},
	{Event: BillingUpdated{}},
	{Event: Suspended{}},
	{Event: Reinstated{}},
	{Event: FranchiseJoined{}},
	{Event: FranchiseLeft{}},
	{Event: ServiceDefined{}},
	{Event: ServiceRemoved{}},
	{Event: MFARequirementChanged{}},
}
