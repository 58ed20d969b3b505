// Package readmodel holds the Postgres read models: the projections that
// build them from events and the query adapters that read them.
package readmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/tenancy"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
)

var (
	_ projection.Projection    = TenancyProjection{}
	_ projection.Projection    = FranchiseProjection{}
	_ tenancy.Registry         = (*PostgresRegistry)(nil)
	_ tenancy.SlugReservations = (*PostgresRegistry)(nil)
	_ tenancy.WebhookLedger    = (*PostgresRegistry)(nil)
)

// TenancyProjection maintains workshops, memberships and staff_members.
type TenancyProjection struct{}

// Name implements projection.Projection.
func (TenancyProjection) Name() string { return "tenancy" }

// Handles implements projection.Projection.
func (TenancyProjection) Handles() []string {
	return []string{
		workshop.Created{}.EventName(), workshop.StaffAdded{}.EventName(), workshop.StaffRoleChanged{}.EventName(),
		workshop.StaffRemoved{}.EventName(), workshop.ProfileUpdated{}.EventName(), workshop.BillingLinked{}.EventName(),
		workshop.BillingUpdated{}.EventName(), workshop.Suspended{}.EventName(), workshop.Reinstated{}.EventName(), workshop.FranchiseJoined{}.EventName(), workshop.FranchiseLeft{}.EventName(),
		workshop.ServiceDefined{}.EventName(), workshop.ServiceRemoved{}.EventName(),
	}
}

// Apply implements projection.Projection.
func (TenancyProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
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
		b.Queue(`INSERT INTO memberships (tenant_id, identity_id, role, joined_at) VALUES ($1, $2, $3, $4)
		         ON CONFLICT (tenant_id, identity_id) DO UPDATE SET role = EXCLUDED.role`, id, ev.IdentityID, ev.Role, e.OccurredAt)
		b.Queue(`INSERT INTO staff_members (tenant_id, identity_id, email, name, role, invited, joined_at)
		         VALUES ($1, $2, $3, $4, $5, $6, $7)
		         ON CONFLICT (tenant_id, identity_id) DO UPDATE SET role = EXCLUDED.role, email = EXCLUDED.email, name = EXCLUDED.name`,
			id, ev.IdentityID, ev.Email, ev.Name, ev.Role, ev.Invited, e.OccurredAt)
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
	default:
		return fmt.Errorf("tenancy: unexpected %T", e.Event)
	}
	return nil
}

// Reset implements projection.Projection.
func (TenancyProjection) Reset(b *pgx.Batch) {
	b.Queue(`DELETE FROM workshop_services`)
	b.Queue(`DELETE FROM staff_members`)
	b.Queue(`DELETE FROM memberships`)
	b.Queue(`DELETE FROM workshops`)
}

// FranchiseProjection maintains franchises and their managers and workshops.
type FranchiseProjection struct{}

// Name implements projection.Projection.
func (FranchiseProjection) Name() string { return "franchises" }

// Handles implements projection.Projection.
func (FranchiseProjection) Handles() []string {
	return []string{franchise.Created{}.EventName(), franchise.ManagerAdded{}.EventName(),
		franchise.ManagerRemoved{}.EventName(), franchise.WorkshopInvited{}.EventName(),
		franchise.WorkshopJoined{}.EventName(), franchise.WorkshopRemoved{}.EventName()}
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

// PostgresRegistry reads the tenancy read models.
type PostgresRegistry struct{ pool *pgxpool.Pool }

// NewRegistry returns the registry adapter.
func NewRegistry(pool *pgxpool.Pool) *PostgresRegistry { return &PostgresRegistry{pool: pool} }

const workshopColumns = `id, slug, name, plan, status, time_zone, coalesce(franchise_id, '00000000-0000-0000-0000-000000000000'),
	coalesce(billing_customer_id, ''), coalesce(subscription_id, ''), profile, version, created_at`

func (r *PostgresRegistry) oneWorkshop(ctx context.Context, where string, arg any) (tenancy.WorkshopView, error) {
	var v tenancy.WorkshopView
	var profile []byte
	err := r.pool.QueryRow(ctx, `SELECT `+workshopColumns+` FROM workshops WHERE `+where, arg).Scan(
		&v.ID, &v.Slug, &v.Name, &v.Plan, &v.Status, &v.TimeZone, &v.FranchiseID, &v.BillingCustomerID,
		&v.SubscriptionID, &profile, &v.Version, &v.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("workshop: %w", errs.ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(profile, &v.Profile); err != nil {
		return v, err
	}
	return v, nil
}

// Scope implements tenancy.Registry.
func (r *PostgresRegistry) Scope(ctx context.Context, slug, identityID string) (tenancy.WorkshopView, string, error) {
	var v tenancy.WorkshopView
	var profile []byte
	var role string
	err := r.pool.QueryRow(ctx, `SELECT `+workshopColumns+`, m.role FROM workshops
		JOIN memberships m ON m.tenant_id = workshops.id AND m.identity_id = $2 WHERE workshops.slug = $1`, slug, identityID).Scan(
		&v.ID, &v.Slug, &v.Name, &v.Plan, &v.Status, &v.TimeZone, &v.FranchiseID, &v.BillingCustomerID,
		&v.SubscriptionID, &profile, &v.Version, &v.CreatedAt, &role)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, "", fmt.Errorf("workshop membership: %w", errs.ErrNotFound)
	}
	if err != nil {
		return v, "", err
	}
	return v, role, json.Unmarshal(profile, &v.Profile)
}

// WorkshopBySlug implements tenancy.Registry.
func (r *PostgresRegistry) WorkshopBySlug(ctx context.Context, slug string) (tenancy.WorkshopView, error) {
	return r.oneWorkshop(ctx, `slug = $1`, slug)
}

// WorkshopByID implements tenancy.Registry.
func (r *PostgresRegistry) WorkshopByID(ctx context.Context, id uuid.UUID) (tenancy.WorkshopView, error) {
	return r.oneWorkshop(ctx, `id = $1`, id)
}

// WorkshopByBillingCustomer implements tenancy.Registry.
func (r *PostgresRegistry) WorkshopByBillingCustomer(ctx context.Context, customerID string) (tenancy.WorkshopView, error) {
	return r.oneWorkshop(ctx, `billing_customer_id = $1`, customerID)
}

// MembershipsOf implements tenancy.Registry.
func (r *PostgresRegistry) MembershipsOf(ctx context.Context, identityID string) ([]tenancy.MembershipView, error) {
	rows, err := r.pool.Query(ctx, `SELECT w.id, w.slug, w.name, m.role FROM memberships m JOIN workshops w ON w.id = m.tenant_id
		WHERE m.identity_id = $1 ORDER BY w.name, w.slug`, identityID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (tenancy.MembershipView, error) {
		var m tenancy.MembershipView
		err := row.Scan(&m.WorkshopID, &m.WorkshopSlug, &m.WorkshopName, &m.Role)
		return m, err
	})
}

// Role implements tenancy.Registry.
func (r *PostgresRegistry) Role(ctx context.Context, workshopID uuid.UUID, identityID string) (string, error) {
	var role string
	err := r.pool.QueryRow(ctx, `SELECT role FROM memberships WHERE tenant_id = $1 AND identity_id = $2`, workshopID, identityID).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("membership: %w", errs.ErrNotFound)
	}
	return role, err
}

// Staff implements tenancy.Registry.
func (r *PostgresRegistry) Staff(ctx context.Context) ([]tenancy.StaffView, error) {
	var out []tenancy.StaffView
	err := postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT identity_id, email, name, role, invited, joined_at FROM staff_members ORDER BY joined_at, identity_id`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (tenancy.StaffView, error) {
			var s tenancy.StaffView
			err := row.Scan(&s.IdentityID, &s.Email, &s.Name, &s.Role, &s.Invited, &s.JoinedAt)
			return s, err
		})
		return err
	})
	return out, err
}

// Franchise implements tenancy.Registry.
func (r *PostgresRegistry) Franchise(ctx context.Context, id uuid.UUID) (tenancy.FranchiseView, error) {
	v := tenancy.FranchiseView{ID: id}
	err := r.pool.QueryRow(ctx, `SELECT name FROM franchises WHERE id = $1`, id).Scan(&v.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("franchise: %w", errs.ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	rows, err := r.pool.Query(ctx, `SELECT identity_id FROM franchise_managers WHERE franchise_id = $1 ORDER BY identity_id`, id)
	if err != nil {
		return v, err
	}
	if v.Managers, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return v, err
	}
	rows, err = r.pool.Query(ctx, `SELECT f.workshop_id, w.slug, w.name, f.state FROM franchise_workshops f
		JOIN workshops w ON w.id = f.workshop_id WHERE f.franchise_id = $1 ORDER BY w.name`, id)
	if err != nil {
		return v, err
	}
	v.Workshops, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (tenancy.FranchiseWorkshop, error) {
		var w tenancy.FranchiseWorkshop
		err := row.Scan(&w.WorkshopID, &w.Slug, &w.Name, &w.State)
		return w, err
	})
	return v, err
}

// FranchisesManagedBy implements tenancy.Registry.
func (r *PostgresRegistry) FranchisesManagedBy(ctx context.Context, identityID string) ([]uuid.UUID, error) {
	rows, err := r.pool.Query(ctx, `SELECT franchise_id FROM franchise_managers WHERE identity_id = $1`, identityID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// Reserve implements tenancy.SlugReservations.
func (r *PostgresRegistry) Reserve(ctx context.Context, slug string, workshopID uuid.UUID) error {
	tag, err := r.pool.Exec(ctx, `INSERT INTO workshop_slugs (slug, workshop_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, slug, workshopID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("slug %q is taken: %w", slug, errs.ErrConflict)
	}
	return nil
}

// Release implements tenancy.SlugReservations.
func (r *PostgresRegistry) Release(ctx context.Context, slug string, workshopID uuid.UUID) error {
	_, err := r.pool.Exec(ctx, `DELETE FROM workshop_slugs WHERE slug = $1 AND workshop_id = $2`, slug, workshopID)
	return err
}

// FirstTime implements tenancy.WebhookLedger.
func (r *PostgresRegistry) FirstTime(ctx context.Context, provider, eventID, eventType string) (bool, error) {
	tag, err := r.pool.Exec(ctx, `INSERT INTO processed_webhooks (provider, event_id, event_type) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, provider, eventID, eventType)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// Forget implements tenancy.WebhookLedger.
func (r *PostgresRegistry) Forget(ctx context.Context, provider, eventID string) error {
	_, err := r.pool.Exec(ctx, `DELETE FROM processed_webhooks WHERE provider = $1 AND event_id = $2`, provider, eventID)
	return err
}

// Catalog implements registry.Catalogs: the default catalogue plus the
// workshop's own services (tenant of ctx).
func (r *PostgresRegistry) Catalog(ctx context.Context) (catalog.Catalog, error) {
	var custom []workshop.CustomService
	err := postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT code, label, interval_km, interval_months FROM workshop_services ORDER BY code`)
		if err != nil {
			return err
		}
		custom, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (workshop.CustomService, error) {
			var s workshop.CustomService
			return s, row.Scan(&s.Code, &s.Label, &s.IntervalKm, &s.IntervalMonths)
		})
		return err
	})
	if err != nil {
		return catalog.Catalog{}, err
	}
	return workshop.BuildCatalog(custom), nil
}

var _ tenancy.AssetStore = (*PostgresRegistry)(nil)

// Put implements tenancy.AssetStore.
func (r *PostgresRegistry) Put(ctx context.Context, name string, a tenancy.Asset) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO workshop_assets (tenant_id, name, content_type, data, sha256) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (tenant_id, name) DO UPDATE SET content_type = EXCLUDED.content_type, data = EXCLUDED.data,
			sha256 = EXCLUDED.sha256, created_at = now()`, tid.UUID(), name, a.ContentType, a.Data, a.SHA256)
		return err
	})
}

// Get implements tenancy.AssetStore.
func (r *PostgresRegistry) Get(ctx context.Context, name string) (tenancy.Asset, error) {
	var a tenancy.Asset
	err := postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT content_type, data, sha256 FROM workshop_assets WHERE name = $1`, name).Scan(
			&a.ContentType, &a.Data, &a.SHA256)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("asset %s: %w", name, errs.ErrNotFound)
	}
	return a, err
}
