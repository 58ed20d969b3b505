package httpapi

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
)

// A mechanic's view has no personal field at all; a view with the contact
// shows every personal field, null where the customer has none; a customer
// 360 shows its vehicles, [] when there are none.
func TestCustomerJSON_personalFieldsAbsentNullOrSet(t *testing.T) {
	t.Parallel()
	c := customers.Customer{ID: uuid.New(), Name: "Maria"}
	decode := func(v customerJSON) map[string]any {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	mechanic := decode(toCustomerJSON(c, false))
	for _, k := range []string{"document", "document_type", "email", "phones", "address", "vehicles"} {
		if _, ok := mechanic[k]; ok {
			t.Errorf("mechanic's view has %q: %v", k, mechanic)
		}
	}
	c.Contact = &customers.Contact{Document: "52998224725", DocumentType: "cpf"}
	owner := decode(toCustomerJSON(c, true))
	if owner["document"] != "52998224725" || owner["document_type"] != "cpf" || owner["name"] != "Maria" {
		t.Errorf("owner's view: %v", owner)
	}
	if v, ok := owner["email"]; !ok || v != nil {
		t.Errorf("an absent e-mail must show as null: %v", owner)
	}
	if p, ok := owner["phones"].(map[string]any); !ok || p["mobile"] != nil {
		t.Errorf("phones: %v", owner["phones"])
	}
	if vs, ok := owner["vehicles"].([]any); !ok || len(vs) != 0 {
		t.Errorf("vehicles of a customer 360 without any: %v", owner["vehicles"])
	}
}
