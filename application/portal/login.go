package portal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// maxRecordsPerEmail bounds the customer records one e-mail may act for in
// one workshop (duplicates of one person).
const maxRecordsPerEmail = 20

// errLoginFailed is the one answer to every failed code login.
var errLoginFailed = fmt.Errorf("portal: login failed: %w", errs.ErrUnauthenticated)

// parseEmail parses an e-mail as the customer records store it; a malformed
// one is a *errs.ValidationError on "email".
func parseEmail(s string) (br.Email, error) {
	e, err := br.ParseEmail(s)
	var ve *br.ValidationError
	if errors.As(err, &ve) {
		return e, errs.Invalid("email", ve.Code, ve.Message)
	}
	return e, err
}

func (u *UseCases) emailIndex(ctx context.Context, email br.Email) (string, error) {
	return u.d.Index.Index(ctx, privacy.KindEmail, email.String())
}

// CustomersOf returns the ids of the customer records (not erased) of the
// tenant in ctx whose e-mail is email, oldest first; none for an address
// that is not an e-mail. Public: the portal scoping calls it to build the car
// owner's principal, before there is one.
func (u *UseCases) CustomersOf(ctx context.Context, email string) ([]uuid.UUID, error) {
	e, err := parseEmail(email)
	if err != nil {
		return nil, nil
	}
	return u.customersOf(ctx, e)
}

func (u *UseCases) customersOf(ctx context.Context, e br.Email) ([]uuid.UUID, error) {
	idx, err := u.emailIndex(ctx, e)
	if err != nil {
		return nil, err
	}
	return u.d.Search.SearchCustomers(ctx, customers.SearchQuery{AnyOf: []customers.IndexTerm{{Kind: privacy.KindEmail, Hash: idx}}},
		uuid.Nil, maxRecordsPerEmail)
}

// ensureIdentity finds the customer identity of e or creates it, named
// after the customer record.
func (u *UseCases) ensureIdentity(ctx context.Context, e br.Email, customerID uuid.UUID) error {
	_, err := u.d.Directory.FindByEmail(ctx, identity.SchemaCustomer, e.String())
	if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	c, err := u.d.Customers.Customer(ctx, customerID, false)
	if err != nil {
		return err
	}
	name := c.Name
	if name == "" || name == privacy.Placeholder {
		name = e.String()
	}
	if _, err = u.d.Directory.CreateCustomer(ctx, e.String(), "", name); errors.Is(err, errs.ErrConflict) {
		return nil // created meanwhile by a concurrent request
	}
	return err
}

// LoginResult is a portal session.
type LoginResult struct {
	// Token is the session token ("Authorization: Bearer", or the portal
	// pages' cookie). A secret: never log it.
	Token     string
	ExpiresAt time.Time
}
