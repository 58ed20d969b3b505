package vehicle_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/vehicle"
)

// Events are stored with encoding/json: every field must survive the trip.
func TestEvents_jsonRoundTrip(t *testing.T) {
	t.Parallel()
	events := []es.Event{
		gol, reading,
		vehicle.Corrected{CustomerID: maria, Changed: []string{"plate", "year"}, Plate: "ABC1C34", Year: 2020, CorrectedAt: t1},
		vehicle.OdometerReplaced{CustomerID: maria, PreviousKm: 45210, ReplacedAt: t1},
		vehicle.Transferred{CustomerID: joao, PreviousCustomerID: maria, Plate: "BRA2E19", TransferredAt: t1},
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
