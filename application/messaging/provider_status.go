package messaging

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// StatusReport is one provider status of a message we sent.
type StatusReport struct {
	Provider   string
	ProviderID string
	// MessageID is ours when the provider echoes it back (WhatsApp's
	// biz_opaque_callback_data); uuid.Nil otherwise.
	Tenant    tenant.ID
	MessageID uuid.UUID
	Status    messaging.Status
	At        time.Time
	Detail    string
}

// InboundMessage is a message a customer sent to the WhatsApp number.
type InboundMessage struct {
	From string // E.164 digits
	At   time.Time
}

// ApplyProviderReports applies verified provider webhooks (public: the
// signature is the authority): statuses move messages forward only, so
// reports arriving out of order or twice change nothing; inbound messages
// open the 24-hour WhatsApp window. It returns how many messages changed.
func (u *UseCases) ApplyProviderReports(ctx context.Context, statuses []StatusReport, inbound []InboundMessage) (int, error) {
	n := 0
	var all []error
	for _, s := range statuses {
		changed, err := u.d.Outbox.ProviderStatus(ctx, s.Provider, s.ProviderID, s.Tenant, s.MessageID, s.Status, s.At, truncate(s.Detail, 500))
		if err != nil {
			all = append(all, err)
		}
		if changed {
			n++
		}
	}
	if u.d.Windows != nil {
		for _, m := range inbound {
			if err := u.d.Windows.Inbound(ctx, m.From, m.At); err != nil {
				all = append(all, err)
			}
		}
	}
	return n, errors.Join(all...)
}

// ParseCallbackData reads back Outgoing.CallbackData; ok false when it is
// not ours.
func ParseCallbackData(s string) (tenant.ID, uuid.UUID, bool) {
	ts, ms, found := strings.Cut(s, ":")
	if !found {
		return tenant.ID{}, uuid.Nil, false
	}
	tu, err1 := uuid.Parse(ts)
	mid, err2 := uuid.Parse(ms)
	if err1 != nil || err2 != nil {
		return tenant.ID{}, uuid.Nil, false
	}
	t, err := tenant.FromUUID(tu)
	if err != nil {
		return tenant.ID{}, uuid.Nil, false
	}
	return t, mid, true
}
