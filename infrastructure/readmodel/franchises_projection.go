package readmodel

import (
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = FranchiseProjection{}

// FranchiseProjection maintains franchises (with their settings) and their
// managers and workshops.
type FranchiseProjection struct{}

// Name implements projection.Projection.
func (FranchiseProjection) Name() string { return "franchises" }

// Handles implements projection.Projection.
func (FranchiseProjection) Handles() []string {
	return franchise.Events.Names()
}

// Apply implements projection.Projection.
func (FranchiseProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	id := e.Stream.ID
	switch ev := e.Event.(type) {
	case franchise.Created:
		b.Queue(`INSERT INTO franchises (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, id, ev.Name, ev.CreatedAt)
	case franchise.ManagerAdded:
		b.Queue(`INSERT INTO franchise_managers (franchise_id, identity_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, ev.IdentityID)
	case franchise.ManagerRemoved:
		b.Queue(`DELETE FROM franchise_managers WHERE franchise_id = $1 AND identity_id = $2`, id, ev.IdentityID)
	case franchise.WorkshopInvited:
		b.Queue(`INSERT INTO franchise_workshops (franchise_id, workshop_id, state) VALUES ($1, $2, 'invited')
		         ON CONFLICT (franchise_id, workshop_id) DO NOTHING`, id, ev.WorkshopID)
	case franchise.WorkshopJoined:
		b.Queue(`INSERT INTO franchise_workshops (franchise_id, workshop_id, state) VALUES ($1, $2, 'member')
		         ON CONFLICT (franchise_id, workshop_id) DO UPDATE SET state = 'member'`, id, ev.WorkshopID)
	case franchise.WorkshopRemoved:
		b.Queue(`DELETE FROM franchise_workshops WHERE franchise_id = $1 AND workshop_id = $2`, id, ev.WorkshopID)
	case franchise.SettingsChanged:
		b.Queue(`UPDATE franchises SET share_comparison_with_members = $2 WHERE id = $1`, id, ev.ShareComparisonWithMembers)
	default:
		return fmt.Errorf("franchises: unexpected %T", e.Event)
	}
	return nil
}

// Reset implements projection.Projection.
func (FranchiseProjection) Reset(b *pgx.Batch) {
	b.Queue(`DELETE FROM franchise_workshops`)
	b.Queue(`DELETE FROM franchise_managers`)
	b.Queue(`DELETE FROM franchises`)
}
