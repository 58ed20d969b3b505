package signup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

// Input is POST /api/v1/signup.
type Input struct {
	WorkshopName string
	Slug         string
	Plan         string
	OwnerName    string
	OwnerEmail   string
	OwnerPass    string
}

// Result is what signup returns.
type Result struct {
	Workshop    workshops.WorkshopView
	CheckoutURL string
}

// MinPasswordLength is the shortest password accepted at signup.
const MinPasswordLength = 8

// SignUpWorkshop creates the owner identity, the workshop in trial and a
// subscription checkout. The workshop is usable at once; the checkout URL may
// be empty if the billing provider is unavailable (the owner can start
// checkout later). When the identity or the workshop cannot be created, the
// slug and the identity are given back, so the same signup can be retried.
func (u *UseCases) SignUpWorkshop(ctx context.Context, in Input) (Result, error) {
	id := u.NewID()
	// Validate everything before any side effect.
	var c errs.Collector
	email := validateOwner(in, &c)
	draft, err := workshop.Create(id, workshop.CreateInput{Slug: in.Slug, Name: in.WorkshopName, Plan: in.Plan,
		OwnerIdentityID: "pending"}, u.Now())
	if err != nil {
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			return Result{}, err
		}
		for _, f := range ve.Fields {
			c.Add(f.Field, f.Code, f.Message)
		}
	}
	if err := c.Err(); err != nil {
		return Result{}, err
	}
	if err := u.d.Slugs.Reserve(ctx, in.Slug, id); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			return Result{}, &errs.ConflictError{Field: "slug", Code: "taken", Message: "this slug is taken"}
		}
		return Result{}, err
	}
	owner, err := u.d.Identities.CreateStaff(ctx, email, strings.TrimSpace(in.OwnerName), in.OwnerPass)
	if errors.Is(err, errs.ErrConflict) {
		return u.existingAddress(ctx, in, email, draft)
	}
	if err != nil {
		_ = u.d.Slugs.Release(usecase.Detached(ctx), in.Slug, id)
		var ve *errs.ValidationError
		if errors.As(err, &ve) {
			return Result{}, ownerPassword(ve)
		}
		return Result{}, fmt.Errorf("create owner identity: %w", err)
	}
	w, err := workshop.Create(id, workshop.CreateInput{Slug: in.Slug, Name: in.WorkshopName, Plan: in.Plan,
		OwnerIdentityID: owner.ID, OwnerEmail: owner.Email, OwnerName: owner.Name}, u.Now())
	if err != nil {
		return Result{}, err
	}
	t, err := tenant.FromUUID(id)
	if err != nil {
		return Result{}, err
	}
	wctx := tenant.WithTenant(ctx, t)
	res, err := u.workshops.Create(wctx, id, w)
	if err != nil {
		_ = u.d.Identities.Delete(usecase.Detached(ctx), owner.ID)
		_ = u.d.Slugs.Release(usecase.Detached(ctx), in.Slug, id)
		return Result{}, err
	}
	out := Result{}
	if url, err := u.d.Checkouts.StartSignupCheckout(wctx, billing.SignupCheckoutInput{WorkshopID: id,
		WorkshopName: in.WorkshopName, Owner: owner, Plan: in.Plan}); err != nil {
		u.Logger.ErrorContext(ctx, "checkout could not start; the workshop stays in trial", "workshop_id", id, "err", err)
	} else {
		out.CheckoutURL = url
	}
	u.Await(wctx, res)
	out.Workshop, err = u.d.Workshops.WorkshopByID(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		// The read model is late (a busy worker): answer from the aggregate,
		// which is the truth; the workshop exists.
		out.Workshop, err = workshops.ViewOf(w, res.ToVersion), nil
	}
	return out, err
}

// existingAddress answers a signup whose e-mail already has an account the
// way it answers a new one, so that signup never tells whether an address is
// known (security review, issue 10 item 5): the password goes through the
// same policy (on a stand-in address, see policyCheck), the slug stays
// reserved, and the answer is the workshop it would have been. Nothing else
// is created: the address's real holder is told by e-mail that someone tried.
// The answer differs from a new signup's only in that no checkout is started
// (checkout_url is null, as when the billing provider is down) and, of
// course, in that the caller's password opens nothing.
func (u *UseCases) existingAddress(ctx context.Context, in Input, email string, draft *workshop.Workshop) (Result, error) {
	if err := u.policyCheck(ctx, email, in.OwnerName, in.OwnerPass); err != nil {
		_ = u.d.Slugs.Release(usecase.Detached(ctx), in.Slug, draft.ID())
		return Result{}, err
	}
	if u.d.Mailer != nil {
		l := i18n.Default
		base := strings.TrimRight(u.d.PublicURL, "/")
		if err := u.d.Mailer.Send(ctx, email, i18n.T(l, "email.signup_existing.subject"),
			i18n.T(l, "email.signup_existing.body", strings.TrimSpace(in.WorkshopName), base+"/login", base+"/recovery")); err != nil {
			u.Logger.ErrorContext(ctx, "signup with a known address: notice e-mail failed", "err", err)
		}
	}
	return Result{Workshop: workshops.ViewOf(draft, 1)}, nil
}

// policyCheck runs the identity provider's password policy for a signup whose
// address is taken, on a short-lived stand-in identity: the address with a
// random tag in its local part (the policy compares the password with the
// address, so the stand-in keeps it almost the same).
func (u *UseCases) policyCheck(ctx context.Context, email, name, password string) error {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return nil
	}
	standIn := email[:at] + "+" + uuid.NewString()[:6] + email[at:]
	who, err := u.d.Identities.CreateStaff(ctx, standIn, strings.TrimSpace(name), password)
	if err != nil {
		var ve *errs.ValidationError
		if errors.As(err, &ve) {
			return ownerPassword(ve)
		}
		// Not the caller's fault, and nothing to tell them: answer as a signup.
		u.Logger.ErrorContext(ctx, "signup with a known address: policy check failed", "err", err)
		return nil
	}
	if err := u.d.Identities.Delete(usecase.Detached(ctx), who.ID); err != nil {
		u.Logger.ErrorContext(ctx, "signup with a known address: stand-in identity not deleted", "identity_id", who.ID, "err", err)
	}
	return nil
}

// ownerPassword names the signup's fields in the provider's validation error
// (its "password" is the owner's).
func ownerPassword(ve *errs.ValidationError) error {
	out := &errs.ValidationError{}
	for _, f := range ve.Fields {
		if f.Field == "password" {
			f.Field = "owner.password"
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

func validateOwner(in Input, c *errs.Collector) (email string) {
	name := strings.TrimSpace(in.OwnerName)
	if name == "" {
		c.Add("owner.name", "required", "owner name is required")
	} else if utf8.RuneCountInString(name) > 120 {
		c.Add("owner.name", "too_long", "owner name is too long")
	}
	e, err := br.ParseEmail(in.OwnerEmail)
	if err != nil {
		code := "invalid_format"
		var ve *br.ValidationError
		if errors.As(err, &ve) {
			code = ve.Code
		}
		c.Add("owner.email", code, "owner e-mail is invalid")
	}
	if utf8.RuneCountInString(in.OwnerPass) < MinPasswordLength {
		c.Add("owner.password", "weak_password", "password must have at least 8 characters")
	} else if len(in.OwnerPass) > 256 {
		c.Add("owner.password", "too_long", "password is too long")
	}
	return e.String()
}
