package portal

import (
	"context"
	"errors"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

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
