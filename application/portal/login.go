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

// RequestLoginCode is POST /api/v1/portal/{slug}/auth/code (public; the
// tenant in ctx is the portal's workshop). When the workshop has a customer
// record with this e-mail, the person's customer identity is found or
// created and the identity provider e-mails a one-time code; otherwise
// nothing happens. The answer is the same either way (no enumeration): only
// a malformed e-mail is an error (*errs.ValidationError on "email").
//
// workshopName brands the e-mail.
func (u *UseCases) RequestLoginCode(ctx context.Context, email, workshopName string) error {
	e, err := parseEmail(email)
	if err != nil {
		return err
	}
	ids, err := u.customersOf(ctx, e)
	if err != nil || len(ids) == 0 {
		return err
	}
	if err := u.ensureIdentity(ctx, e, ids[0]); err != nil {
		return err
	}
	flowID, err := u.d.Codes.SendLoginCode(ctx, e.String(), workshopName)
	if err != nil {
		return err
	}
	idx, err := u.emailIndex(ctx, e)
	if err != nil {
		return err
	}
	return u.d.Flows.Save(ctx, idx, flowID, u.base.Now().Add(CodeLifespan))
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

// LoginWithCode is POST /api/v1/portal/{slug}/auth/login (public): it
// submits the code e-mailed by RequestLoginCode. Every failure (no code
// requested, wrong or expired code, not a customer of this workshop) is the
// same errs.ErrUnauthenticated; a malformed e-mail or an empty code is a
// *errs.ValidationError.
func (u *UseCases) LoginWithCode(ctx context.Context, email, code string) (LoginResult, error) {
	e, err := parseEmail(email)
	var col errs.Collector
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(f.Field, f.Code, f.Message)
		}
	} else if err != nil {
		return LoginResult{}, err
	}
	if code == "" {
		col.Add("code", br.CodeRequired, "code is required")
	} else if len(code) > 64 {
		col.Add("code", br.CodeInvalidLength, "code is too long")
	}
	if err := col.Err(); err != nil {
		return LoginResult{}, err
	}
	idx, err := u.emailIndex(ctx, e)
	if err != nil {
		return LoginResult{}, err
	}
	flowID, err := u.d.Flows.Flow(ctx, idx, u.base.Now())
	if errors.Is(err, errs.ErrNotFound) {
		return LoginResult{}, errLoginFailed
	}
	if err != nil {
		return LoginResult{}, err
	}
	token, s, err := u.d.Codes.LoginWithCode(ctx, flowID, e.String(), code)
	if err != nil {
		return LoginResult{}, err
	}
	if err := u.d.Flows.Delete(ctx, idx); err != nil {
		u.base.Logger.WarnContext(ctx, "portal: forget login flow", "err", err)
	}
	if s.Identity.Schema != identity.SchemaCustomer || s.Identity.Email != e.String() {
		return LoginResult{}, errLoginFailed
	}
	return LoginResult{Token: token, ExpiresAt: s.ExpiresAt}, nil
}
