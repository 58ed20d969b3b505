package messaging

import (
	"context"
	"errors"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// Unsubscribe opts the customer out of marketing on the link's channel
// (public: the token is the authority; repeating it is harmless).
func (u *UseCases) Unsubscribe(ctx context.Context, token string) (UnsubscribeRequest, error) {
	t, err := u.findToken(ctx, token, TokenUnsubscribe)
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	ch, err := messaging.ParseChannel("channel", t.Channel)
	if err != nil {
		return UnsubscribeRequest{}, errors.Join(err, errs.ErrNotFound)
	}
	tctx := tenant.WithTenant(ctx, t.Tenant)
	if err := u.d.OptOuts.OptOut(tctx, t.CustomerID, ch, messaging.DefaultPreferences(), u.base.Now()); err != nil {
		return UnsubscribeRequest{}, err
	}
	w, err := u.d.Workshops.Workshop(tctx)
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	return UnsubscribeRequest{WorkshopName: w.Name, Channel: t.Channel}, nil
}
