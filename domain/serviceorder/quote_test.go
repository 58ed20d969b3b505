package serviceorder_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/serviceorder"
)

// ids hands out numbered ids, so tests can name the lines.
func ids() func() uuid.UUID {
	n := 0
	return func() uuid.UUID {
		n++
		return uuid.MustParse(fmt.Sprintf("0196a2f0-0000-7000-8000-%012d", 900+n))
	}
}

var (
	quote1 = uuid.MustParse("0196a2f0-0000-7000-8000-000000000801")
	quote2 = uuid.MustParse("0196a2f0-0000-7000-8000-000000000802")
	brakes = serviceorder.ItemInput{Service: "brake_pads", Description: "Pastilhas dianteiras", Quantity: 1, UnitPriceCents: 32000}
	oil    = serviceorder.ItemInput{Service: "oil_change", Description: "Troca de óleo", Quantity: 2, UnitPriceCents: 9000}
	alice  = serviceorder.Evidence{ActorID: "id-1", ActorEmail: "joao@example.com", IP: "203.0.113.9", UserAgent: "Mozilla/5.0"}
)

func quoted(t *testing.T, from string) *serviceorder.ServiceOrder {
	t.Helper()
	o := given(inStatus(from)...)
	if err := o.SendQuote(quote1, ids(), serviceorder.QuoteInput{Items: []serviceorder.ItemInput{brakes, oil}, ValidUntil: "2025-03-20", Note: "Peças originais"},
		services, "staff-1", t1); err != nil {
		t.Fatal(err)
	}
	events := o.Recorder().PopEvents()
	return given(append(inStatus(from), events...)...)
}

func decide(items ...any) serviceorder.DecisionInput {
	var in serviceorder.DecisionInput
	for i := 0; i+1 < len(items); i += 2 {
		id := items[i].(string)
		var a *bool
		if b, ok := items[i+1].(bool); ok {
			a = &b
		}
		in.Items = append(in.Items, serviceorder.ItemDecisionInput{ID: id, Approved: a})
	}
	return in
}

func line(n int) string { return fmt.Sprintf("0196a2f0-0000-7000-8000-%012d", 900+n) }

func TestServiceOrder_SendQuote(t *testing.T) {
	t.Parallel()
	o := given(inStatus("open")...)
	err := o.SendQuote(quote1, ids(), serviceorder.QuoteInput{Items: []serviceorder.ItemInput{brakes, oil}, ValidUntil: "2025-03-20", Note: "Peças originais"},
		services, "staff-1", t1)
	if err != nil {
		t.Fatal(err)
	}
	requireEvents(t, o, []es.Event{
		serviceorder.QuoteSent{CustomerID: customerID, QuoteID: quote1, Version: 1, OrderNumber: 42, Items: []serviceorder.QuoteLine{
			{ID: uuid.MustParse(line(1)), Service: "brake_pads", Description: "Pastilhas dianteiras", Quantity: 1, UnitPriceCents: 32000, TotalCents: 32000},
			{ID: uuid.MustParse(line(2)), Service: "oil_change", Description: "Troca de óleo", Quantity: 2, UnitPriceCents: 9000, TotalCents: 18000},
		}, TotalCents: 50000, ValidUntil: "2025-03-20", Note: "Peças originais", SentBy: "staff-1", SentAt: t1},
		serviceorder.StatusChanged{CustomerID: customerID, From: "open", To: "quoted", ChangedAt: t1},
	})

	// A second quote supersedes the first; the order stays quoted.
	q := quoted(t, "open")
	if err := q.SendQuote(quote2, ids(), serviceorder.QuoteInput{Items: []serviceorder.ItemInput{oil}}, services, "staff-1", t1); err != nil {
		t.Fatal(err)
	}
	events := q.Recorder().PopEvents()
	if len(events) != 1 || events[0].(serviceorder.QuoteSent).Version != 2 {
		t.Fatalf("second quote events = %#v", events)
	}
	cur, _ := q.CurrentQuote()
	old, _ := q.QuoteByID(quote1)
	if cur.ID != quote2 || cur.Version != 2 || cur.Status != "sent" || old.Status != "superseded" || q.Status() != serviceorder.StatusQuoted {
		t.Fatalf("current %+v old %+v status %s", cur, old, q.Status())
	}
}

func TestServiceOrder_SendQuote_refusals(t *testing.T) {
	t.Parallel()
	for _, st := range []string{"approved", "in_progress", "completed", "delivered", "cancelled"} {
		o := given(inStatus(st)...)
		err := o.SendQuote(quote1, ids(), serviceorder.QuoteInput{Items: []serviceorder.ItemInput{oil}}, services, "s", t1)
		if !errors.Is(err, errs.ErrIllegalTransition) {
			t.Errorf("%s: err = %v, want illegal transition", st, err)
		}
	}
	o := given(inStatus("open")...)
	err := o.SendQuote(quote1, ids(), serviceorder.QuoteInput{ValidUntil: "amanhã", Note: "ok"}, services, "s", t1)
	requireFieldCodes(t, err, []string{"items:required", "valid_until:invalid_format"})
	err = o.SendQuote(quote1, ids(), serviceorder.QuoteInput{Items: []serviceorder.ItemInput{{Service: "teleport", Quantity: 0}}, ValidUntil: "2025-03-01"}, services, "s", t1)
	requireFieldCodes(t, err, []string{"items[0].service:unknown_value", "items[0].quantity:out_of_range", "valid_until:out_of_range"})
}

func TestServiceOrder_DecideQuote_partial(t *testing.T) {
	t.Parallel()
	o := quoted(t, "open")
	if err := o.DecideQuote(quote1, decide(line(1), true, line(2), false), alice, t1); err != nil {
		t.Fatal(err)
	}
	requireEvents(t, o, []es.Event{
		serviceorder.QuoteDecided{CustomerID: customerID, QuoteID: quote1, Version: 1, Decisions: []serviceorder.LineDecision{
			{ItemID: uuid.MustParse(line(1)), Approved: true}, {ItemID: uuid.MustParse(line(2)), Approved: false},
		}, ApprovedTotalCents: 32000, ActorID: "id-1", ActorEmail: "joao@example.com", IP: "203.0.113.9", UserAgent: "Mozilla/5.0", DecidedAt: t1},
		serviceorder.ItemRemoved{CustomerID: customerID, Line: 1, TotalCents: 0, RemovedAt: t1},
		serviceorder.ItemAdded{CustomerID: customerID, Item: serviceorder.LineItem{Line: 2, Service: "brake_pads", Description: "Pastilhas dianteiras",
			Quantity: 1, UnitPriceCents: 32000, TotalCents: 32000}, TotalCents: 32000, AddedAt: t1},
		serviceorder.StatusChanged{CustomerID: customerID, From: "quoted", To: "approved", Note: "Orçamento aprovado pelo cliente", ChangedAt: t1},
	})
}

func TestServiceOrder_DecideQuote_state(t *testing.T) {
	t.Parallel()
	o := quoted(t, "open")
	if err := o.DecideQuote(quote1, decide(line(2), true, line(1), false), alice, t1); err != nil {
		t.Fatal(err)
	}
	o.Recorder().PopEvents() // recording applied them
	q, _ := o.CurrentQuote()
	if q.Status != "partially_approved" || q.Items[0].Decision != "declined" || q.Items[1].Decision != "approved" ||
		q.Decision == nil || q.Decision.IP != "203.0.113.9" || q.Decision.Version != 1 {
		t.Fatalf("quote = %+v", q)
	}
	items := o.Items()
	if o.Status() != serviceorder.StatusApproved || len(items) != 1 || items[0].Service != "oil_change" || o.TotalCents() != 18000 {
		t.Fatalf("order status %s items %+v total %d", o.Status(), items, o.TotalCents())
	}
	// Once only.
	err := o.DecideQuote(quote1, decide(line(2), true, line(1), true), alice, t1)
	var ce *errs.ConflictError
	if !errors.As(err, &ce) || ce.Code != serviceorder.CodeAlreadyDecided {
		t.Fatalf("second decision: %v", err)
	}
}

func TestServiceOrder_DecideQuote_allDeclinedCancels(t *testing.T) {
	t.Parallel()
	o := quoted(t, "open")
	if err := o.DecideQuote(quote1, decide(line(1), false, line(2), false), alice, t1); err != nil {
		t.Fatal(err)
	}
	events := o.Recorder().PopEvents()
	if len(events) != 2 || events[1].(serviceorder.StatusChanged).To != "cancelled" {
		t.Fatalf("events = %#v", events)
	}
	q, _ := o.CurrentQuote()
	if q.Status != "declined" || len(o.Items()) != 1 {
		t.Fatalf("quote %s, items %+v (declined quotes leave the order's items alone)", q.Status, o.Items())
	}
}

func TestServiceOrder_DecideQuote_refusals(t *testing.T) {
	t.Parallel()
	both := decide(line(1), true, line(2), true)
	t.Run("old version", func(t *testing.T) {
		t.Parallel()
		o := quoted(t, "open")
		if err := o.SendQuote(quote2, func() uuid.UUID { return uuid.Must(uuid.NewV7()) }, serviceorder.QuoteInput{Items: []serviceorder.ItemInput{oil}}, services, "s", t1); err != nil {
			t.Fatal(err)
		}
		o.Recorder().PopEvents()
		var ce *errs.ConflictError
		if err := o.DecideQuote(quote1, both, alice, t1); !errors.As(err, &ce) || ce.Code != serviceorder.CodeSuperseded {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown quote", func(t *testing.T) {
		t.Parallel()
		if err := quoted(t, "open").DecideQuote(quote2, both, alice, t1); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		// Valid until 2025-03-20 in Brasília: 03:00 UTC on the 21st is past it.
		late := time.Date(2025, 3, 21, 3, 0, 0, 0, time.UTC)
		if err := quoted(t, "open").DecideQuote(quote1, both, alice, late); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("err = %v", err)
		}
		if err := quoted(t, "open").DecideQuote(quote1, both, alice, late.Add(-time.Second)); err != nil {
			t.Fatalf("on the last second: %v", err)
		}
	})
	t.Run("order cancelled meanwhile", func(t *testing.T) {
		t.Parallel()
		o := quoted(t, "open")
		o.Apply(changed("quoted", "cancelled"))
		if err := o.DecideQuote(quote1, both, alice, t1); !errors.Is(err, errs.ErrIllegalTransition) {
			t.Fatalf("err = %v", err)
		}
	})
	cases := map[string]struct {
		in   serviceorder.DecisionInput
		want []string
	}{
		"empty":           {decide(), []string{"items:missing"}},
		"one missing":     {decide(line(1), true), []string{"items:missing"}},
		"unknown item":    {decide(line(1), true, line(2), true, line(7), false), []string{"items[2].id:unknown_value"}},
		"not a uuid":      {decide(line(1), true, "x", true), []string{"items[1].id:unknown_value"}},
		"blank id":        {decide(line(1), true, " ", true), []string{"items[1].id:required"}},
		"twice":           {decide(line(1), true, line(2), true, line(1), false), []string{"items[2].id:duplicate"}},
		"approved absent": {decide(line(1), nil, line(2), true), []string{"items[0].approved:required"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := quoted(t, "open")
			requireFieldCodes(t, o.DecideQuote(quote1, tc.in, alice, t1), tc.want)
			if len(o.Recorder().PopEvents()) != 0 {
				t.Fatal("a refused decision recorded events")
			}
		})
	}
}
