// Package readmodel holds the Postgres read models: the projections that
// build them from events and the query adapters that read them.
package readmodel

import (
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = WorkshopProjection{}

// WorkshopProjection maintains workshops, memberships and staff_members.
// A member's e-mail and name are sealed under the membership's data
// subject (workshop.StaffSubject), so shredding that key when the member
// is removed erases them from the events as well (issue 10, item 9).
type WorkshopProjection struct {
	// Cipher seals the staff's e-mails and names; the tenant comes from
	// each event.
	Cipher privacy.Cipher
}

// Field names bound into the staff's ciphertexts.
func staffEmailField(identityID string) string { return "staff_members.email:" + identityID }
func staffNameField(identityID string) string  { return "staff_members.name:" + identityID }

// Name implements projection.Projection. "tenancy" is the stable name from
// before the Go type was renamed: renaming it re-consumes every event.
func (WorkshopProjection) Name() string { return "tenancy" }

// Handles implements projection.Projection.
func (WorkshopProjection) Handles() []string {
	return workshop.Events.Names()
}

// Apply implements projection.Projection.
func (p WorkshopProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	id := e.Stream.ID
	touch := func(set string, args ...any) {
		args = append([]any{id, e.Version, e.OccurredAt}, args...)
		b.Queue(`UPDATE workshops SET `+set+`, version = $2, updated_at = $3 WHERE id = $1`, args...)
	}
	switch ev := e.Event.(type) {
	case workshop.Created:
		profile, _ := json.Marshal(workshop.ProfileData{Name: ev.Name, TimeZone: ev.TimeZone})
		b.Queue(`INSERT INTO workshops (id, slug, name, plan, status, time_zone, profile, version, created_at, updated_at)
		         VALUES ($1, $2, $3, $4, 'trialing', $5, $6, $7, $8, $8)
		         ON CONFLICT (id) DO NOTHING`, id, ev.Slug, ev.Name, ev.Plan, ev.TimeZone, profile, e.Version, ev.CreatedAt)
	case workshop.StaffAdded:
		s := newSealer(p.Cipher, e.Tenant)
		email, err := s.sealText(ev.SubjectID, staffEmailField(ev.IdentityID), ev.Email)
		if err != nil {
			return err
		}
		name, err := s.sealText(ev.SubjectID, staffNameField(ev.IdentityID), ev.Name)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO memberships (tenant_id, identity_id, role, joined_at) VALUES ($1, $2, $3, $4)
		         ON CONFLICT (tenant_id, identity_id) DO UPDATE SET role = EXCLUDED.role`, id, ev.IdentityID, ev.Role, e.OccurredAt)
		b.Queue(`INSERT INTO staff_members (tenant_id, identity_id, email, name, role, invited, joined_at, subject_id)
		         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		         ON CONFLICT (tenant_id, identity_id) DO UPDATE SET role = EXCLUDED.role, email = EXCLUDED.email, name = EXCLUDED.name,
		         subject_id = EXCLUDED.subject_id`,
			id, ev.IdentityID, email, name, ev.Role, ev.Invited, e.OccurredAt, ev.SubjectID)
		touch(`name = name`)
	case workshop.StaffRoleChanged:
		b.Queue(`UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND identity_id = $2`, id, ev.IdentityID, ev.To)
		b.Queue(`UPDATE staff_members SET role = $3 WHERE tenant_id = $1 AND identity_id = $2`, id, ev.IdentityID, ev.To)
		touch(`name = name`)
	case workshop.StaffRemoved:
		b.Queue(`DELETE FROM memberships WHERE tenant_id = $1 AND identity_id = $2`, id, ev.IdentityID)
		b.Queue(`DELETE FROM staff_members WHERE tenant_id = $1 AND identity_id = $2`, id, ev.IdentityID)
		touch(`name = name`)
	case workshop.ProfileUpdated:
		profile, err := json.Marshal(ev.Profile)
		if err != nil {
			return err
		}
		touch(`name = $4, time_zone = $5, profile = $6`, ev.Profile.Name, ev.Profile.TimeZone, profile)
	case workshop.BillingLinked:
		touch(`billing_customer_id = $4`, ev.CustomerID)
	case workshop.BillingUpdated:
		touch(`status = $4, subscription_id = nullif($5, ''), billing_customer_id = coalesce(nullif($6, ''), billing_customer_id)`,
			ev.State.Status, ev.State.SubscriptionID, ev.State.CustomerID)
	case workshop.Suspended:
		touch(`status = 'suspended'`)
	case workshop.Reinstated:
		touch(`status = $4`, ev.Status)
	case workshop.FranchiseJoined:
		touch(`franchise_id = $4`, ev.FranchiseID)
	case workshop.FranchiseLeft:
		touch(`franchise_id = NULL`)
	case workshop.ServiceDefined:
		b.Queue(`INSERT INTO workshop_services (tenant_id, code, label, interval_km, interval_months) VALUES ($1, $2, $3, $4, $5)
		         ON CONFLICT (tenant_id, code) DO UPDATE SET label = EXCLUDED.label, interval_km = EXCLUDED.interval_km,
		         interval_months = EXCLUDED.interval_months`, id, ev.Code, ev.Label, ev.IntervalKm, ev.IntervalMonths)
		touch(`name = name`)
	case workshop.ServiceRemoved:
		b.Queue(`DELETE FROM workshop_services WHERE tenant_id = $1 AND code = $2`, id, ev.Code)
		touch(`name = name`)
	case workshop.MFARequirementChanged:
		touch(`mfa_required = $4`, ev.Required)
	default:
		return fmt.Errorf("tenancy: unexpected %T", e.Event)
	}
	return nil
}

// Reset implements projection.Projection.
func (WorkshopProjection) Reset(b *pgx.Batch) {
	b.Queue(`DELETE FROM workshop_services`)
	b.Queue(`DELETE FROM staff_members`)
	b.Queue(`DELETE FROM memberships`)
	b.Queue(`DELETE FROM workshops`)
}
