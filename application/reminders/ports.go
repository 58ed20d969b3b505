package reminders

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/maintenance"
)

// Reminder frequencies a customer may choose (API.md "Communication").
const (
	FrequencyEachDue   = "each_due"
	FrequencyMonthly   = "monthly"
	FrequencyQuarterly = "quarterly"
	FrequencyNever     = "never"
)

// History is what the prediction needs about one vehicle.
type History struct {
	VehicleID  uuid.UUID
	CustomerID uuid.UUID // uuid.Nil when unknown
	Readings   []maintenance.Reading
	Done       []maintenance.ServiceDone
}

// Item is one upcoming reminder: a service's next due point with the
// status of its due cycle's reminder.
type Item struct {
	VehicleID  uuid.UUID
	CustomerID uuid.UUID
	Service    string
	Cycle      string
	DueAt      time.Time
	DueKm      int64
	HasDueKm   bool
	KmPerDay   float64
	Status     maintenance.Status
	// Vehicle describes the vehicle for people ("Fiat Argo 2021").
	Vehicle string
}

// ListQuery filters the upcoming reminders; zero values do not filter.
type ListQuery struct {
	DueBefore time.Time // exclusive
	VehicleID uuid.UUID
	// After is the key the page starts after (zero: the first page).
	After Key
	Limit int
}

// Key orders the list: due date, then vehicle, then service.
type Key struct {
	DueAt     time.Time
	VehicleID uuid.UUID
	Service   string
}

// Candidate is a due point that fell within the lead time and whose cycle
// has no reminder yet.
type Candidate struct {
	Item
	Frequency string
}

// Pending is a reminder found due but not sent yet.
type Pending struct {
	ReminderID uuid.UUID
	Item
	Frequency string
}

// Conversion is a sent reminder followed by an order for its vehicle.
type Conversion struct {
	ReminderID uuid.UUID
	OrderID    uuid.UUID
	OpenedAt   time.Time
}

// DueStore reads and writes the maintenance read model of the tenant in ctx.
type DueStore interface {
	// RecomputeDirty takes up to limit vehicles whose history changed since
	// their due points were last computed, calls predict with each history
	// and stores its result as the vehicle's due points (replacing the old
	// ones); a vehicle changed meanwhile stays marked. It returns how many
	// vehicles it recomputed.
	RecomputeDirty(ctx context.Context, limit int, predict func(History) []maintenance.Due) (int, error)
	// List returns up to q.Limit items after q.After in Key order.
	List(ctx context.Context, q ListQuery) ([]Item, error)
	// DueOf returns the current due point of a vehicle's service;
	// errs.ErrNotFound when there is none.
	DueOf(ctx context.Context, vehicleID uuid.UUID, service string) (Item, error)
	// VehicleExists reports whether the vehicle is one of this workshop's.
	VehicleExists(ctx context.Context, vehicleID uuid.UUID) (bool, error)
	// Candidates returns up to limit due points with from <= DueAt < before
	// of vehicles with a known owner, whose cycle has no reminder yet and
	// whose owner's frequency (each_due when none is stored) is not never.
	Candidates(ctx context.Context, from, before time.Time, limit int) ([]Candidate, error)
	// Pending returns up to limit reminders found due and not sent nor
	// dismissed, with the owner's current frequency.
	Pending(ctx context.Context, limit int) ([]Pending, error)
	// LastSentTo returns when a reminder was last sent to the customer.
	LastSentTo(ctx context.Context, customerID uuid.UUID) (time.Time, bool, error)
	// Conversions returns up to limit sent reminders for whose vehicle an
	// order (not cancelled) was opened within window after the reminder.
	Conversions(ctx context.Context, window time.Duration, limit int) ([]Conversion, error)
}

// CatalogReader reads the service catalogue of the workshop in ctx.
type CatalogReader interface {
	Catalog(ctx context.Context) (catalog.Catalog, error)
}

// TenantRunner lists the workshops and runs a job for one of them at a time.
type TenantRunner interface {
	// Workshops lists the ids of the workshops that may act: a canceled or
	// suspended subscription sends no reminders (its staff still sees the
	// list).
	Workshops(ctx context.Context) ([]uuid.UUID, error)
	// Exclusively runs fn unless another process runs the job named name for
	// the same workshop (ctx's tenant) right now; ran is false then.
	Exclusively(ctx context.Context, name string, fn func(context.Context) error) (ran bool, err error)
}

// Notice is one message to a car owner: the services due for their
// vehicles (several in a monthly or quarterly digest).
type Notice struct {
	WorkshopID uuid.UUID
	CustomerID uuid.UUID
	Items      []NoticeItem
}

// NoticeItem is one due service in a notice.
type NoticeItem struct {
	VehicleID uuid.UUID
	Vehicle   string
	Service   string
	// ServiceLabel is the pt-BR label of the workshop's catalogue.
	ServiceLabel string
	DueAt        time.Time
	DueKm        int64
	HasDueKm     bool
}

// ErrNoContact is returned by a notifier that has no way to reach the
// customer (no e-mail, erased): the reminder is not retried.
var ErrNoContact = errors.New("reminders: no contact for the customer")

// ReminderNotifier sends reminder notices to car owners.
type ReminderNotifier interface {
	// Notify delivers n (or queues it durably) and returns the channel
	// used ("email", ...). ErrNoContact means it cannot be delivered ever;
	// any other error is retried by a later run.
	Notify(ctx context.Context, n Notice) (channel string, err error)
}

// Contact is how the e-mail notifier reaches a customer.
type Contact struct {
	Name, Email string
	// WorkshopName signs the message.
	WorkshopName string
}

// ContactBook finds a customer's e-mail contact (for the default e-mail
// notifier; the messaging module resolves contacts itself).
type ContactBook interface {
	// Contact returns the customer's name and e-mail in the workshop of
	// ctx; Email is "" when there is none (or the customer was erased).
	Contact(ctx context.Context, customerID uuid.UUID) (Contact, error)
}
