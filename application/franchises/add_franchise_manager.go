package franchises

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
)

// AddFranchiseManager grants the franchise-manager role of a franchise the
// caller manages to a person. Someone without a Torque account, or whose
// account never proved its address, gets an account nobody can use yet and
// an invitation e-mail with a code to set a password
// (identity.PrepareInvitee); the caller's own address must be verified; a failed e-mail is
// logged, not reported, since the manager was added.
func (u *UseCases) AddFranchiseManager(ctx context.Context, by memberships.Caller, id uuid.UUID, email, name string) (FranchiseView, error) {
	fctx, err := u.managedFranchise(ctx, by, id)
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
	if err := identity.RequireVerified(ctx, u.d.Identities, by.IdentityID); err != nil {
		return FranchiseView{}, err
	}
	inv, err := identity.PrepareInvitee(ctx, u.d.Identities, e.String(), name)
	if err != nil {
		return FranchiseView{}, err
	}
	who, created := inv.Identity, inv.ByCode
	res, err := u.franchises.Update(fctx, id, func(f *franchise.Franchise) error { return f.AddManager(who.ID, who.Email, name) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return FranchiseView{}, err
	}
	u.Await(fctx, res)
	view, err := u.d.Directory.Franchise(ctx, id)
	if err != nil {
		return view, err
	}
	if created && u.d.Mailer != nil {
		link, code, err := u.d.Identities.RecoveryLink(ctx, who.ID, u.d.InviteTTL)
		if err == nil {
			err = u.d.Mailer.Send(ctx, who.Email, i18n.T(i18n.Default, "email.franchise_invite.subject", view.Name),
				i18n.T(i18n.Default, "email.franchise_invite.body", name, view.Name, code, int(u.d.InviteTTL.Hours()), link))
		}
		if err != nil {
			u.Logger.ErrorContext(ctx, "franchise invitation e-mail failed", "err", err)
		}
	}
	return view, nil
}
