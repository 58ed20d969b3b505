package serviceorder_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/serviceorder"
)

var (
	orderID    = uuid.MustParse("0196a2f0-0000-7000-8000-000000000201")
	customerID = uuid.MustParse("0196a2f0-0000-7000-8000-000000000001")
	vehicleID  = uuid.MustParse("0196a2f0-0000-7000-8000-000000000101")
	t0         = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	t1         = t0.Add(2 * time.Hour)
	services   = catalog.Default()
)

func ptr[T any](v T) *T { return &v }

// opened is the stored opening of order 42 with one oil change.
func opened() serviceorder.Opened {
	return serviceorder.Opened{
		CustomerID: customerID, VehicleID: vehicleID, Number: 42, MileageKm: 45210, HasMileage: true,
		Description: "Revisão dos 45 mil",
		Items: []serviceorder.LineItem{
			{Line: 1, Service: "oil_change", Description: "Troca de óleo 5W30", Quantity: 1, UnitPriceCents: 18000, TotalCents: 18000},
		},
		TotalCents: 18000, OpenedAt: t0,
	}
}

func changed(from, to string) serviceorder.StatusChanged {
	return serviceorder.StatusChanged{CustomerID: customerID, From: from, To: to, ChangedAt: t0}
}

// inStatus returns the stored events of an order that reached status.
func inStatus(status string) []es.Event {
	paths := map[string][]es.Event{
		"open":        nil,
		"quoted":      {changed("open", "quoted")},
		"approved":    {changed("open", "quoted"), changed("quoted", "approved")},
		"in_progress": {changed("open", "in_progress")},
		"completed":   {changed("open", "in_progress"), changed("in_progress", "completed")},
		"delivered":   {changed("open", "in_progress"), changed("in_progress", "completed"), changed("completed", "delivered")},
		"cancelled":   {changed("open", "cancelled")},
	}
	path, ok := paths[status]
	if !ok {
		panic("no path to " + status)
	}
	return append([]es.Event{opened()}, path...)
}

func given(events ...es.Event) *serviceorder.ServiceOrder {
	o := serviceorder.Blank(orderID)
	for i, e := range events {
		o.Apply(e)
		o.Recorder().Replayed(int64(i + 1))
	}
	return o
}

func requireEvents(t *testing.T, o *serviceorder.ServiceOrder, want []es.Event) {
	t.Helper()
	got := o.Recorder().PopEvents()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("events:\n got  %#v\n want %#v", got, want)
	}
}

func requireFieldCodes(t *testing.T, err error, want []string) {
	t.Helper()
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *errs.ValidationError", err, err)
	}
	got := make([]string, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		if f.Message == "" {
			t.Errorf("field %s code %s has no message", f.Field, f.Code)
		}
		got = append(got, f.Field+":"+f.Code)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors = %v\nwant     %v", got, want)
	}
}

func validInput() serviceorder.OpenInput {
	return serviceorder.OpenInput{
		CustomerID: customerID.String(), VehicleID: vehicleID.String(), MileageKm: ptr[int64](45210),
		Description: "  Revisão dos 45 mil ",
		Items: []serviceorder.ItemInput{
			{Service: "oil_change", Description: "Troca de óleo 5W30", Quantity: 1, UnitPriceCents: 18000},
		},
	}
}

func TestServiceOrder_Open(t *testing.T) {
	t.Parallel()
	custom, err := services.WithCustom("lavagem_motor", "Lavagem do motor", 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		in       serviceorder.OpenInput
		services serviceorder.ServiceLookup
		want     serviceorder.Opened
	}{
		{name: "API example", in: validInput(), services: services, want: opened()},
		{
			name: "several items, no mileage, no description",
			in: serviceorder.OpenInput{
				CustomerID: customerID.String(), VehicleID: vehicleID.String(),
				Items: []serviceorder.ItemInput{
					{Service: "oil_change", Quantity: 1, UnitPriceCents: 18000},
					{Service: "oil_filter", Description: "Filtro \"original\" <Fram>", Quantity: 2, UnitPriceCents: 4550},
					{Service: "diagnostics", Description: "'; DROP TABLE service_orders; --", Quantity: 1, UnitPriceCents: 0},
				},
			},
			services: services,
			want: serviceorder.Opened{
				CustomerID: customerID, VehicleID: vehicleID, Number: 42,
				Items: []serviceorder.LineItem{
					{Line: 1, Service: "oil_change", Quantity: 1, UnitPriceCents: 18000, TotalCents: 18000},
					{Line: 2, Service: "oil_filter", Description: `Filtro "original" <Fram>`, Quantity: 2, UnitPriceCents: 4550, TotalCents: 9100},
					{Line: 3, Service: "diagnostics", Description: "'; DROP TABLE service_orders; --", Quantity: 1, TotalCents: 0},
				},
				TotalCents: 27100, OpenedAt: t0,
			},
		},
		{
			name: "no items, zero mileage, bounds",
			in: serviceorder.OpenInput{
				CustomerID: customerID.String(), VehicleID: vehicleID.String(), MileageKm: ptr[int64](0),
				Description: "Barulho na suspensão\n<script>alert(1)</script>",
			},
			services: services,
			want: serviceorder.Opened{
				CustomerID: customerID, VehicleID: vehicleID, Number: 42, HasMileage: true,
				Description: "Barulho na suspensão\n<script>alert(1)</script>", OpenedAt: t0,
			},
		},
		{
			name: "custom service of the workshop, max quantity",
			in: serviceorder.OpenInput{
				CustomerID: customerID.String(), VehicleID: vehicleID.String(),
				Items: []serviceorder.ItemInput{{Service: "lavagem_motor", Quantity: 10_000, UnitPriceCents: 1}},
			},
			services: custom,
			want: serviceorder.Opened{
				CustomerID: customerID, VehicleID: vehicleID, Number: 42,
				Items:      []serviceorder.LineItem{{Line: 1, Service: "lavagem_motor", Quantity: 10_000, UnitPriceCents: 1, TotalCents: 10_000}},
				TotalCents: 10_000, OpenedAt: t0,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := serviceorder.Open(orderID, 42, tt.in, tt.services, t0)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			requireEvents(t, o, []es.Event{tt.want})
		})
	}
}

func TestServiceOrder_Open_state(t *testing.T) {
	t.Parallel()
	o, err := serviceorder.Open(orderID, 42, validInput(), services, t0)
	if err != nil {
		t.Fatal(err)
	}
	loaded := given(o.Recorder().PopEvents()...)
	for _, x := range []*serviceorder.ServiceOrder{o, loaded} {
		km, ok := x.MileageKm()
		if x.Number() != 42 || x.CustomerID() != customerID || x.VehicleID() != vehicleID || x.Status() != serviceorder.StatusOpen ||
			x.TotalCents() != 18000 || !ok || km != 45210 || x.Description() != "Revisão dos 45 mil" || !x.OpenedAt().Equal(t0) ||
			x.ID() != orderID || x.MechanicID() != "" {
			t.Fatalf("state = %+v", x)
		}
		want := []serviceorder.Item{{Line: 1, Service: "oil_change", Description: "Troca de óleo 5W30", Quantity: 1, UnitPriceCents: 18000, TotalCents: 18000}}
		if got := x.Items(); !reflect.DeepEqual(got, want) {
			t.Fatalf("items = %+v", got)
		}
		if got := x.StatusHistory(); !reflect.DeepEqual(got, []serviceorder.StatusChange{{To: serviceorder.StatusOpen, At: t0}}) {
			t.Fatalf("history = %+v", got)
		}
	}
}

func TestServiceOrder_Open_validation(t *testing.T) {
	t.Parallel()
	with := func(f func(*serviceorder.OpenInput)) serviceorder.OpenInput { in := validInput(); f(&in); return in }
	item := func(service string, qty, price int64) serviceorder.ItemInput {
		return serviceorder.ItemInput{Service: service, Quantity: qty, UnitPriceCents: price}
	}
	tooMany := make([]serviceorder.ItemInput, 101)
	for i := range tooMany {
		tooMany[i] = item("other", 1, 1)
	}
	tests := []struct {
		name   string
		number int64
		in     serviceorder.OpenInput
		want   []string
	}{
		{"number", 0, validInput(), []string{"number:out_of_range"}},
		{"missing customer", 42, with(func(in *serviceorder.OpenInput) { in.CustomerID = "" }), []string{"customer_id:required"}},
		{"nil customer", 42, with(func(in *serviceorder.OpenInput) { in.CustomerID = uuid.Nil.String() }), []string{"customer_id:required"}},
		{"bad vehicle", 42, with(func(in *serviceorder.OpenInput) { in.VehicleID = "car-1" }), []string{"vehicle_id:invalid_format"}},
		{"negative mileage", 42, with(func(in *serviceorder.OpenInput) { in.MileageKm = ptr[int64](-1) }), []string{"mileage_km:out_of_range"}},
		{"description too long", 42, with(func(in *serviceorder.OpenInput) { in.Description = strings.Repeat("ã", 2001) }), []string{"description:too_long"}},
		{"description with control", 42, with(func(in *serviceorder.OpenInput) { in.Description = "a\x00b" }), []string{"description:invalid_format"}},
		{"101 items", 42, with(func(in *serviceorder.OpenInput) { in.Items = tooMany }), []string{"items:too_many"}},
		{"unknown service", 42, with(func(in *serviceorder.OpenInput) { in.Items = []serviceorder.ItemInput{item("lavagem", 1, 1)} }), []string{"items[0].service:unknown_value"}},
		{"malformed service", 42, with(func(in *serviceorder.OpenInput) {
			in.Items = []serviceorder.ItemInput{item("other", 1, 1), item("Oil Change", 1, 1)}
		}), []string{"items[1].service:invalid_format"}},
		{"missing service", 42, with(func(in *serviceorder.OpenInput) { in.Items = []serviceorder.ItemInput{item("", 1, 1)} }), []string{"items[0].service:required"}},
		{"zero quantity", 42, with(func(in *serviceorder.OpenInput) { in.Items = []serviceorder.ItemInput{item("other", 0, 1)} }), []string{"items[0].quantity:out_of_range"}},
		{"huge quantity", 42, with(func(in *serviceorder.OpenInput) { in.Items = []serviceorder.ItemInput{item("other", 10_001, 1)} }), []string{"items[0].quantity:out_of_range"}},
		{"negative price", 42, with(func(in *serviceorder.OpenInput) { in.Items = []serviceorder.ItemInput{item("other", 1, -1)} }), []string{"items[0].unit_price_cents:out_of_range"}},
		{"line total overflow", 42, with(func(in *serviceorder.OpenInput) {
			in.Items = []serviceorder.ItemInput{item("other", 2, math.MaxInt64/2+1)}
		}), []string{"items[0].unit_price_cents:out_of_range"}},
		{"order total overflow", 42, with(func(in *serviceorder.OpenInput) {
			in.Items = []serviceorder.ItemInput{item("other", 1, math.MaxInt64), item("other", 1, 1), item("other", 1, 1)}
		}), []string{"items:out_of_range"}},
		{"item description too long", 42, with(func(in *serviceorder.OpenInput) {
			in.Items = []serviceorder.ItemInput{{Service: "other", Description: strings.Repeat("x", 501), Quantity: 1}}
		}), []string{"items[0].description:too_long"}},
		{
			name: "every field at fault", number: -1,
			in: serviceorder.OpenInput{
				CustomerID: "x", MileageKm: ptr[int64](2_000_001), Description: strings.Repeat("d", 2001),
				Items: []serviceorder.ItemInput{
					{Service: "nope", Description: "a\nb", Quantity: 0, UnitPriceCents: -5},
					item("oil_change", 1, 1),
					item("brake_pads", 20_000, 1),
				},
			},
			want: []string{
				"number:out_of_range", "customer_id:invalid_format", "vehicle_id:required", "mileage_km:out_of_range",
				"description:too_long",
				"items[0].service:unknown_value", "items[0].description:invalid_format", "items[0].quantity:out_of_range",
				"items[0].unit_price_cents:out_of_range", "items[2].quantity:out_of_range",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := serviceorder.Open(orderID, tt.number, tt.in, services, t0)
			if o != nil {
				t.Fatal("Open returned an order along with the error")
			}
			requireFieldCodes(t, err, tt.want)
		})
	}
}

func TestServiceOrder_ChangeStatus(t *testing.T) {
	t.Parallel()
	legal := map[string][]string{
		"open":        {"quoted", "approved", "in_progress", "cancelled"},
		"quoted":      {"approved", "cancelled"},
		"approved":    {"in_progress", "cancelled"},
		"in_progress": {"completed", "cancelled"},
		"completed":   {"delivered", "cancelled"},
		"delivered":   nil,
		"cancelled":   nil,
	}
	all := []string{"open", "quoted", "approved", "in_progress", "completed", "delivered", "cancelled"}
	for _, from := range all {
		for _, to := range all {
			isLegal := false
			for _, l := range legal[from] {
				isLegal = isLegal || l == to
			}
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				t.Parallel()
				o := given(inStatus(from)...)
				err := o.ChangeStatus(to, " Carro pronto, pode buscar! ", t1)
				if !isLegal {
					var te *serviceorder.TransitionError
					if !errors.As(err, &te) || !errors.Is(err, errs.ErrIllegalTransition) ||
						te.From.String() != from || te.To.String() != to {
						t.Fatalf("err = %v, want a TransitionError from %s to %s", err, from, to)
					}
					if !strings.Contains(err.Error(), from) || !strings.Contains(err.Error(), to) {
						t.Fatalf("error %q does not name both statuses", err)
					}
					requireEvents(t, o, nil)
					return
				}
				if err != nil {
					t.Fatalf("ChangeStatus: %v", err)
				}
				requireEvents(t, o, []es.Event{serviceorder.StatusChanged{
					CustomerID: customerID, From: from, To: to, Note: "Carro pronto, pode buscar!", ChangedAt: t1,
				}})
				if o.Status().String() != to {
					t.Fatalf("status = %s", o.Status())
				}
			})
		}
	}
}

func TestServiceOrder_ChangeStatus_validation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, to, note string
		want           []string
	}{
		{"unknown status", "finished", "", []string{"status:unknown_value"}},
		{"wrong case", "IN_PROGRESS", "", []string{"status:unknown_value"}},
		{"missing status", " ", "", []string{"status:required"}},
		{"note too long", "in_progress", strings.Repeat("n", 1001), []string{"note:too_long"}},
		{"both", "done", "a\x07", []string{"status:unknown_value", "note:invalid_format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := given(opened())
			requireFieldCodes(t, o.ChangeStatus(tt.to, tt.note, t1), tt.want)
			requireEvents(t, o, nil)
		})
	}
}

func TestServiceOrder_StatusHistory(t *testing.T) {
	t.Parallel()
	o := given(inStatus("delivered")...)
	var got []string
	for _, c := range o.StatusHistory() {
		got = append(got, c.From.String()+">"+c.To.String())
	}
	want := []string{">open", "open>in_progress", "in_progress>completed", "completed>delivered"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("history = %v", got)
	}
	if !o.Status().IsFinal() || o.Status() != serviceorder.StatusDelivered {
		t.Fatalf("status = %v", o.Status())
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for _, want := range []serviceorder.Status{
		serviceorder.StatusOpen, serviceorder.StatusQuoted, serviceorder.StatusApproved, serviceorder.StatusInProgress,
		serviceorder.StatusCompleted, serviceorder.StatusDelivered, serviceorder.StatusCancelled,
	} {
		got, err := serviceorder.ParseStatus(want.String())
		if err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %v, %v", want, got, err)
		}
	}
}

func TestServiceOrder_AddItem(t *testing.T) {
	t.Parallel()
	brakes := serviceorder.ItemInput{Service: "brake_pads", Description: "Pastilhas dianteiras", Quantity: 1, UnitPriceCents: 25000}
	tests := []struct {
		name    string
		given   []es.Event
		in      serviceorder.ItemInput
		want    []es.Event
		fields  []string
		wantErr error
	}{
		{
			name: "to an open order", given: inStatus("open"), in: brakes,
			want: []es.Event{serviceorder.ItemAdded{
				CustomerID: customerID, TotalCents: 43000, AddedAt: t1,
				Item: serviceorder.LineItem{Line: 2, Service: "brake_pads", Description: "Pastilhas dianteiras", Quantity: 1, UnitPriceCents: 25000, TotalCents: 25000},
			}},
		},
		{
			name: "line numbers are not reused after a removal",
			given: append(inStatus("quoted"),
				serviceorder.ItemAdded{CustomerID: customerID, Item: serviceorder.LineItem{Line: 2, Service: "other", Quantity: 1, UnitPriceCents: 1, TotalCents: 1}, TotalCents: 18001, AddedAt: t0},
				serviceorder.ItemRemoved{CustomerID: customerID, Line: 2, TotalCents: 18000, RemovedAt: t0},
			),
			in: brakes,
			want: []es.Event{serviceorder.ItemAdded{
				CustomerID: customerID, TotalCents: 43000, AddedAt: t1,
				Item: serviceorder.LineItem{Line: 3, Service: "brake_pads", Description: "Pastilhas dianteiras", Quantity: 1, UnitPriceCents: 25000, TotalCents: 25000},
			}},
		},
		{name: "approved order", given: inStatus("approved"), in: brakes, wantErr: errs.ErrIllegalTransition},
		{name: "in progress order", given: inStatus("in_progress"), in: brakes, wantErr: errs.ErrIllegalTransition},
		{name: "cancelled order", given: inStatus("cancelled"), in: brakes, wantErr: errs.ErrIllegalTransition},
		{
			name: "invalid item", given: inStatus("open"), in: serviceorder.ItemInput{Service: "xx", Quantity: -1, UnitPriceCents: -1},
			fields: []string{"service:unknown_value", "quantity:out_of_range", "unit_price_cents:out_of_range"},
		},
		{
			name: "order total overflow", given: inStatus("open"), in: serviceorder.ItemInput{Service: "other", Quantity: 1, UnitPriceCents: math.MaxInt64},
			fields: []string{"items:out_of_range"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := given(tt.given...)
			err := o.AddItem(tt.in, services, t1)
			switch {
			case tt.fields != nil:
				requireFieldCodes(t, err, tt.fields)
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("AddItem: %v", err)
			}
			requireEvents(t, o, tt.want)
		})
	}
}

func TestServiceOrder_AddItem_limit(t *testing.T) {
	t.Parallel()
	in := validInput()
	in.Items = nil
	for range 100 {
		in.Items = append(in.Items, serviceorder.ItemInput{Service: "other", Quantity: 1, UnitPriceCents: 100})
	}
	o, err := serviceorder.Open(orderID, 1, in, services, t0)
	if err != nil {
		t.Fatal(err)
	}
	if o.TotalCents() != 10_000 || len(o.Items()) != 100 {
		t.Fatalf("total %d, %d items", o.TotalCents(), len(o.Items()))
	}
	requireFieldCodes(t, o.AddItem(in.Items[0], services, t1), []string{"items:too_many"})
}

func TestServiceOrder_RemoveItem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		given   []es.Event
		line    int64
		want    []es.Event
		wantErr error
	}{
		{
			name: "from an open order", given: inStatus("open"), line: 1,
			want: []es.Event{serviceorder.ItemRemoved{CustomerID: customerID, Line: 1, TotalCents: 0, RemovedAt: t1}},
		},
		{
			name: "from a quoted order", given: inStatus("quoted"), line: 1,
			want: []es.Event{serviceorder.ItemRemoved{CustomerID: customerID, Line: 1, TotalCents: 0, RemovedAt: t1}},
		},
		{name: "unknown line", given: inStatus("open"), line: 7, wantErr: errs.ErrNotFound},
		{name: "completed order", given: inStatus("completed"), line: 1, wantErr: errs.ErrIllegalTransition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := given(tt.given...)
			err := o.RemoveItem(tt.line, t1)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("RemoveItem: %v", err)
			}
			requireEvents(t, o, tt.want)
		})
	}
}

func TestServiceOrder_RemoveItem_state(t *testing.T) {
	t.Parallel()
	o := given(opened())
	if err := o.AddItem(serviceorder.ItemInput{Service: "other", Quantity: 3, UnitPriceCents: 1000}, services, t1); err != nil {
		t.Fatal(err)
	}
	if err := o.RemoveItem(1, t1); err != nil {
		t.Fatal(err)
	}
	if o.TotalCents() != 3000 || len(o.Items()) != 1 || o.Items()[0].Line != 2 {
		t.Fatalf("total %d items %+v", o.TotalCents(), o.Items())
	}
}

func TestServiceOrder_AssignMechanic(t *testing.T) {
	t.Parallel()
	const mech = "5b0b3b0e-1c59-4a39-9d34-0d5cbb0c0a11"
	tests := []struct {
		name    string
		given   []es.Event
		id      string
		want    []es.Event
		fields  []string
		wantErr error
	}{
		{
			name: "open order", given: inStatus("open"), id: " " + mech + " ",
			want: []es.Event{serviceorder.MechanicAssigned{CustomerID: customerID, MechanicID: mech, AssignedAt: t1}},
		},
		{
			name:  "in progress, another mechanic",
			given: append(inStatus("in_progress"), serviceorder.MechanicAssigned{CustomerID: customerID, MechanicID: "other", AssignedAt: t0}),
			id:    mech,
			want:  []es.Event{serviceorder.MechanicAssigned{CustomerID: customerID, MechanicID: mech, AssignedAt: t1}},
		},
		{
			name:  "same mechanic again",
			given: append(inStatus("open"), serviceorder.MechanicAssigned{CustomerID: customerID, MechanicID: mech, AssignedAt: t0}),
			id:    mech,
		},
		{name: "completed order", given: inStatus("completed"), id: mech, wantErr: errs.ErrIllegalTransition},
		{name: "missing id", given: inStatus("open"), id: "", fields: []string{"mechanic_id:required"}},
		{name: "id with spaces", given: inStatus("open"), id: "a b", fields: []string{"mechanic_id:invalid_format"}},
		{name: "id too long", given: inStatus("open"), id: strings.Repeat("a", 101), fields: []string{"mechanic_id:too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := given(tt.given...)
			err := o.AssignMechanic(tt.id, t1)
			switch {
			case tt.fields != nil:
				requireFieldCodes(t, err, tt.fields)
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("AssignMechanic: %v", err)
			}
			requireEvents(t, o, tt.want)
		})
	}
}

func TestServiceOrder_unopenedRefusesCommands(t *testing.T) {
	t.Parallel()
	o := given()
	for name, err := range map[string]error{
		"AddItem":        o.AddItem(serviceorder.ItemInput{Service: "other", Quantity: 1}, services, t1),
		"RemoveItem":     o.RemoveItem(1, t1),
		"ChangeStatus":   o.ChangeStatus("in_progress", "", t1),
		"AssignMechanic": o.AssignMechanic("m", t1),
	} {
		if !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", name, err)
		}
	}
	requireEvents(t, o, nil)
}

func TestServiceOrder_Apply_unknownStoredValues(t *testing.T) {
	t.Parallel()
	o := given(opened(), serviceorder.StatusChanged{CustomerID: customerID, From: "open", To: "waiting_parts", ChangedAt: t0})
	if o.Status().String() != "waiting_parts" {
		t.Fatalf("status = %q", o.Status())
	}
	var te *serviceorder.TransitionError
	if err := o.ChangeStatus("in_progress", "", t1); !errors.As(err, &te) {
		t.Fatalf("err = %v", err)
	}
}

func TestServiceOrder_EventNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    es.Event
		name string
	}{
		{serviceorder.Opened{}, "service_order.opened.v1"},
		{serviceorder.ItemAdded{}, "service_order.item_added.v1"},
		{serviceorder.ItemRemoved{}, "service_order.item_removed.v1"},
		{serviceorder.StatusChanged{}, "service_order.status_changed.v1"},
		{serviceorder.MechanicAssigned{}, "service_order.mechanic_assigned.v1"},
	}
	for _, tt := range tests {
		if got := tt.e.EventName(); got != tt.name {
			t.Errorf("%T.EventName() = %q, want %q", tt.e, got, tt.name)
		}
	}
}
