package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
)

type reminderItem struct {
	VehicleID         string  `json:"vehicle_id"`
	Service           string  `json:"service"`
	DueAt             string  `json:"due_at"`
	DueKm             *int64  `json:"due_km"`
	PredictedKmPerDay float64 `json:"predicted_km_per_day"`
	Status            string  `json:"status"`
}

type reminderPage struct {
	Items      []reminderItem `json:"items"`
	NextCursor string         `json:"next_cursor"`
}

// reminderFixture: a customer, a vehicle at 30,000 km and an order at
// 30,500 km with an oil change, an alignment and a brake-fluid change.
type reminderFixture struct {
	env                   *e2e.Env
	w                     e2e.Workshop
	customerID, vehicleID string
	email                 string
}

func newReminderFixture(t *testing.T) reminderFixture {
	t.Helper()
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	email := "ana-" + e2e.Unique() + "@example.com"
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken,
		fmt.Sprintf(`{"name":"Ana Lima","email":%q}`, email)), 201, "customer")
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+c["id"].(string)+"/vehicles"), w.OwnerToken,
		`{"plate":"RIO2A18","make":"Chevrolet","model":"Onix","year":2021,"mileage_km":30000}`), 201, "vehicle")
	f := reminderFixture{env: env, w: w, customerID: c["id"].(string), vehicleID: v["id"].(string), email: email}
	f.openOrder(t, 30_500, "oil_change", "alignment_balancing", "brake_fluid")
	return f
}

func (f reminderFixture) openOrder(t *testing.T, km int64, services ...string) {
	t.Helper()
	items := ""
	for i, s := range services {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"service":%q,"description":"Serviço","quantity":1,"unit_price_cents":10000}`, s)
	}
	mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/service-orders"), f.w.OwnerToken, fmt.Sprintf(
		`{"customer_id":%q,"vehicle_id":%q,"mileage_km":%d,"items":[%s]}`, f.customerID, f.vehicleID, km, items)), 201, "order")
}

// list reads every page of the reminders with query q and page size limit.
func (f reminderFixture) list(t *testing.T, q url.Values, limit int) []reminderItem {
	t.Helper()
	var out []reminderItem
	q.Set("limit", fmt.Sprint(limit))
	for range 20 {
		r := f.env.Do(t, http.MethodGet, ws(f.w, "/reminders?"+q.Encode()), f.w.OwnerToken, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list reminders: %d %s", r.Status, r.Body)
		}
		var p reminderPage
		r.Decode(t, &p)
		if len(p.Items) > limit {
			t.Fatalf("page of %d items for limit %d", len(p.Items), limit)
		}
		out = append(out, p.Items...)
		if p.NextCursor == "" {
			return out
		}
		q.Set("cursor", p.NextCursor)
	}
	t.Fatal("pagination does not end")
	return nil
}

// eventually retries check until it passes (the read models are eventually
// consistent); the last failure fails the test.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// render prints items with their km values (not pointers).
func render(items []reminderItem) string {
	out := ""
	for _, it := range items {
		km := "null"
		if it.DueKm != nil {
			km = fmt.Sprint(*it.DueKm)
		}
		out += fmt.Sprintf("%s %s %s %s %v %s\n", it.VehicleID, it.Service, it.DueAt, km, it.PredictedKmPerDay, it.Status)
	}
	return out
}

func byService(items []reminderItem) map[string]reminderItem {
	m := map[string]reminderItem{}
	for _, it := range items {
		m[it.Service] = it
	}
	return m
}

func TestReminders_ListPaginatesFiltersAndFollowsNewOrdersIntegration(t *testing.T) {
	f := newReminderFixture(t)
	var all []reminderItem
	eventually(t, "three due services", func() error {
		all = f.list(t, url.Values{}, 50)
		if len(all) != 3 {
			return fmt.Errorf("got %+v", all)
		}
		return nil
	})
	today := time.Now().UTC()
	got := byService(all)
	oil, align, fluid := got["oil_change"], got["alignment_balancing"], got["brake_fluid"]
	// One day of readings: the fleet default (33 km/day), so 10,000 km take
	// about 303 days, before the oil change's 12 months.
	if oil.DueKm == nil || *oil.DueKm != 40_500 || oil.PredictedKmPerDay != 33 || oil.Status != "scheduled" || oil.VehicleID != f.vehicleID {
		t.Fatalf("oil change = %+v", oil)
	}
	if oil.DueAt != today.AddDate(0, 0, 303).Format(time.DateOnly) || align.DueAt != oil.DueAt {
		t.Errorf("oil change due %s, alignment %s, want %s", oil.DueAt, align.DueAt, today.AddDate(0, 0, 303).Format(time.DateOnly))
	}
	if fluid.DueKm != nil || fluid.DueAt != today.AddDate(0, 24, 0).Format(time.DateOnly) {
		t.Errorf("brake fluid = %+v, want 24 months and no km", fluid)
	}
	if !sort.SliceIsSorted(all, func(i, j int) bool { return all[i].DueAt < all[j].DueAt }) {
		t.Errorf("not soonest first: %+v", all)
	}

	// Pages of one give the same list.
	if paged := f.list(t, url.Values{}, 1); render(paged) != render(all) {
		t.Errorf("pages of 1 = %+v, want %+v", paged, all)
	}
	// due_before is exclusive; vehicle_id filters.
	if before := f.list(t, url.Values{"due_before": {fluid.DueAt}}, 50); len(before) != 2 {
		t.Errorf("due_before %s: %+v", fluid.DueAt, before)
	}
	if mine := f.list(t, url.Values{"vehicle_id": {f.vehicleID}, "due_before": {"2100-01-01T00:00:00Z"}}, 50); len(mine) != 3 {
		t.Errorf("vehicle filter: %+v", mine)
	}

	// A new oil change at 31,500 km starts a new cycle, due at 41,500 km.
	f.openOrder(t, 31_500, "oil_change")
	eventually(t, "the new order recomputes the oil change", func() error {
		oil := byService(f.list(t, url.Values{}, 50))["oil_change"]
		if oil.DueKm == nil || *oil.DueKm != 41_500 {
			return fmt.Errorf("oil change = %+v", oil)
		}
		return nil
	})
}

func TestReminders_BadInputAndOtherWorkshopIntegration(t *testing.T) {
	f := newReminderFixture(t)
	other := f.env.Signup(t, "pro")
	cases := []struct {
		name, path, token string
		status            int
		field             string
	}{
		{"other workshop's vehicle", ws(other, "/reminders?vehicle_id="+f.vehicleID), other.OwnerToken, 404, ""},
		{"unknown vehicle", ws(f.w, "/reminders?vehicle_id=0190f1b3-2a3b-7abc-8def-0123456789ab"), f.w.OwnerToken, 404, ""},
		{"bad due_before", ws(f.w, "/reminders?due_before=amanh%C3%A3"), f.w.OwnerToken, 422, "due_before"},
		{"due_before out of range", ws(f.w, "/reminders?due_before=2026-13-01"), f.w.OwnerToken, 422, "due_before"},
		{"bad vehicle_id", ws(f.w, "/reminders?vehicle_id=42"), f.w.OwnerToken, 422, "vehicle_id"},
		{"bad cursor", ws(f.w, "/reminders?cursor=xyz"), f.w.OwnerToken, 422, "cursor"},
		{"bad limit", ws(f.w, "/reminders?limit=0"), f.w.OwnerToken, 422, "limit"},
		{"no session", ws(f.w, "/reminders"), "", 401, ""},
		{"dismiss other workshop's vehicle", ws(other, "/reminders/"+f.vehicleID+"/oil_change/dismiss"), other.OwnerToken, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodGet
			if len(tc.path) > 8 && tc.path[len(tc.path)-8:] == "/dismiss" {
				method = http.MethodPost
			}
			r := f.env.Do(t, method, tc.path, tc.token, nil)
			if r.Status != tc.status {
				t.Fatalf("status %d %s, want %d", r.Status, r.Body, tc.status)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			if tc.field != "" {
				errsList, _ := r.JSON()["errors"].([]any)
				if len(errsList) != 1 || errsList[0].(map[string]any)["field"] != tc.field {
					t.Errorf("errors = %s, want one for %s", r.Body, tc.field)
				}
			}
		})
	}
}

// countingNotifier records the notices it was asked to send.
type countingNotifier struct {
	mu      sync.Mutex
	notices []reminders.Notice
}

func (n *countingNotifier) Notify(_ context.Context, notice reminders.Notice) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.notices = append(n.notices, notice)
	return "email", nil
}

func TestReminders_ScheduledExactlyOnceAndConvertedIntegration(t *testing.T) {
	f := newReminderFixture(t)
	dismissed := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/reminders/"+f.vehicleID+"/brake_fluid/dismiss"),
		f.w.OwnerToken, nil), 200, "dismiss")
	if dismissed["status"] != "dismissed" {
		t.Fatalf("dismiss = %v", dismissed)
	}
	// A lead time of 400 days brings the oil change and the alignment
	// (about 303 days away) within reach; brake fluid is dismissed.
	cfg := reminders.Config{LeadTime: 400 * 24 * time.Hour}
	notifier := &countingNotifier{}
	var runs [2]*reminders.UseCases
	for i := range runs {
		uc, err := f.env.Sys.NewReminders(nil, notifier, cfg)
		if err != nil {
			t.Fatal(err)
		}
		runs[i] = uc
	}
	var wg sync.WaitGroup
	for _, uc := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := uc.RunScheduler(context.Background()); err != nil {
				t.Errorf("scheduler: %v", err)
			}
		}()
	}
	wg.Wait()
	// Whichever run got the workshop, a later run finds nothing new.
	for _, uc := range runs {
		if _, err := uc.RunScheduler(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	count := func(typ string) int64 {
		return f.env.DB.Count(t, `SELECT count(*) FROM events WHERE type = $1 AND tenant_id = $2`, typ, f.w.ID)
	}
	if n := count("maintenance.reminder_due.v1"); n != 2 {
		t.Errorf("reminder_due events = %d, want 2 (oil change, alignment)", n)
	}
	if n := count("maintenance.reminder_sent.v1"); n != 2 {
		t.Errorf("reminder_sent events = %d, want 2", n)
	}
	notifier.mu.Lock()
	if len(notifier.notices) != 1 || len(notifier.notices[0].Items) != 2 || notifier.notices[0].CustomerID.String() != f.customerID {
		t.Errorf("notices = %+v, want one notice with both services", notifier.notices)
	}
	notifier.mu.Unlock()
	eventually(t, "statuses", func() error {
		got := byService(f.list(t, url.Values{}, 50))
		if got["oil_change"].Status != "sent" || got["alignment_balancing"].Status != "sent" || got["brake_fluid"].Status != "dismissed" {
			return fmt.Errorf("%+v", got)
		}
		return nil
	})

	// An order for the vehicle within the window converts both reminders.
	f.openOrder(t, 30_900, "diagnostics")
	eventually(t, "conversion", func() error {
		if _, err := runs[0].RunScheduler(context.Background()); err != nil {
			return err
		}
		if n := count("maintenance.reminder_converted.v1"); n != 2 {
			return fmt.Errorf("reminder_converted events = %d", n)
		}
		got := byService(f.list(t, url.Values{}, 50))
		if got["oil_change"].Status != "booked" || got["alignment_balancing"].Status != "booked" {
			return fmt.Errorf("%+v", got)
		}
		return nil
	})
	if _, err := runs[1].RunScheduler(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count("maintenance.reminder_converted.v1"); n != 2 {
		t.Errorf("reminder_converted events = %d after another run, want 2", n)
	}
}

// Reminders go out through the messaging outbox: one reminder message per
// notice, and a scheduler run repeated (e.g. after a crash) queues nothing twice.
func TestReminders_QueuedOnceInTheMessagingOutboxIntegration(t *testing.T) {
	f := newReminderFixture(t)
	for range 2 {
		uc, err := f.env.Sys.NewReminders(nil, nil, reminders.Config{LeadTime: 400 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := uc.RunScheduler(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	r := f.env.Do(t, http.MethodGet, ws(f.w, "/messages?kind=reminder&customer_id="+f.customerID), f.w.OwnerToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list messages: %d %s", r.Status, r.Body)
	}
	var page struct {
		Items []struct {
			Kind string `json:"kind"`
		} `json:"items"`
	}
	r.Decode(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("%d reminder messages queued for the customer, want one digest: %s", len(page.Items), r.Body)
	}
}

func TestReminders_EmailNotifierWritesPortugueseIntegration(t *testing.T) {
	f := newReminderFixture(t)
	uc, err := f.env.Sys.NewReminders(nil, f.env.Sys.ReminderEmailNotifier(), reminders.Config{LeadTime: 400 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := uc.RunScheduler(context.Background())
	if err != nil || rep.Sent != 2 {
		t.Fatalf("scheduler %+v %v, want the oil change and the alignment sent", rep, err)
	}
	mp := mailpit.New(envOr("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msg, err := mp.WaitFor(ctx, f.email, mailpit.SubjectContains("Lembrete de manutenção preventiva"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Olá, Ana Lima,", "Troca de óleo — Chevrolet Onix 2021", "Alinhamento e balanceamento",
		"ou aos 40.500 km, o que vier primeiro"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("e-mail lacks %q:\n%s", want, msg.Text)
		}
	}
	if list, err := mp.MessagesTo(ctx, f.email); err != nil || len(list) != 1 {
		t.Errorf("%d messages to the owner (%v), want one digest of both services", len(list), err)
	}
}
