// Package messaging holds the use cases of messages to car owners: the
// outbox every module enqueues through (Enqueue, the Enqueuer port), the
// delivery worker that applies the send-time rules and retries with backoff
// (DispatchDue, RunDelivery), preferences, templates, campaigns, the
// feedback and unsubscribe links and the providers' status reports.
//
// Delivery guarantee: a message is stored once per DedupeKey (idempotent
// enqueue) and leased to one worker at a time (FOR UPDATE SKIP LOCKED plus a
// lease); its outcome is recorded only while the lease is held. A worker
// that dies before the provider accepted a message leaves it to be sent by
// the next worker after the lease expires: no loss, no duplicate. A worker
// that dies in the instant between the provider's acceptance and the
// recording leaves a message that is sent again, carrying the same
// idempotency key (e-mail Message-ID, WhatsApp biz_opaque_callback_data);
// that window is bounded by one provider round trip and is the only way a
// customer can get a message twice.
package messaging

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// ErrPermanent marks a send error that retrying cannot fix (a rejected
// address): the message fails at once.
var ErrPermanent = errors.New("permanent delivery failure")

// Enqueuer is the port other modules (reminders, quotes, booking, support)
// send through: store a message in the outbox of the tenant of ctx.
type Enqueuer interface {
	// Enqueue stores the message unless one with the same DedupeKey exists,
	// and returns its id. Callers authorize; the message is checked against
	// consent, preferences, quiet hours, holidays and the cap at send time.
	Enqueue(ctx context.Context, r EnqueueRequest) (uuid.UUID, error)
}

var _ Enqueuer = (*UseCases)(nil)

// Deps are the ports of the messaging module.
type Deps struct {
	Outbox     Outbox
	Recipients Recipients
	Prefs      PreferenceStore
	Templates  TemplateStore
	Workshops  Workshops
	Orders     Orders
	Tokens     Tokens
	OptOuts    OptOuts
	// Store appends feedback events.
	Store eventsourcing.EventStore
	// Senders deliver per channel; a channel without one fails its messages.
	Senders map[messaging.Channel]Sender
	// Windows is optional: without it WhatsApp always uses templates.
	Windows SessionWindows
	// Campaigns is optional: without it campaigns are not available.
	Campaigns CampaignStore
	// Alerts is optional: detractor answers are only stored without it.
	Alerts DetractorAlerts
	// TokenKey keys the public links' tokens (at least 32 bytes).
	TokenKey []byte
	// PublicURL is the base of the links in messages.
	PublicURL string
	// Retry tunes backoff (defaults: 30 s doubling up to 1 h, 8 attempts).
	Retry Retry
	// WeeklyMarketingCap is the most marketing messages per customer per 7
	// days (default 2; negative: no cap).
	WeeklyMarketingCap int
}

// Retry is the backoff policy of failed attempts.
type Retry struct {
	Base        time.Duration
	Max         time.Duration
	MaxAttempts int
}

// Delay is the wait after the n-th failed attempt (n ≥ 1).
func (r Retry) Delay(n int) time.Duration {
	d := r.Base
	for i := 1; i < n && d < r.Max; i++ {
		d *= 2
	}
	if d > r.Max {
		d = r.Max
	}
	return d
}

// UseCases runs the messaging use cases.
type UseCases struct {
	base usecase.Base
	d    Deps
}

// New checks the required ports.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("messaging", map[string]bool{
		"Outbox": d.Outbox != nil, "Recipients": d.Recipients != nil, "Prefs": d.Prefs != nil,
		"Templates": d.Templates != nil, "Workshops": d.Workshops != nil, "Orders": d.Orders != nil,
		"Tokens": d.Tokens != nil, "OptOuts": d.OptOuts != nil, "Store": d.Store != nil,
		"TokenKey": len(d.TokenKey) >= 32,
	}); err != nil {
		return nil, err
	}
	if d.Retry.Base <= 0 {
		d.Retry.Base = 30 * time.Second
	}
	if d.Retry.Max <= 0 {
		d.Retry.Max = time.Hour
	}
	if d.Retry.MaxAttempts <= 0 {
		d.Retry.MaxAttempts = 8
	}
	if d.WeeklyMarketingCap == 0 {
		d.WeeklyMarketingCap = 2
	}
	return &UseCases{base: base.WithDefaults(), d: d}, nil
}

// EnqueueRequest asks for one message.
type EnqueueRequest struct {
	CustomerID uuid.UUID
	Kind       messaging.Kind
	// Channel is optional: zero picks the customer's first working channel.
	Channel messaging.Channel
	// DedupeKey identifies the cause, e.g. "<event id>:thank_you"; required.
	DedupeKey string
	// Vars are extra non-personal template values (service, due_date...).
	Vars       map[string]string
	OrderID    uuid.UUID
	CampaignID uuid.UUID
	// DueAt is when to send (zero: now).
	DueAt time.Time
}

// Enqueue implements Enqueuer.
func (u *UseCases) Enqueue(ctx context.Context, r EnqueueRequest) (uuid.UUID, error) {
	if _, err := tenant.FromContext(ctx); err != nil {
		return uuid.Nil, err
	}
	if r.CustomerID == uuid.Nil || r.Kind.IsZero() || r.DedupeKey == "" {
		return uuid.Nil, errs.Invalid("message", messaging.CodeRequired, "customer, kind and dedupe key are required")
	}
	now := u.base.Now()
	due := r.DueAt
	if due.IsZero() || due.Before(now) {
		due = now
	}
	ids, err := u.d.Outbox.Enqueue(ctx, []NewMessage{{ID: u.base.NewID(), CustomerID: r.CustomerID, Kind: r.Kind,
		Channel: r.Channel, DedupeKey: r.DedupeKey, Vars: r.Vars, OrderID: r.OrderID, CampaignID: r.CampaignID,
		DueAt: due, CreatedAt: now}})
	if err != nil {
		return uuid.Nil, err
	}
	return ids[0], nil
}

// Token purposes.
const (
	TokenFeedback    = "feedback"
	TokenUnsubscribe = "unsubscribe"
)

// token derives the public token of a link: the same inputs always give the
// same token (a retried message carries the same link), and nobody without
// the key can forge one.
func (u *UseCases) token(parts ...string) string {
	m := hmac.New(sha256.New, u.d.TokenKey)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// HashToken is how tokens are stored and looked up.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func errorsAs(err error, target any) bool { return err != nil && errors.As(err, target) }
