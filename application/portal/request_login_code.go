package portal

import (
	"context"
)

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
