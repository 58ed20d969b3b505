package wiring

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/application/workshops"
)

type capturedEnqueue struct{ got []messaging.EnqueueRequest }

func (c *capturedEnqueue) Enqueue(_ context.Context, r messaging.EnqueueRequest) (uuid.UUID, error) {
	c.got = append(c.got, r)
	return uuid.New(), nil
}

type zoneDirectory map[uuid.UUID]string

func (d zoneDirectory) WorkshopByID(_ context.Context, id uuid.UUID) (workshops.WorkshopView, error) {
	return workshops.WorkshopView{ID: id, TimeZone: d[id]}, nil
}

// A reminder's due date is the calendar day in the workshop's own zone: in
// Manaus (UTC-4) 03:30 UTC on 1 March is still 28 February.
func TestOutboxReminders_dueDateInWorkshopTimeZone(t *testing.T) {
	manaus, saoPaulo := uuid.New(), uuid.New()
	dir := zoneDirectory{manaus: "America/Manaus", saoPaulo: "America/Sao_Paulo"}
	due := time.Date(2027, 3, 1, 3, 30, 0, 0, time.UTC)
	for workshop, want := range map[uuid.UUID]string{manaus: "28/02/2027", saoPaulo: "01/03/2027"} {
		enq := &capturedEnqueue{}
		n := reminders.Notice{WorkshopID: workshop, CustomerID: uuid.New(), Items: []reminders.NoticeItem{{
			VehicleID: uuid.New(), Vehicle: "Gol ABC1D23", Service: "oil_change", ServiceLabel: "Troca de óleo", DueAt: due,
		}}}
		if _, err := (outboxReminders{enq: enq, directory: dir}).Notify(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		if len(enq.got) != 1 || enq.got[0].Vars["due_date"] != want {
			t.Errorf("workshop zone %s: due_date = %v, want %s", dir[workshop], enq.got, want)
		}
	}
}
