package tenancy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// InviteStaffInput is POST /workshops/{slug}/staff.
type InviteStaffInput struct {
	Name, Email, Role string
}

// ListStaff lists the staff of the workshop in ctx.
func (s *Service) ListStaff(ctx context.Context) ([]StaffView, error) {
	if _, err := authz.Require(ctx, authz.ListStaff); err != nil {
		return nil, err
	}
	return s.d.Registry.Staff(ctx)
}

// InviteStaff adds a member. A new person gets an identity without password
// and an e-mail with a link to set one; someone who already has a Torque
// account is told they were added.
func (s *Service) InviteStaff(ctx context.Context, in InviteStaffInput) (StaffView, error) {
	p, err := authz.Require(ctx, authz.InviteStaff)
	if err != nil {
		return StaffView{}, err
	}
	var c errs.Collector
	name := strings.TrimSpace(in.Name)
	if name == "" {
		c.Add("name", "required", "name is required")
	}
	email, err := br.ParseEmail(in.Email)
	if err != nil {
		c.Add("email", "invalid_format", "e-mail is invalid")
	}
	role, err := workshop.ParseRole(in.Role)
	if err != nil {
		c.Add("role", "unknown_value", "role must be owner, manager, advisor or mechanic")
	}
	if err := c.Err(); err != nil {
		return StaffView{}, err
	}
	if role == workshop.RoleOwner && p.Role != authz.RoleOwner {
		return StaffView{}, fmt.Errorf("only an owner may grant the owner role: %w", errs.ErrForbidden)
	}
	created := false
	who, err := s.d.Identities.FindByEmail(ctx, "staff", email.String())
	if errors.Is(err, errs.ErrNotFound) {
		who, err = s.d.Identities.CreateStaff(ctx, email.String(), name, "")
		created = true
	}
	if err != nil {
		return StaffView{}, err
	}
	tid := p.Tenant.UUID()
	res, err := s.workshops.Update(ctx, tid, func(w *workshop.Workshop) error {
		return w.AddStaff(who.ID, who.Email, name, role)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		if created {
			_ = s.d.Identities.Delete(context.WithoutCancel(ctx), who.ID)
		}
		if errors.Is(err, errs.ErrConflict) {
			return StaffView{}, &errs.ConflictError{Field: "email", Code: "duplicate", Message: "this person is already on the staff"}
		}
		return StaffView{}, err
	}
	s.await(ctx, res)
	ws, err := s.d.Registry.WorkshopByID(ctx, tid)
	if err != nil {
		return StaffView{}, err
	}
	if err := s.sendInvite(ctx, p, ws, who.ID, who.Email, name, role, created); err != nil {
		s.d.Logger.ErrorContext(ctx, "invitation e-mail failed", "workshop", ws.Slug, "err", err)
	}
	return StaffView{IdentityID: who.ID, Email: who.Email, Name: name, Role: role.String(), Invited: true, JoinedAt: s.d.Now().UTC()}, nil
}

func (s *Service) sendInvite(ctx context.Context, by authz.Principal, ws WorkshopView, identityID, email, name string,
	role workshop.Role, newAccount bool) error {
	if s.d.Mailer == nil {
		return nil
	}
	l := i18n.Default
	roleName := i18n.T(l, "role."+role.String())
	inviter := by.Name
	if inviter == "" {
		inviter = by.Email
	}
	if !newAccount {
		return s.d.Mailer.Send(ctx, email, i18n.T(l, "email.added.subject", ws.Name),
			i18n.T(l, "email.added.body", name, inviter, ws.Name, roleName, s.cfg.PublicURL+"/login"))
	}
	link, code, err := s.d.Identities.RecoveryLink(ctx, identityID, s.cfg.InviteTTL)
	if err != nil {
		return err
	}
	return s.d.Mailer.Send(ctx, email, i18n.T(l, "email.invite.subject", ws.Name),
		i18n.T(l, "email.invite.body", name, inviter, ws.Name, roleName, code, int(s.cfg.InviteTTL.Hours()), link))
}

// ChangeStaffRole changes a member's role.
func (s *Service) ChangeStaffRole(ctx context.Context, identityID, role string) error {
	p, err := authz.Require(ctx, authz.ChangeStaffRole)
	if err != nil {
		return err
	}
	r, err := workshop.ParseRole(role)
	if err != nil {
		return err
	}
	res, err := s.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		m, ok := w.Member(identityID)
		if !ok {
			return fmt.Errorf("member: %w", errs.ErrNotFound)
		}
		if (r == workshop.RoleOwner || m.Role == workshop.RoleOwner) && p.Role != authz.RoleOwner {
			return fmt.Errorf("only an owner may grant or take the owner role: %w", errs.ErrForbidden)
		}
		return w.ChangeRole(identityID, r)
	})
	if err != nil {
		return err
	}
	s.await(ctx, res)
	return nil
}

// RemoveStaff revokes a membership.
func (s *Service) RemoveStaff(ctx context.Context, identityID string) error {
	p, err := authz.Require(ctx, authz.RemoveStaff)
	if err != nil {
		return err
	}
	res, err := s.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		m, ok := w.Member(identityID)
		if !ok {
			return fmt.Errorf("member: %w", errs.ErrNotFound)
		}
		if m.Role == workshop.RoleOwner && p.Role != authz.RoleOwner {
			return fmt.Errorf("only an owner may remove an owner: %w", errs.ErrForbidden)
		}
		return w.RemoveStaff(identityID)
	})
	if err != nil {
		return err
	}
	s.await(ctx, res)
	return nil
}

// Workshop returns the workshop of ctx.
func (s *Service) Workshop(ctx context.Context) (WorkshopView, error) {
	p, err := authz.Require(ctx, authz.ReadWorkshop)
	if err != nil {
		return WorkshopView{}, err
	}
	return s.d.Registry.WorkshopByID(ctx, p.Tenant.UUID())
}

// UpdateProfile changes the workshop profile; expectedVersion (If-Match) is
// optional.
func (s *Service) UpdateProfile(ctx context.Context, in workshop.ProfileInput, expectedVersion *int64) (WorkshopView, error) {
	p, err := authz.Require(ctx, authz.UpdateWorkshop)
	if err != nil {
		return WorkshopView{}, err
	}
	if in.PrivacyPolicy != nil {
		if _, err := authz.Require(ctx, authz.EditPrivacyPolicy); err != nil {
			return WorkshopView{}, err
		}
	}
	opts := []eventsourcing.UpdateOption{}
	if expectedVersion != nil {
		opts = append(opts, eventsourcing.ExpectVersion(*expectedVersion))
	}
	res, err := s.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error { return w.UpdateProfile(in) }, opts...)
	if err != nil {
		return WorkshopView{}, err
	}
	s.await(ctx, res)
	return s.d.Registry.WorkshopByID(ctx, p.Tenant.UUID())
}

// PrivacyPolicy returns a workshop's policy text for its public page.
func (s *Service) PrivacyPolicy(ctx context.Context, slug string) (WorkshopView, error) {
	return s.d.Registry.WorkshopBySlug(ctx, slug)
}
