package support

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

// JoinChat authorises the caller of ctx for the chat: staff need
// support.read, car owners portal.read.
func (u *UseCases) JoinChat(ctx context.Context) (Chatter, error) {
	if u.chat.Store == nil {
		return Chatter{}, ErrChatUnavailable
	}
	p, ok := authz.PrincipalFrom(ctx)
	if !ok {
		return Chatter{}, errs.ErrUnauthenticated
	}
	action := authz.ReadSupport
	if p.Role == authz.RoleCustomer {
		action = authz.PortalRead
	}
	if _, err := authz.Require(ctx, action); err != nil {
		return Chatter{}, err
	}
	return Chatter{p: p, tenant: p.Tenant.UUID(), customer: p.Role == authz.RoleCustomer}, nil
}
