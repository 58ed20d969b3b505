package session

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

// PortalCookie is the cookie of the portal pages (/p/{slug}/): it holds the
// car owner's Ory session token, set by Torque after the code login
// (HttpOnly, SameSite=Lax, Secure outside local development). It is not the
// back office's Ory cookie, so a portal session never reaches staff pages.
const PortalCookie = "torque_portal"

// PortalScopes resolves a workshop's portal and the car owner's records there.
type PortalScopes interface {
	// PortalWorkshop returns the workshop of slug; errs.ErrNotFound when none.
	PortalWorkshop(ctx context.Context, slug string) (workshops.WorkshopView, error)
	// CustomersOf returns the customer records (not erased) of the tenant in
	// ctx whose e-mail is email, oldest first.
	CustomersOf(ctx context.Context, email string) ([]uuid.UUID, error)
}

// InPortalWorkshop puts ctx in the tenant of the portal of slug, without a
// principal (the public portal routes: login, articles).
func InPortalWorkshop(ctx context.Context, scopes PortalScopes, slug string) (context.Context, workshops.WorkshopView, error) {
	ws, err := scopes.PortalWorkshop(ctx, slug)
	if err != nil {
		return ctx, ws, err
	}
	tid, err := tenant.FromUUID(ws.ID)
	if err != nil {
		return ctx, ws, fmt.Errorf("workshop id: %w", errs.ErrNotFound)
	}
	return tenant.WithTenant(ctx, tid), ws, nil
}

// ScopeToPortal puts ctx in the workshop of slug as the car owner of session
// s: the tenant, and authz.Principal{Role: RoleCustomer, CustomerIDs: the
// workshop's records with the session's e-mail}. Only a customer identity's
// session qualifies (its one credential is a code sent to that e-mail, so the
// session proves the address); a staff session, or a person the workshop
// has no record of, is errs.ErrNotFound, exactly as if the portal did not
// exist.
func ScopeToPortal(ctx context.Context, scopes PortalScopes, slug string, s identity.Session) (context.Context, workshops.WorkshopView, error) {
	if s.Identity.Schema != identity.SchemaCustomer || s.Identity.Email == "" {
		return ctx, workshops.WorkshopView{}, fmt.Errorf("not a car owner's session: %w", errs.ErrNotFound)
	}
	ctx, ws, err := InPortalWorkshop(ctx, scopes, slug)
	if err != nil {
		return ctx, ws, err
	}
	ids, err := scopes.CustomersOf(ctx, s.Identity.Email)
	if err != nil {
		return ctx, ws, err
	}
	if len(ids) == 0 {
		return ctx, ws, fmt.Errorf("no customer record of this e-mail: %w", errs.ErrNotFound)
	}
	tid, _ := tenant.FromContext(ctx)
	st, _ := workshop.ParseStatus(ws.Status)
	ctx = authz.WithPrincipal(ctx, authz.Principal{IdentityID: s.Identity.ID, Email: s.Identity.Email,
		Name: s.Identity.Name, Tenant: tid, Role: authz.RoleCustomer, ReadOnly: !st.Writable(), CustomerIDs: ids})
	ctx = With(ctx, s)
	m := requestmeta.From(ctx)
	m.Actor = "customer:" + s.Identity.ID
	return requestmeta.With(ctx, m), ws, nil
}
