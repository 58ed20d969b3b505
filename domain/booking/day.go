package booking

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// DayStreamType names the stream of one workshop's local calendar day.
const DayStreamType = "booking_day"

// DayLayout formats the local day of a day stream.
const DayLayout = "2006-01-02"

var dayNamespace = uuid.MustParse("0d8f3b6c-93e1-4c1f-8a55-7a0c2e4e9d27")

// DayStreamID is the id of workshop's stream for local day ("2006-01-02").
func DayStreamID(workshop uuid.UUID, day string) uuid.UUID {
	return uuid.NewSHA1(dayNamespace, append(workshop[:], []byte("day:"+day)...))
}

// Who changed an appointment.
const (
	ByCustomer = "customer"
	ByStaff    = "staff"
)

// Field names of a booking (the API's).
const (
	FieldVehicleID = "vehicle_id"
	FieldServices  = "services"
	FieldStart     = "start"
	FieldNote      = "note"
	FieldStatus    = "status"
)

// CodeSlotTaken is the conflict code of a booking whose slot filled up.
const CodeSlotTaken = "slot_taken"

// MaxNoteRunes bounds an appointment's note.
const MaxNoteRunes = 500

// Appointment is one appointment as the day holds it.
type Appointment struct {
	ID             uuid.UUID
	CustomerID     uuid.UUID
	VehicleID      uuid.UUID
	Day            string
	Start, End     time.Time
	Services       []string
	Note           string
	Status         Status
	ServiceOrderID uuid.UUID
	BookedBy       string
	BookedAt       time.Time
}

// Day is the aggregate of one workshop's appointments on one local day.
type Day struct {
	rec          es.Recorder
	id           uuid.UUID
	appointments []Appointment
}

// BlankDay returns an empty day ready to have events applied.
func BlankDay(id uuid.UUID) *Day {
	d := &Day{id: id}
	d.rec = es.NewRecorder(d.Apply)
	return d
}

// BookInput is a validated request for an appointment; Start and End are
// on the grid and within opening hours (the caller checked them with
// Calendar.Fits).
type BookInput struct {
	AppointmentID uuid.UUID
	CustomerID    uuid.UUID
	VehicleID     uuid.UUID
	Day           string
	Start, End    time.Time
	Services      []string
	Note          string
	BookedBy      string
}

// Book records the appointment unless bays appointments would then overlap
// at some instant: that is an *errs.ConflictError (CodeSlotTaken).
func (d *Day) Book(in BookInput, bays int, now time.Time) error {
	if utf8.RuneCountInString(in.Note) > MaxNoteRunes {
		return errs.Invalid(FieldNote, "too_long", fmt.Sprintf("note must have at most %d characters", MaxNoteRunes))
	}
	if in.AppointmentID == uuid.Nil || !in.End.After(in.Start) {
		return errs.Invalid(FieldStart, br.CodeInvalidFormat, "invalid appointment interval")
	}
	if MaxOverlap(d.busy(), in.Start, in.End) >= bays {
		return &errs.ConflictError{Field: FieldStart, Code: CodeSlotTaken, Message: "this slot is no longer free"}
	}
	d.rec.Record(AppointmentBooked{AppointmentID: in.AppointmentID, CustomerID: in.CustomerID, VehicleID: in.VehicleID,
		Day: in.Day, Start: in.Start.UTC(), End: in.End.UTC(), Services: slices.Clone(in.Services), Note: in.Note,
		BookedBy: in.BookedBy, BookedAt: now.UTC()})
	return nil
}

// ChangeStatus moves appointment id to status to. An unknown status is a
// validation error on "status"; an illegal move (including to the same
// status) wraps errs.ErrIllegalTransition; an unknown id is
// errs.ErrNotFound. serviceOrder is the order opened on arrival.
func (d *Day) ChangeStatus(id uuid.UUID, to string, serviceOrder uuid.UUID, by string, now time.Time) error {
	a, ok := d.Appointment(id)
	if !ok {
		return fmt.Errorf("appointment %s: %w", id, errs.ErrNotFound)
	}
	next, err := ParseStatus(to)
	if err != nil {
		return err
	}
	if err := a.Status.CheckChange(next); err != nil {
		return err
	}
	if next == StatusArrived && serviceOrder == uuid.Nil {
		return fmt.Errorf("arrival without a service order: %w", errs.ErrIllegalTransition)
	}
	if next != StatusArrived {
		serviceOrder = uuid.Nil
	}
	d.rec.Record(AppointmentStatusChanged{AppointmentID: id, CustomerID: a.CustomerID, From: a.Status.String(),
		To: next.String(), ServiceOrderID: serviceOrder, By: by, ChangedAt: now.UTC()})
	return nil
}

// busy returns the intervals of the appointments that hold a bay.
func (d *Day) busy() []Interval {
	var out []Interval
	for _, a := range d.appointments {
		if a.Status.HoldsBay() {
			out = append(out, Interval{Start: a.Start, End: a.End})
		}
	}
	return out
}

// Apply implements es.Aggregate.
func (d *Day) Apply(e es.Event) {
	switch e := e.(type) {
	case AppointmentBooked:
		d.appointments = append(d.appointments, Appointment{ID: e.AppointmentID, CustomerID: e.CustomerID,
			VehicleID: e.VehicleID, Day: e.Day, Start: e.Start, End: e.End, Services: e.Services, Note: e.Note,
			Status: StatusBooked, BookedBy: e.BookedBy, BookedAt: e.BookedAt})
	case AppointmentStatusChanged:
		for i := range d.appointments {
			if d.appointments[i].ID == e.AppointmentID {
				d.appointments[i].Status = Status{s: e.To}
				if e.ServiceOrderID != uuid.Nil {
					d.appointments[i].ServiceOrderID = e.ServiceOrderID
				}
			}
		}
	}
}

// Recorder implements es.Aggregate.
func (d *Day) Recorder() *es.Recorder { return &d.rec }

// Appointment returns appointment id of this day.
func (d *Day) Appointment(id uuid.UUID) (Appointment, bool) {
	for _, a := range d.appointments {
		if a.ID == id {
			return a, true
		}
	}
	return Appointment{}, false
}

// Appointments returns the day's appointments in booking order (a copy).
func (d *Day) Appointments() []Appointment { return slices.Clone(d.appointments) }
