// Package accountstest holds in-memory fakes and helpers shared by the unit
// tests of the workshop accounts modules (signup, staff, franchises,
// billing): an identity directory, a mailer and reading a workshop back from
// the event store. The event store itself is eventstoretest.MemStore. It is
// test support only; no production code imports it.
package accountstest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// RecoveryCode is the code every recovery link of Identities carries.
const RecoveryCode = "123456"

// Identities is an identity.Directory of staff accounts by e-mail. Accounts
// it creates are "new-1", "new-2"… without a password: an invited person
// sets their own, so CreateStaff refuses one. Created counts them; Deleted
// lists the ids deleted.
type Identities struct {
	identity.Directory
	ByEmail map[string]identity.Identity
	Deleted []string
	Created int
	// Unverified lists identity ids whose address is not verified (Get
	// reports every other id as verified); Reset lists the ids whose
	// credentials ResetCredentials replaced.
	Unverified map[string]bool
	Reset      []string
}

// Get implements identity.Directory: a known account, or any other id as a
// verified staff member (the callers of unit tests).
func (d *Identities) Get(_ context.Context, id string) (identity.Identity, error) {
	for _, i := range d.ByEmail {
		if i.ID == id {
			return i, nil
		}
	}
	return identity.Identity{ID: id, Schema: identity.SchemaStaff, Active: true, Verified: !d.Unverified[id]}, nil
}

// ResetCredentials implements identity.Directory by recording the id.
func (d *Identities) ResetCredentials(_ context.Context, id string) error {
	d.Reset = append(d.Reset, id)
	return nil
}

// NewIdentities returns a directory without accounts.
func NewIdentities() *Identities {
	return &Identities{ByEmail: map[string]identity.Identity{}, Unverified: map[string]bool{}}
}

// FindByEmail implements identity.Directory for staff accounts.
func (d *Identities) FindByEmail(_ context.Context, schema, email string) (identity.Identity, error) {
	if id, ok := d.ByEmail[email]; ok && schema == identity.SchemaStaff {
		return id, nil
	}
	return identity.Identity{}, errs.ErrNotFound
}

// CreateStaff implements identity.Directory; it refuses a password.
func (d *Identities) CreateStaff(_ context.Context, email, name, password string) (identity.Identity, error) {
	if password != "" {
		return identity.Identity{}, errors.New("an invited person sets their own password")
	}
	d.Created++
	id := identity.Identity{ID: fmt.Sprintf("new-%d", d.Created), Schema: identity.SchemaStaff, Email: email, Name: name}
	d.ByEmail[email] = id
	return id, nil
}

// RecoveryLink implements identity.Directory: a link naming the identity,
// and RecoveryCode.
func (d *Identities) RecoveryLink(_ context.Context, id string, _ time.Duration) (string, string, error) {
	return "https://torque.example/recovery?flow=" + id, RecoveryCode, nil
}

// Delete implements identity.Directory; it fails on a cancelled ctx, as a
// real call would.
func (d *Identities) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.Deleted = append(d.Deleted, id)
	for e, i := range d.ByEmail {
		if i.ID == id {
			delete(d.ByEmail, e)
		}
	}
	return nil
}

// Mail is one message Mailer sent.
type Mail struct{ To, Subject, Text string }

// Mailer records what it sends; Err makes Send fail.
type Mailer struct {
	Sent []Mail
	Err  error
}

// Send implements the modules' Mailer ports.
func (m *Mailer) Send(_ context.Context, to, subject, text string) error {
	if m.Err != nil {
		return m.Err
	}
	m.Sent = append(m.Sent, Mail{to, subject, text})
	return nil
}

// InTenant is a background context in workshop (or franchise) id's own
// tenant.
func InTenant(id uuid.UUID) context.Context { return usecase.InOwnTenant(context.Background(), id) }

// OpenWorkshop stores workshop id, created from in at the given time, in
// its own tenant of store; setup (e.g. adding staff) runs on it first.
func OpenWorkshop(t testing.TB, store eventsourcing.EventStore, id uuid.UUID, in workshop.CreateInput, at time.Time,
	setup ...func(*workshop.Workshop) error) {
	t.Helper()
	w, err := workshop.Create(id, in, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		if err := f(w); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := workshops(store).Create(InTenant(id), id, w); err != nil {
		t.Fatal(err)
	}
}

// Workshop reads workshop id back from its own tenant of store, failing the
// test on an error.
func Workshop(t testing.TB, store eventsourcing.EventStore, id uuid.UUID) *workshop.Workshop {
	t.Helper()
	w, err := workshops(store).Load(InTenant(id), id)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func workshops(store eventsourcing.EventStore) *eventsourcing.Repository[*workshop.Workshop] {
	return eventsourcing.NewRepository(store, workshop.StreamType, workshop.Blank)
}
