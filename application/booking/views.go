package booking

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/booking"
)

// Appointment is an appointment as the use cases return it.
type Appointment struct {
	ID             uuid.UUID
	CustomerID     uuid.UUID
	VehicleID      uuid.UUID
	Day            string
	Start, End     time.Time
	Services       []string
	Note           string
	Status         string
	ServiceOrderID uuid.UUID
	BookedBy       string
	BookedAt       time.Time
	UpdatedAt      time.Time
	// ServiceOrderNumber is set in the answer of an arrival.
	ServiceOrderNumber int64
}

func fromDomain(a booking.Appointment) Appointment {
	return Appointment{ID: a.ID, CustomerID: a.CustomerID, VehicleID: a.VehicleID, Day: a.Day, Start: a.Start.UTC(),
		End: a.End.UTC(), Services: a.Services, Note: a.Note, Status: a.Status.String(), ServiceOrderID: a.ServiceOrderID,
		BookedBy: a.BookedBy, BookedAt: a.BookedAt}
}

// Settings are the booking settings as the use cases return them.
type Settings struct {
	Bays           int
	SlotMinutes    int
	ServiceMinutes map[string]int
	// Version is the settings stream's version (0: never saved, defaults).
	Version int64
}

// Slot is a free start time and when the appointment would end.
type Slot struct{ Start, End time.Time }
