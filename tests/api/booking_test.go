package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/interfaces/httpapi"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
)

// portalEnv serves the booking portal routes under /api/v1/portal/{slug}
// with a stand-in for the portal's login: the workshop of the path is the
// tenant and the X-Test-Customers header (comma-separated ids) lists the
// principal's customer records. Its Do talks to that server.
func portalEnv(t *testing.T, env *e2e.Env) *e2e.Env {
	t.Helper()
	r := chi.NewRouter()
	r.Route("/api/v1/portal/{slug}", func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				ws, err := env.Sys.Directory.WorkshopBySlug(req.Context(), chi.URLParam(req, "slug"))
				if err != nil {
					httpapi.WriteError(w, req, slog.Default(), err)
					return
				}
				tid, _ := tenant.FromUUID(ws.ID)
				var ids []uuid.UUID
				for _, s := range strings.Split(req.Header.Get("X-Test-Customers"), ",") {
					if id, err := uuid.Parse(s); err == nil {
						ids = append(ids, id)
					}
				}
				ctx := tenant.WithTenant(req.Context(), tid)
				ctx = authz.WithPrincipal(ctx, authz.Principal{Tenant: tid, Role: authz.RoleCustomer, CustomerIDs: ids})
				next.ServeHTTP(w, req.WithContext(ctx))
			})
		})
		r.Group(env.Sys.BookingPortalRoutes())
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	pe := *env
	pe.URL = srv.URL
	return &pe
}

func portal(w e2e.Workshop, path string) string { return "/api/v1/portal/" + w.Slug + path }

// openDay returns a local day at least days ahead that is no national
// holiday (the test workshop opens every weekday 08:00–12:00).
func openDay(t *testing.T, days int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	n := time.Now().In(loc)
	d := time.Date(n.Year(), n.Month(), n.Day()+days, 0, 0, 0, 0, loc)
	for {
		if h, _ := br.IsNationalHoliday(d); !h {
			return d
		}
		d = d.AddDate(0, 0, 1)
	}
}

// openEveryDay sets the workshop's hours: every day 08:00–12:00, São Paulo.
func openEveryDay(t *testing.T, env *e2e.Env, w e2e.Workshop) {
	t.Helper()
	var hours []string
	for d := 0; d < 7; d++ {
		hours = append(hours, fmt.Sprintf(`{"weekday":%d,"opens":"08:00","closes":"12:00"}`, d))
	}
	mustStatus(t, env.Do(t, http.MethodPatch, ws(w, ""), w.OwnerToken,
		`{"time_zone":"America/Sao_Paulo","business_hours":[`+strings.Join(hours, ",")+`]}`), 200, "opening hours")
}

type person struct{ customer, vehicle, email string }

func newPerson(t *testing.T, env *e2e.Env, w e2e.Workshop, name, cpf, plate string) person {
	t.Helper()
	email := strings.ToLower(strings.Fields(name)[0]) + "-" + e2e.Unique() + "@example.com"
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken, fmt.Sprintf(
		`{"name":%q,"document":%q,"email":%q,"phones":{"mobile":"(11) 98765-4321"}}`, name, cpf, email)), 201, "customer")
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+c["id"].(string)+"/vehicles"), w.OwnerToken,
		fmt.Sprintf(`{"plate":%q,"make":"Fiat","model":"Argo","year":2022}`, plate)), 201, "vehicle")
	return person{customer: c["id"].(string), vehicle: v["id"].(string), email: email}
}

func as(p person) []string { return []string{"X-Test-Customers", p.customer} }

func isProblem(r e2e.Response) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json")
}

func TestBooking_SettingsSlotsAppointmentsAndStatusesIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	openEveryDay(t, env, w)
	pe := portalEnv(t, env)

	// Settings: defaults, then saved; bad input is a 4xx problem naming the field.
	got := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/booking-settings"), w.OwnerToken, nil), 200, "default settings")
	if got["bays"] != float64(1) || got["slot_minutes"] != float64(30) {
		t.Fatalf("defaults %v", got)
	}
	bad := []struct {
		body   string
		ct     string
		status int
		field  string
	}{
		{`{"bays":0,"slot_minutes":30,"service_minutes":{}}`, "", 422, "bays"},
		{`{"bays":1,"slot_minutes":7,"service_minutes":{}}`, "", 422, "slot_minutes"},
		{`{"bays":1,"slot_minutes":30,"service_minutes":{"warp_drive":30}}`, "", 422, "service_minutes.warp_drive"},
		{`{"bays":1,"slot_minutes":30,"service_minutes":{"oil_change":-5}}`, "", 422, "service_minutes.oil_change"},
		{`{"bays":1,"slot_minutes":30,"service_minutes":{},"colour":"red"}`, "", 400, ""},
		{`{"bays":"two"}`, "", 422, "bays"},
		{`{"bays":`, "", 400, ""},
		{`bays=1`, "text/plain", 415, ""},
	}
	for _, c := range bad {
		var h []string
		if c.ct != "" {
			h = []string{"Content-Type", c.ct}
		}
		r := env.Do(t, http.MethodPut, ws(w, "/booking-settings"), w.OwnerToken, c.body, h...)
		if r.Status != c.status || !isProblem(r) || !strings.Contains(string(r.Body), c.field) {
			t.Errorf("PUT %s: %d %s (want %d on %q)", c.body, r.Status, r.Body, c.status, c.field)
		}
	}
	saved := env.Do(t, http.MethodPut, ws(w, "/booking-settings"), w.OwnerToken,
		`{"bays":1,"slot_minutes":30,"service_minutes":{"oil_change":30,"alignment_balancing":45}}`)
	if saved.Status != 200 || saved.Header.Get("ETag") != `"v1"` {
		t.Fatalf("save settings: %d %s %s", saved.Status, saved.Header.Get("ETag"), saved.Body)
	}
	if r := env.Do(t, http.MethodPut, ws(w, "/booking-settings"), w.OwnerToken, `{"bays":1,"slot_minutes":30,"service_minutes":{}}`,
		"If-Match", `"v7"`); r.Status != http.StatusPreconditionFailed {
		t.Errorf("stale If-Match: %d", r.Status)
	}
	mechanic := env.Staff(t, w, "mechanic")
	if r := env.Do(t, http.MethodPut, ws(w, "/booking-settings"), mechanic, `{"bays":9,"slot_minutes":30,"service_minutes":{}}`); r.Status != 403 {
		t.Errorf("a mechanic changed the booking settings: %d", r.Status)
	}

	ana := newPerson(t, env, w, "Ana Lima", "390.533.447-05", "ANA1B23")
	bia := newPerson(t, env, w, "Beatriz Souza", "529.982.247-25", "BIA2C34")
	day := openDay(t, 8)
	date := day.Format("2006-01-02")
	at := func(h, m int) string {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location()).UTC().Format(time.RFC3339)
	}

	// Slots: 75 minutes round up to 90; 08:00–12:00 gives 08:00…10:30.
	slots := mustStatus(t, pe.Do(t, http.MethodGet, portal(w, "/slots?services=oil_change,alignment_balancing&from="+date+"&to="+date), "", nil, as(ana)...), 200, "slots")
	items, _ := slots["items"].([]any)
	if len(items) != 6 {
		t.Fatalf("slots %v", slots)
	}
	first := items[0].(map[string]any)
	if first["start"] != at(8, 0) || first["end"] != at(9, 30) {
		t.Fatalf("first slot %v, want %s–%s", first, at(8, 0), at(9, 30))
	}
	for _, q := range []string{"", "?services=", "?services=warp_drive", "?services=Oil%20Change", "?services=oil_change&from=amanha",
		"?services=oil_change&from=" + date + "&to=2020-01-01", "?services=oil_change&from=2026-01-01&to=2026-12-31",
		"?services=" + strings.Repeat("oil_change,", 11) + "oil_change", "?services=oil_change&to=2026-13-45"} {
		r := pe.Do(t, http.MethodGet, portal(w, "/slots"+q), "", nil, as(ana)...)
		if r.Status != 422 || !isProblem(r) {
			t.Errorf("GET slots%s: %d %s", q, r.Status, r.Body)
		}
	}

	// Bad bookings.
	book := func(p person, vehicle, start string) e2e.Response {
		return pe.Do(t, http.MethodPost, portal(w, "/appointments"), "", fmt.Sprintf(
			`{"vehicle_id":%q,"services":["oil_change"],"start":%q,"note":"Barulho no freio"}`, vehicle, start), as(p)...)
	}
	for name, c := range map[string]struct {
		r      e2e.Response
		status int
	}{
		"another customer's vehicle": {book(ana, bia.vehicle, at(8, 0)), 404},
		"unknown vehicle":            {book(ana, uuid.NewString(), at(8, 0)), 404},
		"vehicle not a uuid":         {book(ana, "abc", at(8, 0)), 422},
		"off the grid":               {book(ana, ana.vehicle, at(8, 10)), 422},
		"after closing":              {book(ana, ana.vehicle, at(11, 45)), 422},
		"in the past":                {book(ana, ana.vehicle, "2020-03-02T11:00:00Z"), 422},
		"not a time":                 {book(ana, ana.vehicle, "amanhã às 8"), 422},
		"unknown field": {pe.Do(t, http.MethodPost, portal(w, "/appointments"), "", fmt.Sprintf(
			`{"vehicle_id":%q,"services":["oil_change"],"start":%q,"plate":"X"}`, ana.vehicle, at(8, 0)), as(ana)...), 400},
		"no services": {pe.Do(t, http.MethodPost, portal(w, "/appointments"), "", fmt.Sprintf(
			`{"vehicle_id":%q,"services":[],"start":%q}`, ana.vehicle, at(8, 0)), as(ana)...), 422},
	} {
		if c.r.Status != c.status || !isProblem(c.r) {
			t.Errorf("%s: %d %s (want %d)", name, c.r.Status, c.r.Body, c.status)
		}
	}

	// 20 concurrent bookings of the last free bay of 08:00: exactly one wins.
	const n = 20
	statuses := make([]int, n)
	problems := make([]bool, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := book(ana, ana.vehicle, at(8, 0))
			statuses[i], problems[i] = r.Status, r.Status == 201 || isProblem(r)
		}(i)
	}
	wg.Wait()
	created, conflicts := 0, 0
	for i, s := range statuses {
		switch {
		case s == 201:
			created++
		case s == 409 && problems[i]:
			conflicts++
		}
	}
	if created != 1 || conflicts != n-1 {
		t.Fatalf("20 concurrent bookings of one bay: %d × 201, %d × 409 (all %v)", created, conflicts, statuses)
	}
	slots = mustStatus(t, pe.Do(t, http.MethodGet, portal(w, "/slots?services=oil_change&from="+date+"&to="+date), "", nil, as(ana)...), 200, "slots")
	if strings.Contains(fmt.Sprint(slots["items"]), at(8, 0)) || !strings.Contains(fmt.Sprint(slots["items"]), at(8, 30)) {
		t.Errorf("after booking 08:00: %v", slots["items"])
	}

	// Each customer sees only their own appointments.
	mine := mustStatus(t, pe.Do(t, http.MethodGet, portal(w, "/appointments"), "", nil, as(ana)...), 200, "ana's list")
	list, _ := mine["items"].([]any)
	if len(list) != 1 {
		t.Fatalf("ana's appointments %v", mine)
	}
	appt := list[0].(map[string]any)
	id := appt["id"].(string)
	if appt["status"] != "booked" || appt["vehicle_id"] != ana.vehicle || appt["note"] != "Barulho no freio" {
		t.Errorf("appointment %v", appt)
	}
	if theirs := mustStatus(t, pe.Do(t, http.MethodGet, portal(w, "/appointments"), "", nil, as(bia)...), 200, "bia's list"); len(theirs["items"].([]any)) != 0 {
		t.Errorf("bia sees %v", theirs)
	}
	if r := pe.Do(t, http.MethodDelete, portal(w, "/appointments/"+id), "", nil, as(bia)...); r.Status != 404 || !isProblem(r) {
		t.Errorf("bia cancels ana's appointment: %d", r.Status)
	}

	// Staff: calendar and statuses.
	for _, q := range []string{"?from=amanha", "?from=" + date + "&to=2020-01-01", "?from=2026-01-01&to=2026-12-31", "?to=31/12/2026"} {
		if r := env.Do(t, http.MethodGet, ws(w, "/appointments"+q), w.OwnerToken, nil); r.Status != 422 || !isProblem(r) {
			t.Errorf("GET appointments%s: %d %s", q, r.Status, r.Body)
		}
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/appointments?from="+date+"&to="+date), mechanic, nil); r.Status != 200 {
		t.Errorf("a mechanic reads the calendar: %d", r.Status)
	}
	cal := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/appointments?from="+date+"&to="+date), w.OwnerToken, nil), 200, "calendar")
	if len(cal["items"].([]any)) != 1 {
		t.Fatalf("calendar %v", cal)
	}
	status := func(tok, id, s string) e2e.Response {
		return env.Do(t, http.MethodPost, ws(w, "/appointments/"+id+"/status"), tok, map[string]string{"status": s})
	}
	for _, c := range []struct {
		id, status string
		want       int
	}{
		{id, "bogus", 422}, {id, "", 422}, {id, "booked", 422}, {uuid.NewString(), "confirmed", 404}, {"nope", "confirmed", 404},
		{id, "confirmed", 200}, {id, "confirmed", 409},
	} {
		if r := status(w.OwnerToken, c.id, c.status); r.Status != c.want || (c.want != 200 && !isProblem(r)) {
			t.Errorf("status %s → %s: %d %s (want %d)", c.id, c.status, r.Status, r.Body, c.want)
		}
	}
	if r := status(mechanic, id, "arrived"); r.Status != 403 {
		t.Errorf("a mechanic marked an arrival: %d", r.Status)
	}
	arrived := mustStatus(t, status(w.OwnerToken, id, "arrived"), 200, "arrived")
	orderID, _ := arrived["service_order_id"].(string)
	if arrived["status"] != "arrived" || orderID == "" || arrived["service_order_number"] == nil {
		t.Fatalf("arrival %v", arrived)
	}
	order := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders/"+orderID), w.OwnerToken, nil), 200, "the opened order")
	if order["vehicle_id"] != ana.vehicle || order["customer_id"] != ana.customer || !strings.Contains(fmt.Sprint(order["items"]), "oil_change") {
		t.Errorf("order %v", order)
	}
	for _, s := range []string{"no_show", "cancelled", "arrived"} {
		if r := status(w.OwnerToken, id, s); r.Status != 409 {
			t.Errorf("arrived → %s: %d", s, r.Status)
		}
	}

	// The customer cancels a second appointment; twice is 409.
	second := mustStatus(t, book(ana, ana.vehicle, at(10, 0)), 201, "second booking")
	sid := second["id"].(string)
	mustStatus(t, pe.Do(t, http.MethodDelete, portal(w, "/appointments/"+sid), "", nil, as(ana)...), 204, "cancel")
	if mine := pe.Do(t, http.MethodGet, portal(w, "/appointments"), "", nil, as(ana)...); !strings.Contains(string(mine.Body), `"status":"cancelled"`) {
		t.Errorf("after cancelling: %s", mine.Body)
	}
	if r := pe.Do(t, http.MethodDelete, portal(w, "/appointments/"+sid), "", nil, as(ana)...); r.Status != 409 {
		t.Errorf("cancel twice: %d", r.Status)
	}
	mustStatus(t, book(bia, bia.vehicle, at(10, 0)), 201, "the freed slot")

	// Another workshop: its staff and its portal see nothing of this one.
	other := env.Signup(t, "basic")
	if r := env.Do(t, http.MethodGet, ws(w, "/appointments"), other.OwnerToken, nil); r.Status != 404 {
		t.Errorf("another workshop's owner lists appointments: %d", r.Status)
	}
	if r := env.Do(t, http.MethodPost, ws(other, "/appointments/"+id+"/status"), other.OwnerToken, `{"status":"no_show"}`); r.Status != 404 {
		t.Errorf("another workshop changes an appointment: %d", r.Status)
	}
	if r := pe.Do(t, http.MethodGet, "/api/v1/portal/"+other.Slug+"/appointments", "", nil, as(ana)...); r.Status != 200 || len(r.JSON()["items"].([]any)) != 0 {
		t.Errorf("ana's appointments at another workshop: %d %s", r.Status, r.Body)
	}
	if r := pe.Do(t, http.MethodPost, "/api/v1/portal/"+other.Slug+"/appointments", "", fmt.Sprintf(
		`{"vehicle_id":%q,"services":["oil_change"],"start":%q}`, ana.vehicle, at(9, 0)), as(ana)...); r.Status != 404 {
		t.Errorf("booking at another workshop with this one's vehicle: %d %s", r.Status, r.Body)
	}
	if r := pe.Do(t, http.MethodDelete, "/api/v1/portal/"+other.Slug+"/appointments/"+id, "", nil, as(ana)...); r.Status != 404 {
		t.Errorf("cancelling through another workshop: %d", r.Status)
	}
}

func TestBooking_ConfirmationAndOneReminderTheDayBeforeIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	openEveryDay(t, env, w)
	pe := portalEnv(t, env)
	ana := newPerson(t, env, w, "Ana Lima", "390.533.447-05", "ANA1B23")
	mp := mailpit.New(envOr("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	tomorrow := openDay(t, 1)
	if time.Until(tomorrow) > 48*time.Hour {
		t.Skip("tomorrow is a national holiday: no slot to remind of")
	}
	start := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 9, 0, 0, 0, tomorrow.Location())
	mustStatus(t, pe.Do(t, http.MethodPost, portal(w, "/appointments"), "", fmt.Sprintf(
		`{"vehicle_id":%q,"services":["oil_change"],"start":%q}`, ana.vehicle, start.UTC().Format(time.RFC3339)), as(ana)...), 201, "book")
	msg, err := mp.WaitFor(ctx, ana.email, mailpit.SubjectContains("Agendamento confirmado"))
	if err != nil {
		t.Fatalf("confirmation: %v", err)
	}
	if !strings.Contains(msg.Text, "09:00") || !strings.Contains(msg.Text, "Troca de óleo") || !strings.Contains(msg.Text, "Olá, Ana") {
		t.Errorf("confirmation text:\n%s", msg.Text)
	}

	// Three workers at once, then another round: the reminder goes out once.
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := env.Sys.Booking.SendReminders(ctx)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n, err := env.Sys.Booking.SendReminders(ctx); err != nil || n != 0 {
		t.Errorf("a later round: %d %v", n, err)
	}
	if total != 1 {
		t.Fatalf("reminders sent: %d, want 1", total)
	}
	if _, err := mp.WaitFor(ctx, ana.email, mailpit.SubjectContains("Lembrete")); err != nil {
		t.Fatalf("reminder: %v", err)
	}
	all, err := mp.MessagesTo(ctx, ana.email)
	if err != nil {
		t.Fatal(err)
	}
	reminders := 0
	for _, m := range all {
		if strings.Contains(m.Subject, "Lembrete") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("%d reminder e-mails", reminders)
	}
}
