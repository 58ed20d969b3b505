package serviceorder

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// Events of the service-order stream, with stable versioned names and
// primitive fields (serialised by encoding/json in infrastructure, no tags).
// Each carries the customer as CustomerID, the subject the privacy layer
// encrypts free text under: the order's description, item descriptions and
// status and quote notes are what the customer said about their car and
// may name them, so they are sealed with the customer's key from schema 2
// on (issue 10, item 9) and read "[removido]" once the customer is erased;
// schema-1 payloads hold them in the clear and still load (SealedFrom).
// Services, quantities, prices, dates and mileage stay in the clear: they
// are the workshop's fiscal and warranty record (docs/privacy.md).

// LineItem is an item as stored in events. Its fields are part of the
// stored schema of Opened and ItemAdded: rename nothing.
type LineItem struct {
	// Line numbers items within the order, from 1; never reused.
	Line           int64
	Service        string
	Description    string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
}

// Opened records a new service order, number Number of the workshop, in
// status "open". MileageKm is meaningful only when HasMileage is true.
// TotalCents is the sum of the items' totals.
type Opened struct {
	CustomerID  uuid.UUID
	VehicleID   uuid.UUID
	Number      int64
	MileageKm   int64
	HasMileage  bool
	Description string
	Items       []LineItem
	TotalCents  int64
	OpenedAt    time.Time
}

// ItemAdded records an item added to the order; TotalCents is the order's
// new total.
type ItemAdded struct {
	CustomerID uuid.UUID
	Item       LineItem
	TotalCents int64
	AddedAt    time.Time
}

// ItemRemoved records the removal of item Line; TotalCents is the order's
// new total.
type ItemRemoved struct {
	CustomerID uuid.UUID
	Line       int64
	TotalCents int64
	RemovedAt  time.Time
}

// StatusChanged records a move from status From to status To, with an
// optional note for the customer.
type StatusChanged struct {
	CustomerID uuid.UUID
	From       string
	To         string
	Note       string
	ChangedAt  time.Time
}

// MechanicAssigned records that the mechanic with identity MechanicID
// (an Ory identity id) is responsible for the work.
type MechanicAssigned struct {
	CustomerID uuid.UUID
	MechanicID string
	AssignedAt time.Time
}

// QuoteSent records a quote (orçamento) sent to the customer: version
// Version of the order's quotes, superseding any earlier one. OrderNumber
// lets a notification name the order without loading it. ValidUntil is
// "YYYY-MM-DD" or "". SentBy is the staff member's identity id.
type QuoteSent struct {
	CustomerID  uuid.UUID
	QuoteID     uuid.UUID
	Version     int64
	OrderNumber int64
	Items       []QuoteLine
	TotalCents  int64
	ValidUntil  string
	Note        string
	SentBy      string
	SentAt      time.Time
}

// QuoteDecided records the customer's decision on every line of quote
// QuoteID at version Version, with its evidence: ActorID (identity id) and
// ActorEmail of who decided, IP and UserAgent of the request. ActorEmail,
// IP and UserAgent are personal data of the customer, sealed under their
// key. It is followed by the item and status events it causes.
type QuoteDecided struct {
	CustomerID         uuid.UUID
	QuoteID            uuid.UUID
	Version            int64
	Decisions          []LineDecision
	ApprovedTotalCents int64
	ActorID            string
	ActorEmail         string
	IP                 string
	UserAgent          string
	DecidedAt          time.Time
}

// EventName implements es.Event.
func (Opened) EventName() string { return "service_order.opened.v1" }

// EventName implements es.Event.
func (ItemAdded) EventName() string { return "service_order.item_added.v1" }

// EventName implements es.Event.
func (ItemRemoved) EventName() string { return "service_order.item_removed.v1" }

// EventName implements es.Event.
func (StatusChanged) EventName() string { return "service_order.status_changed.v1" }

// EventName implements es.Event.
func (MechanicAssigned) EventName() string { return "service_order.mechanic_assigned.v1" }

// EventName implements es.Event.
func (QuoteSent) EventName() string { return "service_order.quote_sent.v1" }

// EventName implements es.Event.
func (QuoteDecided) EventName() string { return "service_order.quote_decided.v1" }

// sameShape is the upcaster of a schema bump that only changed which
// fields are sealed: the clear payload keeps its shape.
func sameShape(p []byte) ([]byte, error) { return p, nil }

// sealedFromV2 marks fields sealed from schema 2 on.
func sealedFromV2(fields ...string) map[string]int {
	m := make(map[string]int, len(fields))
	for _, f := range fields {
		m[f] = 2
	}
	return m
}

// Events lists every event type of the service-order stream with the
// customer's personal data each carries.
var Events = es.Catalogue{
	{Event: Opened{}, Subject: "CustomerID", Personal: []string{"Description", "Items[].Description"},
		SealedFrom: sealedFromV2("Description", "Items[].Description"), Upcasters: []es.Upcaster{sameShape}},
	{Event: ItemAdded{}, Subject: "CustomerID", Personal: []string{"Item.Description"},
		SealedFrom: sealedFromV2("Item.Description"), Upcasters: []es.Upcaster{sameShape}},
	{Event: ItemRemoved{}},
	{Event: StatusChanged{}, Subject: "CustomerID", Personal: []string{"Note"},
		SealedFrom: sealedFromV2("Note"), Upcasters: []es.Upcaster{sameShape}},
	{Event: MechanicAssigned{}},
	{Event: QuoteSent{}, Subject: "CustomerID", Personal: []string{"Items[].Description", "Note"},
		SealedFrom: sealedFromV2("Items[].Description", "Note"), Upcasters: []es.Upcaster{sameShape}},
	{Event: QuoteDecided{}, Subject: "CustomerID", Personal: []string{"ActorEmail", "IP", "UserAgent"}},
}
