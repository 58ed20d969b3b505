package customer_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/es"
)

// Events are stored with encoding/json: every field must survive the trip.
func TestEvents_jsonRoundTrip(t *testing.T) {
	t.Parallel()
	events := []es.Event{
		registered(), marketingGiven(t0),
		customer.Corrected{CustomerID: custID, Changed: []string{"name", "document"}, Name: "M", Document: "11222333000181", DocumentType: "cnpj", CorrectedAt: t1},
		customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "oi\n<b>", AddedAt: t1},
		customer.ConsentWithdrawn{CustomerID: custID, Purpose: "marketing", Source: "api", WithdrawnAt: t1},
		customer.Erased{CustomerID: custID, ErasedAt: t1},
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
