package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// InviteInput is POST /workshops/{slug}/staff.
type InviteInput struct {
	Name, Email, Role string
}

// InviteStaff adds a member. A new person, or one whose existing account
// never proved its address, gets an identity nobody can use yet and an
// e-mail with a link and code to set a password (identity.PrepareInvitee);
// someone with a verified Torque account is told they were added. The
// caller's own address must be verified. A failed e-mail does not undo the
// invitation: the member is on the staff and can recover the account.
func (u *UseCases) InviteStaff(ctx context.Context, in InviteInput) (Member, error) {
	p, err := authz.Require(ctx, authz.InviteStaff)
	if err != nil {
		return Member{}, err
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
		return Member{}, err
	}
	if role == workshop.RoleOwner && p.Role != authz.RoleOwner {
		return Member{}, fmt.Errorf("only an owner may grant the owner role: %w", errs.ErrForbidden)
	}
	// An owner (or manager) whose own address is unproven could be someone
	// who signed up with another person's address: no invitations until the
	// address is verified.
	if err := identity.RequireVerified(ctx, u.d.Identities, p.IdentityID); err != nil {
		return Member{}, err
	}
	inv, err := identity.PrepareInvitee(ctx, u.d.Identities, email.String(), name)
	if err != nil {
		return Member{}, err
	}
	who, created := inv.Identity, inv.Created
	tid := p.Tenant.UUID()
	res, err := u.workshops.Update(ctx, tid, func(w *workshop.Workshop) error {
		return w.AddStaff(who.ID, who.Email, name, role)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		if created {
			_ = u.d.Identities.Delete(usecase.Detached(ctx), who.ID)
		}
		if errors.Is(err, errs.ErrConflict) {
			return Member{}, &errs.ConflictError{Field: "email", Code: "duplicate", Message: "this person is already on the staff"}
		}
		return Member{}, err
	}
	u.Await(ctx, res)
	ws, err := u.d.Workshops.WorkshopByID(ctx, tid)
	if err != nil {
		return Member{}, err
	}
	if err := u.sendInvite(ctx, p, ws, who.ID, who.Email, name, role, inv.ByCode); err != nil {
		u.Logger.ErrorContext(ctx, "invitation e-mail failed", "workshop", ws.Slug, "err", err)
	}
	return Member{IdentityID: who.ID, Email: who.Email, Name: name, Role: role.String(), Invited: true, JoinedAt: u.Now()}, nil
}

func (u *UseCases) sendInvite(ctx context.Context, by authz.Principal, ws workshops.WorkshopView, identityID, email, name string,
	role workshop.Role, newAccount bool) error {
	if u.d.Mailer == nil {
		return nil
	}
	l := i18n.Default
	roleName := i18n.T(l, "role."+role.String())
	inviter := by.Name
	if inviter == "" {
		inviter = by.Email
	}
	if !newAccount {
		return u.d.Mailer.Send(ctx, email, i18n.T(l, "email.added.subject", ws.Name),
			i18n.T(l, "email.added.body", name, inviter, ws.Name, roleName, u.d.PublicURL+"/login"))
	}
	link, code, err := u.d.Identities.RecoveryLink(ctx, identityID, u.d.InviteTTL)
	if err != nil {
		return err
	}
	return u.d.Mailer.Send(ctx, email, i18n.T(l, "email.invite.subject", ws.Name),
		i18n.T(l, "email.invite.body", name, inviter, ws.Name, roleName, code, int(u.d.InviteTTL.Hours()), link))
}
