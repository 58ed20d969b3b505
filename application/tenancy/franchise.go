package tenancy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/workshop"
)

// Caller is an authenticated identity acting outside any one workshop
// (franchise endpoints, /me).
type Caller struct {
	IdentityID, Email, Name string
}

// CreateFranchise creates a franchise managed by the caller, who must own at
// least one workshop (franchises are sold to workshop owners).
func (s *Service) CreateFranchise(ctx context.Context, by Caller, name string) (FranchiseView, error) {
	ms, err := s.d.Registry.MembershipsOf(ctx, by.IdentityID)
	if err != nil {
		return FranchiseView{}, err
	}
	owner := false
	for _, m := range ms {
		owner = owner || m.Role == workshop.RoleOwner.String()
	}
	if !owner {
		return FranchiseView{}, fmt.Errorf("only workshop owners create franchises: %w", errs.ErrForbidden)
	}
	id := s.d.NewID()
	f, err := franchise.Create(id, name, by.IdentityID, by.Email, by.Name, s.d.Now())
	if err != nil {
		return FranchiseView{}, err
	}
	fctx := inTenant(ctx, id)
	res, err := s.franchises.Create(fctx, id, f)
	if err != nil {
		return FranchiseView{}, err
	}
	s.await(fctx, res)
	return s.d.Registry.Franchise(ctx, id)
}

// managedFranchise loads a franchise the caller manages; anything else is
// not found, exactly like another tenant's data.
func (s *Service) managedFranchise(ctx context.Context, by Caller, id uuid.UUID) (context.Context, error) {
	ids, err := s.d.Registry.FranchisesManagedBy(ctx, by.IdentityID)
	if err != nil {
		return nil, err
	}
	for _, fid := range ids {
		if fid == id {
			return inTenant(ctx, id), nil
		}
	}
	return nil, fmt.Errorf("franchise: %w", errs.ErrNotFound)
}

// Franchise returns a franchise the caller manages.
func (s *Service) Franchise(ctx context.Context, by Caller, id uuid.UUID) (FranchiseView, error) {
	if _, err := s.managedFranchise(ctx, by, id); err != nil {
		return FranchiseView{}, err
	}
	return s.d.Registry.Franchise(ctx, id)
}

// InviteWorkshop invites a workshop (by slug) into the franchise.
func (s *Service) InviteWorkshop(ctx context.Context, by Caller, id uuid.UUID, slug string) (FranchiseView, error) {
	fctx, err := s.managedFranchise(ctx, by, id)
	if err != nil {
		return FranchiseView{}, err
	}
	ws, err := s.d.Registry.WorkshopBySlug(ctx, slug)
	if err != nil {
		return FranchiseView{}, errs.Invalid("workshop_slug", "unknown_value", "no workshop with this slug")
	}
	res, err := s.franchises.Update(fctx, id, func(f *franchise.Franchise) error { return f.Invite(ws.ID) }, eventsourcingRetry())
	if err != nil {
		return FranchiseView{}, err
	}
	s.await(fctx, res)
	return s.d.Registry.Franchise(ctx, id)
}

// AcceptFranchise is the workshop owner's acceptance of an invitation.
func (s *Service) AcceptFranchise(ctx context.Context, franchiseID uuid.UUID) error {
	p, err := authz.Require(ctx, authz.ManageFranchise)
	if err != nil {
		return err
	}
	fctx := inTenant(ctx, franchiseID)
	res, err := s.franchises.Update(fctx, franchiseID, func(f *franchise.Franchise) error { return f.Accept(p.Tenant.UUID()) },
		eventsourcingRetry())
	if err != nil {
		return err
	}
	s.await(fctx, res)
	res, err = s.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error { return w.JoinFranchise(franchiseID) },
		eventsourcingRetry())
	if err != nil {
		return err
	}
	s.await(ctx, res)
	return nil
}

// RemoveWorkshop takes a workshop out of the franchise.
func (s *Service) RemoveWorkshop(ctx context.Context, by Caller, id, workshopID uuid.UUID) error {
	fctx, err := s.managedFranchise(ctx, by, id)
	if err != nil {
		return err
	}
	res, err := s.franchises.Update(fctx, id, func(f *franchise.Franchise) error { return f.RemoveWorkshop(workshopID) },
		eventsourcingRetry())
	if err != nil {
		return err
	}
	s.await(fctx, res)
	wctx := inTenant(ctx, workshopID)
	res, err = s.workshops.Update(wctx, workshopID, func(w *workshop.Workshop) error {
		if w.FranchiseID() != id {
			return nil // was only invited
		}
		return w.LeaveFranchise(id)
	}, eventsourcingRetry())
	if err != nil {
		return err
	}
	s.await(wctx, res)
	return nil
}

// AddFranchiseManager grants the franchise-manager role to a person (a new
// identity gets an invitation e-mail).
func (s *Service) AddFranchiseManager(ctx context.Context, by Caller, id uuid.UUID, email, name string) (FranchiseView, error) {
	fctx, err := s.managedFranchise(ctx, by, id)
	if err != nil {
		return FranchiseView{}, err
	}
	e, err := br.ParseEmail(email)
	if err != nil {
		return FranchiseView{}, errs.Invalid("email", "invalid_format", "e-mail is invalid")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return FranchiseView{}, errs.Invalid("name", "required", "name is required")
	}
	created := false
	who, err := s.d.Identities.FindByEmail(ctx, identity.SchemaStaff, e.String())
	if errors.Is(err, errs.ErrNotFound) {
		who, err = s.d.Identities.CreateStaff(ctx, e.String(), name, "")
		created = true
	}
	if err != nil {
		return FranchiseView{}, err
	}
	res, err := s.franchises.Update(fctx, id, func(f *franchise.Franchise) error { return f.AddManager(who.ID, who.Email, name) },
		eventsourcingRetry())
	if err != nil {
		return FranchiseView{}, err
	}
	s.await(fctx, res)
	view, err := s.d.Registry.Franchise(ctx, id)
	if err != nil {
		return view, err
	}
	if created && s.d.Mailer != nil {
		link, code, err := s.d.Identities.RecoveryLink(ctx, who.ID, s.cfg.InviteTTL)
		if err == nil {
			err = s.d.Mailer.Send(ctx, who.Email, i18n.T(i18n.Default, "email.franchise_invite.subject", view.Name),
				i18n.T(i18n.Default, "email.franchise_invite.body", name, view.Name, code, int(s.cfg.InviteTTL.Hours()), link))
		}
		if err != nil {
			s.d.Logger.ErrorContext(ctx, "franchise invitation e-mail failed", "err", err)
		}
	}
	return view, nil
}

// Me returns the caller's memberships and franchises.
func (s *Service) Me(ctx context.Context, by Caller) ([]MembershipView, []uuid.UUID, error) {
	ms, err := s.d.Registry.MembershipsOf(ctx, by.IdentityID)
	if err != nil {
		return nil, nil, err
	}
	fs, err := s.d.Registry.FranchisesManagedBy(ctx, by.IdentityID)
	return ms, fs, err
}
