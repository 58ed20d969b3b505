package messaging

import (
	"context"

	"github.com/torquehq/torque/domain/tenant"
)

// UnsubscribePage resolves an unsubscribe link (public).
func (u *UseCases) UnsubscribePage(ctx context.Context, token string) (UnsubscribeRequest, error) {
	t, err := u.findToken(ctx, token, TokenUnsubscribe)
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	w, err := u.d.Workshops.Workshop(tenant.WithTenant(ctx, t.Tenant))
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	return UnsubscribeRequest{WorkshopName: w.Name, Channel: t.Channel}, nil
}
