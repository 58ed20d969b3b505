package clickhouse

import (
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// Facts are the rows one batch of events adds, table by table. Every row is a
// function of one event only (its id, tenant, stream, version and payload),
// so a redelivered event writes identical rows under the same sorting key
// and ReplacingMergeTree keeps one.
type Facts struct {
	Items        []ItemRow
	Orders       []OrderRow
	Statuses     []StatusRow
	Mechanics    []MechanicRow
	Vehicles     []VehicleRow
	Customers    []CustomerRow
	Feedback     []FeedbackRow
	Reminders    []ReminderRow
	Appointments []AppointmentRow
	Messages     []MessageRow
}

// Len is the number of rows.
func (f *Facts) Len() int {
	return len(f.Items) + len(f.Orders) + len(f.Statuses) + len(f.Mechanics) + len(f.Vehicles) + len(f.Customers) +
		len(f.Feedback) + len(f.Reminders) + len(f.Appointments) + len(f.Messages)
}

// ItemRow is a row of service_items.
type ItemRow struct {
	WorkshopID, OrderID uuid.UUID
	Line                uint32
	Version             uint64
	EventID             uuid.UUID
	Removed             bool
	At                  time.Time
	Service             string
	Quantity            int64
	TotalCents          int64
	CustomerPID         uuid.UUID
}

// OrderRow is a row of orders.
type OrderRow struct {
	WorkshopID, OrderID, EventID uuid.UUID
	OpenedAt                     time.Time
	CustomerPID, VehiclePID      uuid.UUID
	MileageKm                    int64
	HasMileage                   bool
}

// StatusRow is a row of order_status_changes.
type StatusRow struct {
	WorkshopID, OrderID uuid.UUID
	Version             uint64
	EventID             uuid.UUID
	From, To            string
	At                  time.Time
}

// MechanicRow is a row of order_mechanics.
type MechanicRow struct {
	WorkshopID, OrderID uuid.UUID
	Version             uint64
	EventID             uuid.UUID
	MechanicPID         uuid.UUID
	At                  time.Time
}

// VehicleRow is a row of vehicles ("" / 0 = unchanged).
type VehicleRow struct {
	WorkshopID, VehiclePID uuid.UUID
	Version                uint64
	EventID                uuid.UUID
	Make, Model            string
	Year                   int64
	At                     time.Time
}

// CustomerRow is a row of customers.
type CustomerRow struct {
	WorkshopID, CustomerPID, EventID uuid.UUID
	RegisteredAt                     time.Time
}

// FeedbackRow is a row of feedback. NPS is 0..10 when HasNPS; CSAT is 1..5,
// 0 when not answered.
type FeedbackRow struct {
	WorkshopID, EventID, OrderID, CustomerPID, MechanicPID uuid.UUID
	Service                                                string
	NPS                                                    int8
	HasNPS                                                 bool
	CSAT                                                   int8
	At                                                     time.Time
}

// ReminderRow is a row of reminders; Kind is "sent" or "converted".
type ReminderRow struct {
	WorkshopID, EventID, ReminderID uuid.UUID
	Kind                            string
	CustomerPID                     uuid.UUID
	Service, Channel                string
	At                              time.Time
}

// AppointmentRow is a row of appointments; Kind is "booked", "cancelled",
// "attended" or "no_show".
type AppointmentRow struct {
	WorkshopID, EventID, AppointmentID uuid.UUID
	Kind                               string
	CustomerPID                        uuid.UUID
	Service                            string
	At                                 time.Time
}

// MessageRow is a row of messages; Direction is "in" or "out".
type MessageRow struct {
	WorkshopID, EventID, ConversationID uuid.UUID
	Direction, Channel                  string
	At                                  time.Time
}

// factFunc turns one event into rows. One function per event type: a new
// event feeding analytics gets its own function and an entry in factFuncs.
type factFunc func(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error

// factFuncs maps the event types analytics reads to their functions.
//
// Feedback scores, reminders sent/converted and appointments append
// FeedbackRow, ReminderRow and AppointmentRow. Messages have no event yet
// (their statuses live in the messages table), so MessageRow stays unused;
// docs/analytics.md lists the payload fields each row needs.
var factFuncs = map[string]factFunc{
	serviceorder.Opened{}.EventName():           orderOpened,
	serviceorder.ItemAdded{}.EventName():        orderItemAdded,
	serviceorder.ItemRemoved{}.EventName():      orderItemRemoved,
	serviceorder.StatusChanged{}.EventName():    orderStatusChanged,
	serviceorder.MechanicAssigned{}.EventName(): orderMechanicAssigned,
	vehicle.Registered{}.EventName():            vehicleRegistered,
	vehicle.Corrected{}.EventName():             vehicleCorrected,
	customer.Registered{}.EventName():           customerRegistered,

	messaging.FeedbackReceived{}.EventName():       feedbackReceived,
	maintenance.ReminderSent{}.EventName():         reminderSent,
	maintenance.ReminderConverted{}.EventName():    reminderConverted,
	booking.AppointmentBooked{}.EventName():        appointmentBooked,
	booking.AppointmentStatusChanged{}.EventName(): appointmentStatusChanged,
}

// EventTypes lists the event types the analytics projection reads.
func EventTypes() []string {
	out := make([]string, 0, len(factFuncs))
	for t := range factFuncs {
		out = append(out, t)
	}
	return out
}

// Add appends the rows of rec (nothing for a type analytics ignores).
func (f *Facts) Add(p *Pseudonyms, rec eventsourcing.Recorded) error {
	fn, ok := factFuncs[rec.Type]
	if !ok {
		return nil
	}
	return fn(f, p, rec)
}

// line and ver convert an item's line and a stream version (both ≥ 1 by
// the event store's rules) to the column types, clamping nonsense to 0.
func line(n int64) uint32 {
	if n < 0 || n > math.MaxUint32 {
		return 0
	}
	return uint32(n)
}

func ver(n int64) uint64 {
	if n < 0 {
		return 0
	}
	return uint64(n)
}

func wrongType(rec eventsourcing.Recorded) error {
	return fmt.Errorf("analytics: event %s of type %s decoded as %T", rec.EventID, rec.Type, rec.Event)
}

func orderOpened(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(serviceorder.Opened)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	cust := p.Customer(w, e.CustomerID)
	f.Orders = append(f.Orders, OrderRow{WorkshopID: w, OrderID: rec.Stream.ID, EventID: rec.EventID, OpenedAt: e.OpenedAt,
		CustomerPID: cust, VehiclePID: p.Vehicle(w, e.VehicleID), MileageKm: e.MileageKm, HasMileage: e.HasMileage})
	for _, it := range e.Items {
		f.Items = append(f.Items, ItemRow{WorkshopID: w, OrderID: rec.Stream.ID, Line: line(it.Line), Version: ver(rec.Version),
			EventID: rec.EventID, At: e.OpenedAt, Service: it.Service, Quantity: it.Quantity, TotalCents: it.TotalCents, CustomerPID: cust})
	}
	return nil
}

func orderItemAdded(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(serviceorder.ItemAdded)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	it := e.Item
	f.Items = append(f.Items, ItemRow{WorkshopID: w, OrderID: rec.Stream.ID, Line: line(it.Line), Version: ver(rec.Version),
		EventID: rec.EventID, At: e.AddedAt, Service: it.Service, Quantity: it.Quantity, TotalCents: it.TotalCents,
		CustomerPID: p.Customer(w, e.CustomerID)})
	return nil
}

func orderItemRemoved(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(serviceorder.ItemRemoved)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	f.Items = append(f.Items, ItemRow{WorkshopID: w, OrderID: rec.Stream.ID, Line: line(e.Line), Version: ver(rec.Version),
		EventID: rec.EventID, Removed: true, At: e.RemovedAt, CustomerPID: p.Customer(w, e.CustomerID)})
	return nil
}

func orderStatusChanged(f *Facts, _ *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(serviceorder.StatusChanged)
	if !ok {
		return wrongType(rec)
	}
	f.Statuses = append(f.Statuses, StatusRow{WorkshopID: rec.Tenant.UUID(), OrderID: rec.Stream.ID, Version: ver(rec.Version),
		EventID: rec.EventID, From: e.From, To: e.To, At: e.ChangedAt})
	return nil
}

func orderMechanicAssigned(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(serviceorder.MechanicAssigned)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	f.Mechanics = append(f.Mechanics, MechanicRow{WorkshopID: w, OrderID: rec.Stream.ID, Version: ver(rec.Version),
		EventID: rec.EventID, MechanicPID: p.Mechanic(w, e.MechanicID), At: e.AssignedAt})
	return nil
}

func vehicleRegistered(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(vehicle.Registered)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	f.Vehicles = append(f.Vehicles, VehicleRow{WorkshopID: w, VehiclePID: p.Vehicle(w, rec.Stream.ID), Version: ver(rec.Version),
		EventID: rec.EventID, Make: e.Make, Model: e.Model, Year: e.Year, At: e.RegisteredAt})
	return nil
}

func vehicleCorrected(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(vehicle.Corrected)
	if !ok {
		return wrongType(rec)
	}
	row := VehicleRow{WorkshopID: rec.Tenant.UUID(), Version: ver(rec.Version), EventID: rec.EventID, At: e.CorrectedAt}
	row.VehiclePID = p.Vehicle(row.WorkshopID, rec.Stream.ID)
	changed := false
	for _, c := range e.Changed {
		switch c {
		case "make":
			row.Make, changed = e.Make, true
		case "model":
			row.Model, changed = e.Model, true
		case "year":
			row.Year, changed = e.Year, true
		}
	}
	if changed {
		f.Vehicles = append(f.Vehicles, row)
	}
	return nil
}

func customerRegistered(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(customer.Registered)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	id := e.CustomerID
	if id == uuid.Nil {
		id = rec.Stream.ID
	}
	f.Customers = append(f.Customers, CustomerRow{WorkshopID: w, CustomerPID: p.Customer(w, id), EventID: rec.EventID,
		RegisteredAt: e.RegisteredAt})
	return nil
}

// feedbackReceived records an NPS answer (Score 0..10) and the CSAT answer
// (1..5; 0 when not answered, or outside 1..5). The comment is personal and
// never copied; service and mechanic come from the order's
// facts at query time (see sqlSatisfactionBy*).
func feedbackReceived(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(messaging.FeedbackReceived)
	if !ok {
		return wrongType(rec)
	}
	if e.Score < 0 || e.Score > 10 {
		return nil // not an answer the domain accepts: nothing to count
	}
	w := rec.Tenant.UUID()
	csat := int8(0)
	if e.CSAT >= messaging.MinCSAT && e.CSAT <= messaging.MaxCSAT {
		csat = int8(e.CSAT)
	}
	f.Feedback = append(f.Feedback, FeedbackRow{WorkshopID: w, EventID: rec.EventID, OrderID: e.OrderID,
		CustomerPID: p.Customer(w, e.CustomerID), NPS: int8(e.Score), HasNPS: true, CSAT: csat, At: e.ReceivedAt})
	return nil
}

// reminderSent records a reminder sent. The event names the vehicle only,
// so the row has no customer pseudonym.
func reminderSent(f *Facts, _ *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(maintenance.ReminderSent)
	if !ok {
		return wrongType(rec)
	}
	f.Reminders = append(f.Reminders, ReminderRow{WorkshopID: rec.Tenant.UUID(), EventID: rec.EventID, ReminderID: rec.Stream.ID,
		Kind: "sent", Service: e.Service, Channel: e.Channel, At: e.At})
	return nil
}

// reminderConverted records an order that followed a reminder. It counts
// at the time of the conversion.
func reminderConverted(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(maintenance.ReminderConverted)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	f.Reminders = append(f.Reminders, ReminderRow{WorkshopID: w, EventID: rec.EventID, ReminderID: rec.Stream.ID,
		Kind: "converted", CustomerPID: p.Customer(w, e.CustomerID), Service: e.Service, At: e.At})
	return nil
}

// appointmentBooked records a booking (service: the first one booked; the
// car owner's note is never copied).
func appointmentBooked(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(booking.AppointmentBooked)
	if !ok {
		return wrongType(rec)
	}
	w := rec.Tenant.UUID()
	svc := ""
	if len(e.Services) > 0 {
		svc = e.Services[0]
	}
	f.Appointments = append(f.Appointments, AppointmentRow{WorkshopID: w, EventID: rec.EventID, AppointmentID: e.AppointmentID,
		Kind: "booked", CustomerPID: p.Customer(w, e.CustomerID), Service: svc, At: e.BookedAt})
	return nil
}

// appointmentKinds maps booking statuses to the appointments table's kinds.
var appointmentKinds = map[string]string{
	"confirmed": "confirmed",
	"arrived":   "attended",
	"no_show":   "no_show",
	"cancelled": "cancelled",
}

// appointmentStatusChanged records a status change of an appointment.
func appointmentStatusChanged(f *Facts, p *Pseudonyms, rec eventsourcing.Recorded) error {
	e, ok := rec.Event.(booking.AppointmentStatusChanged)
	if !ok {
		return wrongType(rec)
	}
	kind, known := appointmentKinds[e.To]
	if !known {
		return nil
	}
	w := rec.Tenant.UUID()
	f.Appointments = append(f.Appointments, AppointmentRow{WorkshopID: w, EventID: rec.EventID, AppointmentID: e.AppointmentID,
		Kind: kind, CustomerPID: p.Customer(w, e.CustomerID), At: e.ChangedAt})
	return nil
}
