package readmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var (
	_ workshops.Directory  = (*PostgresWorkshopDirectory)(nil)
	_ signup.Workshops     = (*PostgresWorkshopDirectory)(nil)
	_ staff.Workshops      = (*PostgresWorkshopDirectory)(nil)
	_ franchises.Workshops = (*PostgresWorkshopDirectory)(nil)
	_ billing.Workshops    = (*PostgresWorkshopDirectory)(nil)
)

// PostgresWorkshopDirectory reads the workshops read model: one workshop by
// slug, id or billing customer, and a workshop with a person's role in it.
type PostgresWorkshopDirectory struct{ pool *pgxpool.Pool }

// NewWorkshopDirectory returns the adapter.
func NewWorkshopDirectory(pool *pgxpool.Pool) *PostgresWorkshopDirectory {
	return &PostgresWorkshopDirectory{pool: pool}
}

const workshopColumns = `id, slug, name, plan, status, time_zone, coalesce(franchise_id, '00000000-0000-0000-0000-000000000000'),
	coalesce(billing_customer_id, ''), coalesce(subscription_id, ''), profile, version, created_at, mfa_required`

func (r *PostgresWorkshopDirectory) oneWorkshop(ctx context.Context, where string, arg any) (workshops.WorkshopView, error) {
	var v workshops.WorkshopView
	var profile []byte
	err := r.pool.QueryRow(ctx, `SELECT `+workshopColumns+` FROM workshops WHERE `+where, arg).Scan(
		&v.ID, &v.Slug, &v.Name, &v.Plan, &v.Status, &v.TimeZone, &v.FranchiseID, &v.BillingCustomerID,
		&v.SubscriptionID, &profile, &v.Version, &v.CreatedAt, &v.MFARequired)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("workshop: %w", errs.ErrNotFound)
	}
	if err != nil {
		return v, postgres.Unavailable(err)
	}
	if err := json.Unmarshal(profile, &v.Profile); err != nil {
		return v, err
	}
	return v, nil
}

// Scope returns the workshop of slug and the identity's role in it in one
// read (the API's and the back office's workshop scoping); errs.ErrNotFound
// when either does not exist.
func (r *PostgresWorkshopDirectory) Scope(ctx context.Context, slug, identityID string) (workshops.WorkshopView, string, error) {
	var v workshops.WorkshopView
	var profile []byte
	var role string
	err := r.pool.QueryRow(ctx, `SELECT `+workshopColumns+`, m.role FROM workshops
		JOIN memberships m ON m.tenant_id = workshops.id AND m.identity_id = $2 WHERE workshops.slug = $1`, slug, identityID).Scan(
		&v.ID, &v.Slug, &v.Name, &v.Plan, &v.Status, &v.TimeZone, &v.FranchiseID, &v.BillingCustomerID,
		&v.SubscriptionID, &profile, &v.Version, &v.CreatedAt, &v.MFARequired, &role)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, "", fmt.Errorf("workshop membership: %w", errs.ErrNotFound)
	}
	if err != nil {
		// An outage is not "no such workshop" (errs.ErrUnavailable → 503).
		return v, "", postgres.Unavailable(err)
	}
	return v, role, json.Unmarshal(profile, &v.Profile)
}

// WorkshopBySlug implements workshops.Directory.
func (r *PostgresWorkshopDirectory) WorkshopBySlug(ctx context.Context, slug string) (workshops.WorkshopView, error) {
	return r.oneWorkshop(ctx, `slug = $1`, slug)
}

// WorkshopByID implements workshops.Directory.
func (r *PostgresWorkshopDirectory) WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error) {
	return r.oneWorkshop(ctx, `id = $1`, id)
}

// WorkshopByBillingCustomer implements billing.Workshops.
func (r *PostgresWorkshopDirectory) WorkshopByBillingCustomer(ctx context.Context, customerID string) (workshops.WorkshopView, error) {
	return r.oneWorkshop(ctx, `billing_customer_id = $1`, customerID)
}
