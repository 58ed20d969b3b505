package crypto_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// The free text of service orders is the customer's personal data (issue
// 10, item 9): sealed with their key in new events, the erased placeholder
// after their erasure, while events stored in the clear before still load.
func TestServiceOrderFreeText_sealedOpenedAndShreddedIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	codec := eventcodec.New()
	eventcodec.RegisterCatalogues(codec, serviceorder.Events)
	codec.SetPayloadHook(c.PayloadHook())
	tn, customerID, orderID := newTenant(), newSubject(), newSubject()
	ctx := tctx(tn)
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	secrets := []string{"Barulho quando a Dona Cida freia", "Pastilha p/ Sr. Anésio", "Ligar para a esposa dele", "Cliente pediu desconto"}
	events := []es.Event{
		serviceorder.Opened{CustomerID: customerID, Number: 1, Description: secrets[0], TotalCents: 100, OpenedAt: at,
			Items: []serviceorder.LineItem{{Line: 1, Service: "brakes", Description: secrets[1], Quantity: 1, UnitPriceCents: 100, TotalCents: 100}}},
		serviceorder.ItemAdded{CustomerID: customerID, Item: serviceorder.LineItem{Line: 2, Service: "oil", Description: secrets[1], Quantity: 1}, AddedAt: at},
		serviceorder.StatusChanged{CustomerID: customerID, From: "open", To: "in_progress", Note: secrets[2], ChangedAt: at},
		serviceorder.QuoteSent{CustomerID: customerID, Version: 1, Note: secrets[3], SentAt: at,
			Items: []serviceorder.QuoteLine{{Service: "brakes", Description: secrets[1], Quantity: 1, UnitPriceCents: 100, TotalCents: 100}}},
	}
	payloads := make([][]byte, len(events))
	for i, e := range events {
		enc, err := codec.Encode(ctx, tn.String(), orderID.String(), e)
		if err != nil {
			t.Fatal(err)
		}
		if enc.Schema != 2 {
			t.Errorf("%s encoded at schema %d", e.EventName(), enc.Schema)
		}
		for _, s := range secrets {
			if strings.Contains(string(enc.Payload), s) {
				t.Errorf("%s stores %q in the clear: %s", e.EventName(), s, enc.Payload)
			}
		}
		if !strings.Contains(string(enc.Payload), `"brakes"`) && !strings.Contains(string(enc.Payload), `"oil"`) && e.EventName() != "service_order.status_changed.v1" {
			t.Errorf("%s hides the services too: %s", e.EventName(), enc.Payload)
		}
		back, err := codec.Decode(ctx, tn.String(), orderID.String(), e.EventName(), 2, enc.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("%s: decoded %+v, want %+v", e.EventName(), back, e)
		}
		payloads[i] = enc.Payload
	}

	// A description moved to another item does not open.
	var opened map[string]json.RawMessage
	_ = json.Unmarshal(payloads[0], &opened)
	var items []map[string]json.RawMessage
	_ = json.Unmarshal(opened["Items"], &items)
	items = append(items, map[string]json.RawMessage{"Line": json.RawMessage("2"), "Description": items[0]["Description"]})
	opened["Items"], _ = json.Marshal(items)
	moved, _ := json.Marshal(opened)
	if _, err := codec.Decode(ctx, tn.String(), orderID.String(), "service_order.opened.v1", 2, moved); !errors.Is(err, privacy.ErrTampered) {
		t.Errorf("a sealed description copied to another item: %v", err)
	}
	// Free text in the clear in a schema-2 payload is tampering.
	clear, err := os.ReadFile("../../internal/wiring/testdata/events/service_order.opened.v1@1.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := codec.Decode(ctx, tn.String(), orderID.String(), "service_order.opened.v1", 2, clear); !errors.Is(err, privacy.ErrTampered) {
		t.Errorf("clear text at schema 2: %v", err)
	}

	// Events stored in the clear before (schema 1) still load.
	for _, name := range []string{"service_order.opened.v1", "service_order.item_added.v1", "service_order.status_changed.v1", "service_order.quote_sent.v1"} {
		old, err := os.ReadFile("../../internal/wiring/testdata/events/" + name + "@1.json")
		if err != nil {
			t.Fatal(err)
		}
		// The golden payloads name a fixed customer; any tenant opens them.
		if _, err := codec.Decode(ctx, tn.String(), orderID.String(), name, 1, old); err != nil {
			t.Errorf("%s of schema 1 (clear) no longer loads: %v", name, err)
		}
	}

	// After the customer's erasure the text reads as the placeholder; the
	// services, quantities and prices stay.
	if err := c.Shred(ctx, customerID); err != nil {
		t.Fatal(err)
	}
	for i, e := range events {
		back, err := codec.Decode(ctx, tn.String(), orderID.String(), e.EventName(), 2, payloads[i])
		if err != nil {
			t.Fatalf("%s after erasure: %v", e.EventName(), err)
		}
		switch ev := back.(type) {
		case serviceorder.Opened:
			if ev.Description != privacy.Placeholder || ev.Items[0].Description != privacy.Placeholder ||
				ev.Items[0].Service != "brakes" || ev.Items[0].TotalCents != 100 || ev.TotalCents != 100 {
				t.Errorf("opened after erasure: %+v", ev)
			}
		case serviceorder.ItemAdded:
			if ev.Item.Description != privacy.Placeholder || ev.Item.Service != "oil" {
				t.Errorf("item after erasure: %+v", ev)
			}
		case serviceorder.StatusChanged:
			if ev.Note != privacy.Placeholder || ev.To != "in_progress" {
				t.Errorf("status after erasure: %+v", ev)
			}
		case serviceorder.QuoteSent:
			if ev.Note != privacy.Placeholder || ev.Items[0].Description != privacy.Placeholder || ev.Items[0].TotalCents != 100 {
				t.Errorf("quote after erasure: %+v", ev)
			}
		}
	}
	// New free text about an erased customer is refused, never stored.
	if _, err := codec.Encode(ctx, tn.String(), orderID.String(), serviceorder.StatusChanged{CustomerID: customerID,
		From: "in_progress", To: "completed", Note: "Entregue ao Sr. Anésio", ChangedAt: at}); !errors.Is(err, privacy.ErrErased) {
		t.Errorf("note of an erased customer: %v", err)
	}
}
