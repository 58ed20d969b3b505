package readmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

var _ serviceorders.ReadModel = (*PostgresServiceOrderReadModel)(nil)

// PostgresServiceOrderReadModel reads the service-order board,
// registry_service_orders. The orders' free text (description, item
// descriptions, status notes) is sealed under the customer's key by the
// projection (issue 10, item 9); it is opened here, and reads as the
// erasure placeholder once the customer is erased.
type PostgresServiceOrderReadModel struct{ tenantReads }

// NewServiceOrderReadModel returns the adapter; pool connects as the
// runtime role, cipher opens the orders' free text.
func NewServiceOrderReadModel(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresServiceOrderReadModel {
	return &PostgresServiceOrderReadModel{tenantReads{pool: pool, cipher: cipher}}
}

// openSealedText opens one text value a projection sealed with sealText
// (orders' free text, booking notes, staff e-mails and names): "" and the
// placeholder (stored after an erasure) are kept as they are, a shredded
// key reads as the placeholder, anything else must decrypt (a tampered
// value fails the read).
func (r tenantReads) openSealedText(ctx context.Context, customerID uuid.UUID, field, sealed string) (string, error) {
	if sealed == "" || sealed == privacy.Placeholder {
		return sealed, nil
	}
	if r.cipher == nil {
		return "", errors.New("read model: no cipher to open " + field)
	}
	pt, err := r.cipher.Decrypt(ctx, customerID, field, sealed)
	if errors.Is(err, privacy.ErrErased) {
		return privacy.Placeholder, nil
	}
	if err != nil {
		return "", fmt.Errorf("open %s: %w", field, err)
	}
	return string(pt), nil
}

// openOrders opens the free text of orders read by scanOrder.
func (r tenantReads) openOrders(ctx context.Context, orders []serviceorders.ServiceOrder) error {
	for i := range orders {
		o := &orders[i]
		var err error
		if o.Description, err = r.openSealedText(ctx, o.CustomerID, orderDescriptionField(o.ID), o.Description); err != nil {
			return err
		}
		for j := range o.Items {
			it := &o.Items[j]
			if it.Description, err = r.openSealedText(ctx, o.CustomerID, orderItemField(o.ID, it.Line), it.Description); err != nil {
				return err
			}
		}
		for j := range o.StatusHistory {
			h := &o.StatusHistory[j]
			if h.Note, err = r.openSealedText(ctx, o.CustomerID, orderNoteField(o.ID, jsonTime(h.At)), h.Note); err != nil {
				return err
			}
		}
	}
	return nil
}

const orderSelect = `SELECT order_id, number, status, customer_id, vehicle_id, mileage_km, description, items, total_cents,
	mechanic_id, status_history, opened_at, updated_at, version FROM registry_service_orders`

func scanOrder(row pgx.CollectableRow) (serviceorders.ServiceOrder, error) {
	var o serviceorders.ServiceOrder
	var items, history []byte
	if err := row.Scan(&o.ID, &o.Number, &o.Status, &o.CustomerID, &o.VehicleID, &o.MileageKm, &o.Description, &items,
		&o.TotalCents, &o.MechanicID, &history, &o.OpenedAt, &o.UpdatedAt, &o.Version); err != nil {
		return o, err
	}
	var its []orderItemJSON
	if err := json.Unmarshal(items, &its); err != nil {
		return o, fmt.Errorf("order %s items: %w", o.ID, err)
	}
	o.Items = make([]serviceorders.OrderItem, 0, len(its))
	for _, it := range its {
		o.Items = append(o.Items, serviceorders.OrderItem(it))
	}
	var hs []statusChangeJSON
	if err := json.Unmarshal(history, &hs); err != nil {
		return o, fmt.Errorf("order %s history: %w", o.ID, err)
	}
	for _, h := range hs {
		at, err := time.Parse(time.RFC3339Nano, h.At)
		if err != nil {
			return o, fmt.Errorf("order %s history: %w", o.ID, err)
		}
		o.StatusHistory = append(o.StatusHistory, serviceorders.StatusChange{From: h.From, To: h.To, Note: h.Note, At: at})
	}
	return o, nil
}

// ServiceOrder implements serviceorders.ReadModel.
func (r *PostgresServiceOrderReadModel) ServiceOrder(ctx context.Context, id uuid.UUID) (serviceorders.ServiceOrder, error) {
	out, err := collectTenant(ctx, r.tenantReads, scanOrder, orderSelect+` WHERE tenant_id = $1 AND order_id = $2`, id)
	if err == nil {
		err = r.openOrders(ctx, out)
	}
	if err != nil {
		return serviceorders.ServiceOrder{}, err
	}
	if len(out) == 0 {
		return serviceorders.ServiceOrder{}, fmt.Errorf("service order %s: %w", id, errs.ErrNotFound)
	}
	return out[0], nil
}

// ServiceOrders implements serviceorders.ReadModel. Each filter
// matches one of the (tenant_id, X, number DESC) indexes.
func (r *PostgresServiceOrderReadModel) ServiceOrders(ctx context.Context, f serviceorders.Filter, beforeNumber int64, limit int) ([]serviceorders.ServiceOrder, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	where := "tenant_id = " + a.add(tid.UUID())
	if f.Status != "" {
		where += " AND status = " + a.add(f.Status)
	}
	if f.CustomerID != uuid.Nil {
		where += " AND customer_id = " + a.add(f.CustomerID)
	}
	if f.VehicleID != uuid.Nil {
		where += " AND vehicle_id = " + a.add(f.VehicleID)
	}
	if beforeNumber > 0 {
		where += " AND number < " + a.add(beforeNumber)
	}
	query := orderSelect + ` WHERE ` + where + ` ORDER BY number DESC LIMIT ` + a.add(limit)
	out, err := collect(ctx, r.pool, scanOrder, query, a...)
	if err != nil {
		return nil, err
	}
	if err := r.openOrders(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}
