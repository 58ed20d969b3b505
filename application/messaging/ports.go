package messaging

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// NewMessage is a message to store in the outbox.
type NewMessage struct {
	ID         uuid.UUID
	CustomerID uuid.UUID
	Kind       messaging.Kind
	// Channel is the zero Channel to let the worker pick the first of the
	// customer's chosen channels that works at send time.
	Channel messaging.Channel
	// DedupeKey makes the enqueue idempotent within the workshop: a second
	// message with the same key is not stored.
	DedupeKey  string
	Vars       map[string]string
	OrderID    uuid.UUID
	CampaignID uuid.UUID
	DueAt      time.Time
	CreatedAt  time.Time
	// SkipReason stores the message as skipped at once, with this reason
	// (a campaign's customer without consent), instead of queueing it.
	SkipReason string
}

// Message is a stored message (API.md "messages").
type Message struct {
	ID          uuid.UUID
	CustomerID  uuid.UUID
	Kind        string
	Purpose     string
	Channel     string
	Status      string
	Reason      string
	Attempts    int
	Vars        map[string]string
	OrderID     uuid.UUID
	CampaignID  uuid.UUID
	ToMasked    string
	ProviderID  string
	LastError   string
	CreatedAt   time.Time
	DueAt       time.Time
	SentAt      *time.Time
	DeliveredAt *time.Time
	ReadAt      *time.Time
}

// Filter selects messages of the workshop; zero fields select all.
type Filter struct {
	CustomerID uuid.UUID
	Kind       string
	Status     string
}

// Claim is a due message a worker leased.
type Claim struct {
	Tenant    tenant.ID
	MessageID uuid.UUID
}

// Outcome is the result of one delivery attempt, recorded by Outbox.Record.
type Outcome struct {
	// Status: sent, skipped, failed, or queued (retry or wait until Until).
	Status   messaging.Status
	Reason   string
	Channel  messaging.Channel
	ToMasked string
	// Provider and ProviderID name the provider's message (sent only).
	Provider, ProviderID string
	LastError            string
	// Attempted counts this run as one attempt.
	Attempted bool
	Until     time.Time
	At        time.Time
	// AlreadyDone: a provider already reported the message (a worker died
	// after sending it); only remove it from the queue.
	AlreadyDone bool
}

// Outbox stores messages and the delivery queue.
type Outbox interface {
	// Enqueue stores messages (tenant of ctx) and queues them for delivery in
	// one transaction; a message whose DedupeKey is already stored is left
	// out. It returns the ids of the stored or already existing messages,
	// in order.
	Enqueue(ctx context.Context, msgs []NewMessage) ([]uuid.UUID, error)
	// Claim leases up to limit due messages of any tenant to worker until
	// now+lease, skipping rows other workers hold (FOR UPDATE SKIP LOCKED)
	// and rows whose lease has not expired.
	Claim(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]Claim, error)
	// Message returns one message of the tenant of ctx (errs.ErrNotFound).
	Message(ctx context.Context, id uuid.UUID) (Message, error)
	// Record stores an attempt's outcome if worker still holds the lease:
	// sent/skipped/failed remove the message from the queue, queued moves
	// its due time to o.Until and releases the lease. It reports false when
	// the lease was lost (another worker took the message).
	Record(ctx context.Context, worker string, id uuid.UUID, o Outcome) (bool, error)
	// ProviderStatus applies a provider's status report to the message it
	// names (any tenant), only when it moves the message forward
	// (messaging.Advances). It reports whether a message was changed.
	// The message is named by (t, messageID) when the provider echoed them,
	// else looked up by (provider, providerID).
	ProviderStatus(ctx context.Context, provider, providerID string, t tenant.ID, messageID uuid.UUID, st messaging.Status, at time.Time, detail string) (bool, error)
	// List pages the messages of the tenant of ctx, newest first.
	List(ctx context.Context, f Filter, page pagination.Request) (pagination.Page[Message], error)
	// MarketingSentSince counts marketing messages sent (or further) to the
	// customer since t.
	MarketingSentSince(ctx context.Context, customerID uuid.UUID, t time.Time) (int, error)
	// MessagesTo returns every message to the customer, oldest first.
	MessagesTo(ctx context.Context, customerID uuid.UUID) ([]Message, error)
}

// Recipient is what the worker reads about the customer at send time.
type Recipient struct {
	Name     string
	Email    string
	Mobile   string
	City     string
	Erased   bool
	Consents map[messaging.Purpose]map[string]bool
}

// Recipients reads customers of the tenant of ctx at send time.
type Recipients interface {
	// Recipient returns the customer's contact and current consents
	// (errs.ErrNotFound when there is no such customer).
	Recipient(ctx context.Context, customerID uuid.UUID) (Recipient, error)
}

// PreferenceStore keeps customers' message preferences.
type PreferenceStore interface {
	// Preferences returns the customer's preferences, or found false.
	Preferences(ctx context.Context, customerID uuid.UUID) (messaging.Preferences, bool, error)
	// SavePreferences stores them.
	SavePreferences(ctx context.Context, customerID uuid.UUID, p messaging.Preferences, at time.Time) error
}

// TemplateStore keeps the workshops' own templates.
type TemplateStore interface {
	// Templates lists the workshop's own templates.
	Templates(ctx context.Context) ([]messaging.Template, error)
	// SaveTemplate stores (replaces) one.
	SaveTemplate(ctx context.Context, t messaging.Template, at time.Time) error
}

// WorkshopInfo is what messages say about the workshop.
type WorkshopInfo struct {
	Slug, Name, Phone, TimeZone string
	// OwnerEmails are the e-mails of the workshop's owners (detractor alerts).
	OwnerEmails []string
}

// Workshops reads the workshop of ctx's tenant.
type Workshops interface {
	Workshop(ctx context.Context) (WorkshopInfo, error)
}

// OrderInfo is what messages say about a service order.
type OrderInfo struct {
	Number  int64
	Vehicle string
	Status  string
}

// Orders reads service orders of the tenant of ctx.
type Orders interface {
	// Order returns the order (errs.ErrNotFound).
	Order(ctx context.Context, id uuid.UUID) (OrderInfo, error)
}

// Outgoing is one message handed to a channel.
type Outgoing struct {
	// MessageID is the idempotency key: the same message always carries it
	// (e-mail Message-ID, WhatsApp biz_opaque_callback_data, SMS callback).
	MessageID uuid.UUID
	// CallbackData is echoed back by providers that support it (WhatsApp's
	// biz_opaque_callback_data): "<tenant id>:<message id>".
	CallbackData string
	To           string
	Subject      string
	Text         string
	HTML         string
	// SessionOpen: the customer wrote to the WhatsApp number in the last
	// 24 hours, so a free-form session message is allowed.
	SessionOpen bool
	// Template is the WhatsApp template to use outside the session window.
	Template string
}

// Receipt names the provider's message.
type Receipt struct{ Provider, ProviderID string }

// Sender delivers on one channel.
type Sender interface {
	// Send delivers m. An error wrapping ErrPermanent is not retried.
	Send(ctx context.Context, m Outgoing) (Receipt, error)
}

// SessionWindows tracks WhatsApp's 24-hour customer-service window.
type SessionWindows interface {
	// Inbound records that number (E.164) wrote to us at.
	Inbound(ctx context.Context, number string, at time.Time) error
	// Open reports whether number wrote to us in the 24 hours before now.
	Open(ctx context.Context, number string, now time.Time) (bool, error)
}

// Token is a public link's record (only the hash of the token is stored).
type Token struct {
	Hash       string
	Purpose    string
	Tenant     tenant.ID
	CustomerID uuid.UUID
	MessageID  uuid.UUID
	OrderID    uuid.UUID
	Channel    string
	UsedAt     *time.Time
}

// Tokens keeps the public links (no tenant in the context: the token is
// the key).
type Tokens interface {
	// Save stores t unless its hash is stored already.
	Save(ctx context.Context, t Token) error
	// Find returns the token (errs.ErrNotFound).
	Find(ctx context.Context, hash string) (Token, error)
	// Use marks it used; false when it already was.
	Use(ctx context.Context, hash string, at time.Time) (bool, error)
}

// OptOuts records unsubscriptions.
type OptOuts interface {
	// OptOut adds ch to the customer's opted-out channels (tenant of ctx),
	// creating default preferences when there are none.
	OptOut(ctx context.Context, customerID uuid.UUID, ch messaging.Channel, defaults messaging.Preferences, at time.Time) error
}

// DetractorAlerts tells the workshop about a low score (≤ 6).
type DetractorAlerts interface {
	// Detractor is called once per detractor answer, after it is stored.
	Detractor(ctx context.Context, w WorkshopInfo, f messaging.FeedbackReceived) error
}

// Mailer sends a plain e-mail (the default detractor alert).
type Mailer interface {
	Send(ctx context.Context, to, subject, text string) error
}
