package readmodel

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/errs"
)

var _ customers.ReadModel = (*PostgresCustomerReadModel)(nil)

// PostgresCustomerReadModel reads registry_customers and registry_notes,
// decrypting personal fields.
type PostgresCustomerReadModel struct{ tenantReads }

// NewCustomerReadModel returns the adapter; pool connects as the runtime
// role.
func NewCustomerReadModel(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresCustomerReadModel {
	return &PostgresCustomerReadModel{tenantReads{pool: pool, cipher: cipher}}
}

// customerRow is a registry_customers row with its personal fields sealed.
type customerRow struct {
	id                                                      uuid.UUID
	name, document, email, mobile, landline                 *string
	street, number, complement, district, city, state, post *string
	documentType                                            string
	marketing, erased                                       bool
	createdAt                                               time.Time
	version                                                 int64
}

const customerSelect = `SELECT customer_id, name_enc, document_enc, email_enc, mobile_enc, landline_enc, street_enc,
	number_enc, complement_enc, district_enc, city_enc, state_enc, postal_code_enc, document_type, marketing_consent,
	erased, created_at, version FROM registry_customers`

// dests are the scan destinations of customerSelect's columns.
func (c *customerRow) dests() []any {
	return []any{&c.id, &c.name, &c.document, &c.email, &c.mobile, &c.landline, &c.street, &c.number, &c.complement,
		&c.district, &c.city, &c.state, &c.post, &c.documentType, &c.marketing, &c.erased, &c.createdAt, &c.version}
}

func scanCustomer(row pgx.CollectableRow) (customerRow, error) {
	var c customerRow
	err := row.Scan(c.dests()...)
	return c, err
}

// view decrypts a row; Contact is decrypted only withPII.
func (r *PostgresCustomerReadModel) view(ctx context.Context, c customerRow, withPII bool) (customers.Customer, error) {
	out, err := r.nameView(ctx, c)
	if err != nil || !withPII || c.erased {
		return out, err
	}
	out.Contact, err = r.contact(ctx, c)
	return out, err
}

// nameView is the customer without its contact: the name is the only field
// it decrypts (a search filters its candidates by name before opening the
// contact of those it shows).
func (r *PostgresCustomerReadModel) nameView(ctx context.Context, c customerRow) (customers.Customer, error) {
	out := customers.Customer{ID: c.id, MarketingConsent: c.marketing, CreatedAt: c.createdAt, Version: c.version, Erased: c.erased}
	var err error
	out.Name, err = r.open(ctx, c.id, customerField("name"), c.name)
	return out, err
}

// contact decrypts the customer's contact fields.
func (r *PostgresCustomerReadModel) contact(ctx context.Context, c customerRow) (*customers.Contact, error) {
	k := &customers.Contact{DocumentType: c.documentType}
	for _, f := range []struct {
		dst    *string
		column string
		ct     *string
	}{
		{&k.Document, "document", c.document}, {&k.Email, "email", c.email},
		{&k.Phones.Mobile, "mobile", c.mobile}, {&k.Phones.Landline, "landline", c.landline},
		{&k.Address.Street, "street", c.street}, {&k.Address.Number, "number", c.number},
		{&k.Address.Complement, "complement", c.complement}, {&k.Address.District, "district", c.district},
		{&k.Address.City, "city", c.city}, {&k.Address.State, "state", c.state},
		{&k.Address.PostalCode, "postal_code", c.post},
	} {
		var err error
		if *f.dst, err = r.open(ctx, c.id, customerField(f.column), f.ct); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Customer implements customers.ReadModel.
func (r *PostgresCustomerReadModel) Customer(ctx context.Context, id uuid.UUID, withPII bool) (customers.Customer, error) {
	rows, err := collectTenant(ctx, r.tenantReads, scanCustomer, customerSelect+` WHERE tenant_id = $1 AND customer_id = $2`, id)
	if err != nil {
		return customers.Customer{}, err
	}
	if len(rows) == 0 {
		return customers.Customer{}, fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
	}
	return r.view(ctx, rows[0], withPII)
}

// CustomersByID implements customers.ReadModel.
func (r *PostgresCustomerReadModel) CustomersByID(ctx context.Context, ids []uuid.UUID, withPII bool) ([]customers.Customer, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := collectTenant(ctx, r.tenantReads, scanCustomer,
		customerSelect+` WHERE tenant_id = $1 AND customer_id = ANY($2) AND NOT erased`, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]customerRow, len(rows))
	for _, c := range rows {
		byID[c.id] = c
	}
	out := make([]customers.Customer, 0, len(rows))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			v, err := r.view(ctx, c, withPII)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// Notes implements customers.ReadModel.
func (r *PostgresCustomerReadModel) Notes(ctx context.Context, customerID uuid.UUID) ([]customers.Note, error) {
	type noteRow struct {
		id     uuid.UUID
		text   *string
		author string
		at     time.Time
	}
	rows, err := collectTenant(ctx, r.tenantReads, func(row pgx.CollectableRow) (noteRow, error) {
		var n noteRow
		err := row.Scan(&n.id, &n.text, &n.author, &n.at)
		return n, err
	}, `SELECT note_id, text_enc, author, added_at FROM registry_notes
			WHERE tenant_id = $1 AND customer_id = $2 ORDER BY added_at, note_id`, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]customers.Note, 0, len(rows))
	for _, n := range rows {
		text, err := r.open(ctx, customerID, noteField(n.id), n.text)
		if err != nil {
			return nil, err
		}
		out = append(out, customers.Note{ID: n.id, Text: text, AddedAt: n.at, Author: n.author})
	}
	return out, nil
}
