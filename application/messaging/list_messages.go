package messaging

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/messaging"
)

// ListMessages pages the workshop's messages, newest first, filtered by
// customer, kind and status. Messages hold no personal data (the address is
// masked), so the read is not audited. Permission: message.read.
func (u *UseCases) ListMessages(ctx context.Context, f Filter, page pagination.Request) (pagination.Page[Message], error) {
	if _, err := authz.Require(ctx, authz.ReadMessages); err != nil {
		return pagination.Page[Message]{}, err
	}
	if f.Kind != "" {
		if _, err := messaging.ParseKind("kind", f.Kind); err != nil {
			return pagination.Page[Message]{}, err
		}
	}
	if f.Status != "" {
		if _, err := messaging.ParseStatus("status", f.Status); err != nil {
			return pagination.Page[Message]{}, err
		}
	}
	if _, err := page.Size(); err != nil {
		return pagination.Page[Message]{}, err
	}
	return u.d.Outbox.List(ctx, f, page)
}

// MessagesTo lists every message to the customer, oldest first, for the
// data export (datasubject.MessageLog); the caller authorizes.
func (u *UseCases) MessagesTo(ctx context.Context, f Filter) ([]Message, error) {
	return u.d.Outbox.MessagesTo(ctx, f.CustomerID)
}
