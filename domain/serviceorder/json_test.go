package serviceorder_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/serviceorder"
)

// Events are stored with encoding/json: every field must survive the trip.
func TestEvents_jsonRoundTrip(t *testing.T) {
	t.Parallel()
	events := []es.Event{
		opened(),
		serviceorder.ItemAdded{CustomerID: customerID, Item: serviceorder.LineItem{Line: 2, Service: "other", Quantity: 1, UnitPriceCents: 5, TotalCents: 5}, TotalCents: 18005, AddedAt: t1},
		serviceorder.ItemRemoved{CustomerID: customerID, Line: 2, TotalCents: 18000, RemovedAt: t1},
		serviceorder.StatusChanged{CustomerID: customerID, From: "open", To: "in_progress", Note: "ok", ChangedAt: t1},
		serviceorder.MechanicAssigned{CustomerID: customerID, MechanicID: "m", AssignedAt: t1},
	}
	for _, e := range events {
		requireRoundTrip(t, e)
	}
}

func requireRoundTrip(t *testing.T, e es.Event) {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("%T: %v", e, err)
	}
	back := reflect.New(reflect.TypeOf(e))
	if err := json.Unmarshal(b, back.Interface()); err != nil {
		t.Fatalf("%T: %v", e, err)
	}
	if got := back.Elem().Interface(); !reflect.DeepEqual(got, e) {
		t.Fatalf("%T round trip:\n got  %#v\n want %#v", e, got, e)
	}
}
