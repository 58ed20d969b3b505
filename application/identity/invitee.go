package identity

import (
	"context"
	"errors"
	"fmt"

	"github.com/torquehq/torque/domain/errs"
)

// Invitee is the staff identity an invitation (to a workshop's staff or a
// franchise's managers) attaches.
type Invitee struct {
	Identity
	// Created is set when the invitation created the identity (undo it if
	// the invitation fails).
	Created bool
	// ByCode is set when nobody may use the account until they prove the
	// address: the invitation e-mail must carry a recovery link and code
	// (Directory.RecoveryLink), through which the person sets a password.
	ByCode bool
}

// PrepareInvitee finds or creates the staff identity of email so that an
// invitation may attach it without handing the membership to anyone who has
// not proven control of the address (account pre-takeover, security review
// issue 10 item 2):
//
//   - no identity: one is created without any credential (ByCode);
//   - an identity whose address is verified: attached as is (its holder
//     proved the address);
//   - an identity whose address was never verified (anyone could have
//     created it with someone else's address): its password is replaced,
//     second factors removed and sessions ended (Directory.ResetCredentials)
//     before it is attached (ByCode), so whoever created it loses it and the
//     address's owner takes it through the code mailed to the address.
func PrepareInvitee(ctx context.Context, dir Directory, email, name string) (Invitee, error) {
	who, err := dir.FindByEmail(ctx, SchemaStaff, email)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		who, err = dir.CreateStaff(ctx, email, name, "")
		if err != nil {
			return Invitee{}, err
		}
		return Invitee{Identity: who, Created: true, ByCode: true}, nil
	case err != nil:
		return Invitee{}, err
	case who.Verified:
		return Invitee{Identity: who}, nil
	}
	if err := dir.ResetCredentials(ctx, who.ID); err != nil {
		return Invitee{}, fmt.Errorf("secure unverified invitee: %w", err)
	}
	return Invitee{Identity: who, ByCode: true}, nil
}

// RequireVerified fails with errs.ErrEmailUnverified unless the identity's
// address is verified: an unverified owner may use the workshop but not
// invite anyone (nor add franchise managers).
func RequireVerified(ctx context.Context, dir Directory, identityID string) error {
	who, err := dir.Get(ctx, identityID)
	if err != nil {
		return err
	}
	if !who.Verified {
		return fmt.Errorf("inviting needs a verified e-mail address: %w", errs.ErrEmailUnverified)
	}
	return nil
}
