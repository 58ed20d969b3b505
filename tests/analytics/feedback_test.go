package analytics_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/maintenance"
	domainmsg "github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/infrastructure/clickhouse"
)

// addEngagement appends, through the real event store, feedback answers on
// orders of shop, reminders sent (some converted, one dismissed) and an
// appointment booked then attended.
func (w *world) addEngagement(t *testing.T, shop uuid.UUID, answers, sent, converted int) {
	t.Helper()
	ctx := as(shop, authz.RoleOwner)
	rows, err := w.env.DB.Admin.Query(context.Background(), `SELECT order_id, customer_id, vehicle_id FROM registry_service_orders
 WHERE tenant_id = $1 ORDER BY number LIMIT $2`, shop, answers)
	if err != nil {
		t.Fatal(err)
	}
	type order struct{ id, customer, vehicle uuid.UUID }
	var orders []order
	for rows.Next() {
		var o order
		if err := rows.Scan(&o.id, &o.customer, &o.vehicle); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	rows.Close()
	if len(orders) < answers {
		t.Fatalf("only %d orders for %d answers", len(orders), answers)
	}
	now := time.Now().UTC().Truncate(time.Second).Add(-48 * time.Hour)
	app := func(st eventsourcing.StreamRef, expected int64, evs ...es.Event) {
		t.Helper()
		if _, err := w.env.Sys.Store.Append(ctx, st, expected, evs); err != nil {
			t.Fatalf("append %s: %v", st, err)
		}
	}
	for i, o := range orders {
		// Two mechanics share the orders; the first order is reassigned,
		// so only its last assignment counts.
		var v int64
		if err := w.env.DB.Admin.QueryRow(context.Background(), `SELECT max(version) FROM events WHERE tenant_id = $1 AND stream_id = $2`,
			shop, o.id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		order := eventsourcing.StreamRef{Type: serviceorder.StreamType, ID: o.id}
		assign := []es.Event{serviceorder.MechanicAssigned{CustomerID: o.customer, MechanicID: []string{"mech-a", "mech-b"}[i%2], AssignedAt: now}}
		if i == 0 {
			assign = append(assign, serviceorder.MechanicAssigned{CustomerID: o.customer, MechanicID: "mech-c", AssignedAt: now})
		}
		app(order, v, assign...)
		msg := uuid.New()
		app(eventsourcing.StreamRef{Type: messaging.FeedbackStreamType, ID: msg}, 0, domainmsg.FeedbackReceived{
			MessageID: msg, OrderID: o.id, CustomerID: o.customer, Score: (i * 7) % 11, CSAT: csatAnswer(i), Comment: "pessoal",
			ReceivedAt: now.Add(-time.Duration(i) * time.Hour)})
	}
	for i := 0; i < sent; i++ {
		o := orders[i%len(orders)]
		st := eventsourcing.StreamRef{Type: maintenance.StreamType, ID: uuid.New()}
		evs := []es.Event{
			maintenance.ReminderDue{VehicleID: o.vehicle, CustomerID: o.customer, Service: "oil_change", Cycle: "c", DueAt: now, Frequency: "once", At: now},
			maintenance.ReminderSent{VehicleID: o.vehicle, Service: "oil_change", Channel: "email", At: now},
		}
		if i < converted {
			evs = append(evs, maintenance.ReminderConverted{VehicleID: o.vehicle, CustomerID: o.customer, Service: "oil_change",
				Cycle: "c", OrderID: o.id, SentAt: now, OpenedAt: now.Add(time.Hour), At: now.Add(time.Hour)})
		} else if i == converted {
			evs = append(evs, maintenance.ReminderDismissed{VehicleID: o.vehicle, CustomerID: o.customer, Service: "oil_change",
				Cycle: "c", By: "staff", At: now.Add(time.Hour)})
		}
		app(st, 0, evs...)
	}
	appt := uuid.New()
	app(eventsourcing.StreamRef{Type: booking.DayStreamType, ID: uuid.New()}, 0,
		booking.AppointmentBooked{AppointmentID: appt, CustomerID: orders[0].customer, VehicleID: orders[0].vehicle, Day: now.Format("2006-01-02"),
			Start: now, End: now.Add(time.Hour), Services: []string{"oil_change"}, Note: "pessoal", BookedBy: "customer", BookedAt: now},
		booking.AppointmentStatusChanged{AppointmentID: appt, CustomerID: orders[0].customer, From: "booked", To: "arrived", By: "staff", ChangedAt: now.Add(time.Hour)})
}

// pgSatisfaction computes NPS from the feedback events in Postgres, grouped
// by key ("" = all, "service", "mechanic": the order's current mechanic,
// pseudonymised like analytics does).
func (w *world) pgSatisfaction(t *testing.T, shop uuid.UUID, key string) map[string][6]int64 {
	t.Helper()
	group := `''`
	from := `events e`
	switch key {
	case "service":
		from = `events e JOIN (SELECT DISTINCT o.order_id, it FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
 WHERE o.tenant_id = $1) o ON o.order_id = (e.payload->>'OrderID')::uuid`
		group = `o.it->>'service'`
	case "mechanic": // the order's last assignment, from the event store
		group = `m.mechanic_id`
		from = `events e JOIN (SELECT DISTINCT ON (stream_id) stream_id, payload->>'MechanicID' AS mechanic_id FROM events
 WHERE tenant_id = $1 AND type = 'service_order.mechanic_assigned.v1' ORDER BY stream_id, version DESC) m
   ON m.stream_id = (e.payload->>'OrderID')::uuid`
	}
	rows, err := w.env.DB.Admin.Query(context.Background(), `
SELECT `+group+`, count(*) FILTER (WHERE (e.payload->>'Score')::int >= 9), count(*) FILTER (WHERE (e.payload->>'Score')::int BETWEEN 7 AND 8),
       count(*) FILTER (WHERE (e.payload->>'Score')::int <= 6), count(*),
       count(*) FILTER (WHERE coalesce((e.payload->>'CSAT')::int, 0) >= 4),
       count(*) FILTER (WHERE coalesce((e.payload->>'CSAT')::int, 0) > 0)
  FROM `+from+` WHERE e.tenant_id = $1 AND e.type = 'feedback.received.v1' GROUP BY 1`, shop)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][6]int64{}
	for rows.Next() {
		var k string
		var v [6]int64
		if err := rows.Scan(&k, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			t.Fatal(err)
		}
		if key == "mechanic" {
			k = w.env.Sys.Analytics.Pseudonyms.Mechanic(shop, k).String()
		}
		out[k] = v
	}
	return out
}

// csatAnswer is the i-th answer's CSAT: every fourth one skips the
// optional question (0), the others run through 1–5.
func csatAnswer(i int) int {
	if i%4 == 3 {
		return 0
	}
	return 1 + i%5
}

func nps(v [6]int64) float64 {
	if v[3] == 0 {
		return 0
	}
	return math.Round(1000*float64(v[0]-v[2])/float64(v[3])) / 10
}

func (w *world) checkEngagement(t *testing.T, shop uuid.UUID, sent, converted int) {
	t.Helper()
	in, from, to := sinceStart()
	s, err := w.env.Sys.Analytics.Reports.Satisfaction(as(shop, authz.RoleOwner), in)
	if err != nil {
		t.Fatal(err)
	}
	all := w.pgSatisfaction(t, shop, "")[""]
	if s.NPS.Promoters != all[0] || s.NPS.Passives != all[1] || s.NPS.Detractors != all[2] || s.NPS.Responses != all[3] || s.NPS.Score != nps(all) {
		t.Errorf("NPS: ClickHouse %+v, Postgres %v (score %v)", s.NPS, all, nps(all))
	}
	if all[3] == 0 {
		t.Fatal("no feedback in Postgres")
	}
	if want := reports.CSATOf(all[4], all[5]); s.CSAT != want || want.Responses == 0 {
		t.Errorf("CSAT: ClickHouse %+v, Postgres %+v", s.CSAT, want)
	}
	var months int64
	for _, m := range s.ByMonth {
		months += m.Responses
	}
	if months != all[3] {
		t.Errorf("responses by month sum to %d, want %d", months, all[3])
	}
	for name, got := range map[string][]reports.GroupNPS{"service": s.ByService, "mechanic": s.ByMechanic} {
		want := w.pgSatisfaction(t, shop, name)
		if len(got) != len(want) || len(got) == 0 {
			t.Errorf("by %s: %d groups, Postgres %d: %+v / %v", name, len(got), len(want), got, want)
		}
		for _, g := range got {
			if v := want[g.Key]; g.Responses != v[3] || g.NPS != nps(v) || g.CSAT != reports.CSATOf(v[4], v[5]) {
				t.Errorf("by %s %s: %d answers NPS %v CSAT %+v, Postgres %v (NPS %v)", name, g.Key, g.Responses, g.NPS, g.CSAT, v, nps(v))
			}
		}
	}
	// The franchise comparison's NPS and reminder conversion.
	cmp, err := w.env.Sys.Analytics.Store.Comparison(context.Background(),
		reports.Scope{WorkshopIDs: []uuid.UUID{shop}, From: from, To: to, TimeZone: "America/Sao_Paulo"})
	if err != nil {
		t.Fatal(err)
	}
	var pgSent, pgConv int64
	if err := w.env.DB.Admin.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE type = 'maintenance.reminder_sent.v1'),
       count(*) FILTER (WHERE type = 'maintenance.reminder_converted.v1') FROM events WHERE tenant_id = $1`, shop).Scan(&pgSent, &pgConv); err != nil {
		t.Fatal(err)
	}
	if pgSent != int64(sent) || pgConv != int64(converted) {
		t.Fatalf("Postgres holds %d sent / %d converted, appended %d / %d", pgSent, pgConv, sent, converted)
	}
	want := math.Round(10000*float64(pgConv)/float64(pgSent)) / 10000
	if c := cmp[0]; c.NPS != nps(all) || c.NPSResponses != all[3] || c.RemindersSent != pgSent || c.ReminderConversion != want {
		t.Errorf("comparison: NPS %v (%d answers), %d reminders conversion %v; Postgres NPS %v (%d), %d sent conversion %v",
			c.NPS, c.NPSResponses, c.RemindersSent, c.ReminderConversion, nps(all), all[3], pgSent, want)
	}
}

func TestEngagementFacts_MatchTheEventStoreAndCountOnceIntegration(t *testing.T) {
	w := newWorld(t, 6)
	const answers, sent, converted = 15, 5, 2
	w.addEngagement(t, w.shop[0], answers, sent, converted)
	ctx := context.Background()
	conn, err := clickhouse.Open(w.ch)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	p, err := clickhouse.NewProjector(clickhouse.ProjectorConfig{Pool: w.env.Sys.Pool, Conn: conn, Codec: w.env.Sys.Codec,
		Pseudonyms: w.env.Sys.Analytics.Pseudonyms, PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, p)
	w.checkEngagement(t, w.shop[0], sent, converted)

	// No comment (personal) reached ClickHouse, and the appointment's two
	// events are two rows.
	var kinds []string
	r, err := conn.Query(ctx, "SELECT kind FROM appointments FINAL ORDER BY at")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var k string
		_ = r.Scan(&k)
		kinds = append(kinds, k)
	}
	_ = r.Close()
	if len(kinds) != 2 || kinds[0] != "booked" || kinds[1] != "attended" {
		t.Errorf("appointments: %v", kinds)
	}

	// Everything delivered again: each figure still counts once.
	if err := conn.Exec(ctx, "TRUNCATE TABLE analytics_checkpoint"); err != nil {
		t.Fatal(err)
	}
	p, err = clickhouse.NewProjector(clickhouse.ProjectorConfig{Pool: w.env.Sys.Pool, Conn: conn, Codec: w.env.Sys.Codec,
		Pseudonyms: w.env.Sys.Analytics.Pseudonyms, PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	if n := drain(t, p); n == 0 {
		t.Fatal("nothing was delivered again")
	}
	var raw, final uint64
	_ = conn.QueryRow(ctx, "SELECT count() FROM feedback").Scan(&raw)
	_ = conn.QueryRow(ctx, "SELECT count() FROM feedback FINAL").Scan(&final)
	if final != answers || raw < final {
		t.Errorf("feedback rows: %d stored, %d counted, want %d counted", raw, final, answers)
	}
	w.checkEngagement(t, w.shop[0], sent, converted)
}
