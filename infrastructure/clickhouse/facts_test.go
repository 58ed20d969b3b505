package clickhouse

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

func recorded(t *testing.T, w uuid.UUID, e es.Event) eventsourcing.Recorded {
	t.Helper()
	tid, err := tenant.FromUUID(w)
	if err != nil {
		t.Fatal(err)
	}
	return eventsourcing.Recorded{EventID: uuid.New(), Tenant: tid, Stream: eventsourcing.StreamRef{Type: "x", ID: uuid.New()},
		Version: 1, Type: e.EventName(), Event: e}
}

func TestEngagementFacts_RowsWithoutPersonalData(t *testing.T) {
	p, _ := NewPseudonyms(DeriveRootKey("k"))
	w, cust, order := uuid.New(), uuid.New(), uuid.New()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var f Facts
	for _, e := range []es.Event{
		messaging.FeedbackReceived{MessageID: uuid.New(), OrderID: order, CustomerID: cust, Score: 9, Comment: "Fulano, péssimo", ReceivedAt: at},
		messaging.FeedbackReceived{OrderID: order, CustomerID: cust, Score: 11, ReceivedAt: at}, // not a valid answer
		maintenance.ReminderSent{VehicleID: uuid.New(), Service: "oil_change", Channel: "email", At: at},
		maintenance.ReminderConverted{CustomerID: cust, Service: "oil_change", OrderID: order, At: at},
		maintenance.ReminderDismissed{CustomerID: cust, Service: "oil_change", At: at}, // not a fact
		booking.AppointmentBooked{AppointmentID: uuid.New(), CustomerID: cust, Services: []string{"brakes"}, Note: "Fulano", BookedAt: at},
		booking.AppointmentStatusChanged{CustomerID: cust, From: "booked", To: "arrived", ChangedAt: at},
		booking.AppointmentStatusChanged{CustomerID: cust, From: "booked", To: "no_show", ChangedAt: at},
	} {
		if err := f.Add(p, recorded(t, w, e)); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.Feedback) != 1 || f.Feedback[0].NPS != 9 || !f.Feedback[0].HasNPS || f.Feedback[0].OrderID != order ||
		f.Feedback[0].CustomerPID != p.Customer(w, cust) {
		t.Errorf("feedback: %+v", f.Feedback)
	}
	if len(f.Reminders) != 2 || f.Reminders[0].Kind != "sent" || f.Reminders[1].Kind != "converted" {
		t.Errorf("reminders: %+v", f.Reminders)
	}
	if len(f.Appointments) != 3 || f.Appointments[0].Kind != "booked" || f.Appointments[0].Service != "brakes" ||
		f.Appointments[1].Kind != "attended" || f.Appointments[2].Kind != "no_show" {
		t.Errorf("appointments: %+v", f.Appointments)
	}
	dump := fmt.Sprintf("%+v", f)
	if strings.Contains(dump, "Fulano") || strings.Contains(dump, cust.String()) {
		t.Errorf("personal data in the facts: %s", dump)
	}
}
