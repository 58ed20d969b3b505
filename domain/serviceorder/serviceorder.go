// Package serviceorder holds the ServiceOrder aggregate (ordem de serviço):
// the work a workshop does on one vehicle for one customer, its items and
// prices, and its status from opening to delivery.
//
// Commands take plain input, validate all of it before recording and report
// every bad field at once in an *errs.ValidationError named with the API
// field names; refused status changes are *TransitionError, which wraps
// errs.ErrIllegalTransition.
package serviceorder

import (
	"errors"
	"fmt"
	"github.com/torquehq/torque/domain/validate"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// StreamType names service-order streams in the event store.
const StreamType = "service_order"

// ServiceLookup finds a service in the workshop's catalogue;
// catalog.Catalog implements it.
type ServiceLookup interface {
	Lookup(code catalog.ServiceCode) (catalog.Service, bool)
}

// OpenInput is a new service order as received from the API, JSON-decoded
// but not validated.
type OpenInput struct {
	CustomerID  string
	VehicleID   string
	MileageKm   *int64 // optional odometer reading at check-in
	Description string
	Items       []ItemInput
}

// ItemInput is one item of a service order.
type ItemInput struct {
	Service        string // a code of the workshop's catalogue, e.g. "oil_change"
	Description    string
	Quantity       int64
	UnitPriceCents int64
}

// Item is an item of the order as the getters return it.
type Item struct {
	Line           int64
	Service        string
	Description    string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
}

// StatusChange is one entry of the status history. The first entry is the
// opening, with a zero From.
type StatusChange struct {
	From Status
	To   Status
	Note string
	At   time.Time
}

// ServiceOrder is the aggregate. Use Open for a new order or Blank to load
// one.
type ServiceOrder struct {
	rec         es.Recorder
	id          uuid.UUID
	opened      bool
	number      int64
	customerID  uuid.UUID
	vehicleID   uuid.UUID
	mileageKm   int64
	hasMileage  bool
	description string
	items       []Item
	lastLine    int64
	totalCents  int64
	status      Status
	openedAt    time.Time
	mechanicID  string
	history     []StatusChange
	quotes      []quoteState
}

// Blank returns an empty service order ready to have its events applied.
func Blank(id uuid.UUID) *ServiceOrder {
	o := &ServiceOrder{id: id}
	o.rec = es.NewRecorder(o.Apply)
	return o
}

// Open validates in and records a new order in status open. number is the
// workshop's sequential number, allocated by the caller. Items must use
// codes of services; the total is the sum of quantity × unit price, refused
// if it would overflow.
func Open(id uuid.UUID, number int64, in OpenInput, services ServiceLookup, now time.Time) (*ServiceOrder, error) {
	if id == uuid.Nil {
		return nil, errors.New("open service order: nil id")
	}
	var col errs.Collector
	if number < 1 {
		col.Add(FieldNumber, br.CodeOutOfRange, "number must be positive")
	}
	customerID := parseID(&col, FieldCustomerID, in.CustomerID)
	vehicleID := parseID(&col, FieldVehicleID, in.VehicleID)
	var odo br.Odometer
	if in.MileageKm != nil {
		var err error
		if odo, err = br.NewOdometerKm(*in.MileageKm); err != nil {
			validate.AddBR(&col, FieldMileageKm, err)
		}
	}
	description := validate.FreeText(&col, FieldDescription, in.Description, maxDescriptionRunes, true)
	items, total := parseItems(&col, in.Items, services)
	if err := col.Err(); err != nil {
		return nil, err
	}

	o := Blank(id)
	o.rec.Record(Opened{
		CustomerID:  customerID,
		VehicleID:   vehicleID,
		Number:      number,
		MileageKm:   odo.Km(),
		HasMileage:  in.MileageKm != nil,
		Description: description,
		Items:       items,
		TotalCents:  total,
		OpenedAt:    now.UTC(),
	})
	return o, nil
}

// parseItems validates up to maxItems items, numbering them from 1, and
// sums their totals.
func parseItems(col *errs.Collector, in []ItemInput, services ServiceLookup) ([]LineItem, int64) {
	if len(in) > maxItems {
		col.Add(FieldItems, CodeTooMany, "a service order has at most 100 items")
		return nil, 0
	}
	var items []LineItem
	var total int64
	overflow := false
	for i, it := range in {
		item, ok := parseItem(col, fmt.Sprintf("items[%d].", i), it, services)
		if !ok {
			continue
		}
		item.Line = int64(i + 1)
		items = append(items, item)
		if total, ok = addCents(total, item.TotalCents); !ok && !overflow {
			col.Add(FieldItems, br.CodeOutOfRange, "the order total is too large")
			overflow = true
		}
	}
	return items, total
}

// addCents returns a+b for non-negative amounts, or false when the sum
// overflows: a wrapped, negative total would be far worse than a refusal.
func addCents(a, b int64) (int64, bool) {
	if a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

// AddItem adds an item while the order is open or quoted. Field errors are
// named without the "items[i]." prefix, as the item is the whole request.
func (o *ServiceOrder) AddItem(in ItemInput, services ServiceLookup, now time.Time) error {
	if err := o.checkOpened(); err != nil {
		return err
	}
	if !o.status.allowsItemChanges() {
		return fmt.Errorf("service order %d is %s, items can no longer change: %w", o.number, o.status, errs.ErrIllegalTransition)
	}
	var col errs.Collector
	if len(o.items) >= maxItems {
		col.Add(FieldItems, CodeTooMany, "a service order has at most 100 items")
	}
	item, ok := parseItem(&col, "", in, services)
	var total int64
	if ok {
		if total, ok = addCents(o.totalCents, item.TotalCents); !ok {
			col.Add(FieldItems, br.CodeOutOfRange, "the order total is too large")
		}
	}
	if err := col.Err(); err != nil {
		return err
	}
	item.Line = o.lastLine + 1
	o.rec.Record(ItemAdded{CustomerID: o.customerID, Item: item, TotalCents: total, AddedAt: now.UTC()})
	return nil
}

// RemoveItem removes item line while the order is open or quoted.
func (o *ServiceOrder) RemoveItem(line int64, now time.Time) error {
	if err := o.checkOpened(); err != nil {
		return err
	}
	if !o.status.allowsItemChanges() {
		return fmt.Errorf("service order %d is %s, items can no longer change: %w", o.number, o.status, errs.ErrIllegalTransition)
	}
	for _, it := range o.items {
		if it.Line == line {
			o.rec.Record(ItemRemoved{CustomerID: o.customerID, Line: line, TotalCents: o.totalCents - it.TotalCents, RemovedAt: now.UTC()})
			return nil
		}
	}
	return fmt.Errorf("service order %d has no item %d: %w", o.number, line, errs.ErrNotFound)
}

// ChangeStatus moves the order to status to, with an optional note for the
// customer (at most 1000 characters). An unknown status is a validation
// error on "status"; an illegal move is a *TransitionError.
func (o *ServiceOrder) ChangeStatus(to, note string, now time.Time) error {
	if err := o.checkOpened(); err != nil {
		return err
	}
	var col errs.Collector
	next, err := ParseStatus(to)
	validate.AddFieldErrors(&col, err)
	note = validate.FreeText(&col, FieldNote, note, maxNoteRunes, true)
	if err := col.Err(); err != nil {
		return err
	}
	if !o.status.CanChangeTo(next) {
		return &TransitionError{From: o.status, To: next}
	}
	o.rec.Record(StatusChanged{CustomerID: o.customerID, From: o.status.String(), To: next.String(), Note: note, ChangedAt: now.UTC()})
	return nil
}

// AssignMechanic makes the mechanic with the given identity id responsible
// for the work, until the order is completed. Assigning the current
// mechanic again records nothing.
func (o *ServiceOrder) AssignMechanic(identityID string, now time.Time) error {
	if err := o.checkOpened(); err != nil {
		return err
	}
	identityID = strings.TrimSpace(identityID)
	switch {
	case identityID == "":
		return errs.Invalid(FieldMechanicID, br.CodeRequired, "mechanic_id is required")
	case len(identityID) > maxMechanicIDLen:
		return errs.Invalid(FieldMechanicID, CodeTooLong, "mechanic_id must have at most 100 characters")
	case strings.ContainsFunc(identityID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return errs.Invalid(FieldMechanicID, br.CodeInvalidFormat, "mechanic_id must not contain spaces or control characters")
	}
	if !o.status.allowsAssignment() {
		return fmt.Errorf("service order %d is %s, a mechanic can no longer be assigned: %w", o.number, o.status, errs.ErrIllegalTransition)
	}
	if identityID == o.mechanicID {
		return nil
	}
	o.rec.Record(MechanicAssigned{CustomerID: o.customerID, MechanicID: identityID, AssignedAt: now.UTC()})
	return nil
}

func (o *ServiceOrder) checkOpened() error {
	if !o.opened {
		return fmt.Errorf("service order %s: %w", o.id, errs.ErrNotFound)
	}
	return nil
}

// Apply implements es.Aggregate. It never validates: stored values,
// including statuses or services this binary does not know, are facts.
func (o *ServiceOrder) Apply(e es.Event) {
	switch e := e.(type) {
	case Opened:
		o.opened = true
		o.number = e.Number
		o.customerID, o.vehicleID = e.CustomerID, e.VehicleID
		o.mileageKm, o.hasMileage = e.MileageKm, e.HasMileage
		o.description = e.Description
		o.items = nil
		for _, it := range e.Items {
			o.addItem(it)
		}
		o.totalCents = e.TotalCents
		o.status = StatusOpen
		o.openedAt = e.OpenedAt
		o.history = append(o.history, StatusChange{To: StatusOpen, At: e.OpenedAt})
	case ItemAdded:
		o.addItem(e.Item)
		o.totalCents = e.TotalCents
	case ItemRemoved:
		o.items = slices.DeleteFunc(o.items, func(it Item) bool { return it.Line == e.Line })
		o.totalCents = e.TotalCents
	case StatusChanged:
		from, to := Status{s: e.From}, Status{s: e.To}
		o.status = to
		o.history = append(o.history, StatusChange{From: from, To: to, Note: e.Note, At: e.ChangedAt})
	case MechanicAssigned:
		o.mechanicID = e.MechanicID
	case QuoteSent:
		o.applyQuoteSent(e)
	case QuoteDecided:
		o.applyQuoteDecided(e)
	}
}

func (o *ServiceOrder) addItem(it LineItem) {
	o.items = append(o.items, Item(it))
	o.lastLine = max(o.lastLine, it.Line)
}

// Recorder implements es.Aggregate.
func (o *ServiceOrder) Recorder() *es.Recorder { return &o.rec }

// ID returns the order id.
func (o *ServiceOrder) ID() uuid.UUID { return o.id }

// Number returns the workshop's sequential number of the order.
func (o *ServiceOrder) Number() int64 { return o.number }

// CustomerID returns the customer the order is for.
func (o *ServiceOrder) CustomerID() uuid.UUID { return o.customerID }

// VehicleID returns the vehicle worked on.
func (o *ServiceOrder) VehicleID() uuid.UUID { return o.vehicleID }

// Status returns the current status.
func (o *ServiceOrder) Status() Status { return o.status }

// Items returns the items in line order (a fresh slice).
func (o *ServiceOrder) Items() []Item { return append([]Item(nil), o.items...) }

// TotalCents returns the order total in centavos.
func (o *ServiceOrder) TotalCents() int64 { return o.totalCents }

// MileageKm returns the odometer reading at check-in; ok is false when none
// was given.
func (o *ServiceOrder) MileageKm() (km int64, ok bool) { return o.mileageKm, o.hasMileage }

// Description returns the description of the job.
func (o *ServiceOrder) Description() string { return o.description }

// OpenedAt returns when the order was opened.
func (o *ServiceOrder) OpenedAt() time.Time { return o.openedAt }

// MechanicID returns the identity id of the assigned mechanic ("" if none).
func (o *ServiceOrder) MechanicID() string { return o.mechanicID }

// StatusHistory returns every status the order went through, oldest first,
// starting with the opening (a fresh slice).
func (o *ServiceOrder) StatusHistory() []StatusChange {
	return append([]StatusChange(nil), o.history...)
}
