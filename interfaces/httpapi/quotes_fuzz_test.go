package httpapi_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/interfaces/httpapi"
)

var (
	fuzzLine1 = uuid.MustParse("0190f1b3-7a1c-7abc-8def-0123456789ab")
	fuzzLine2 = uuid.MustParse("0190f1b3-7a1d-7abc-8def-0123456789ab")
	fuzzQuote = uuid.MustParse("0190f1b3-7a1b-7abc-8def-0123456789ab")
)

// quotedOrder is an order waiting for the decision on a two-line quote.
func quotedOrder() *serviceorder.ServiceOrder {
	at := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	o := serviceorder.Blank(uuid.MustParse("0190f1b3-3c4d-7abc-8def-0123456789ab"))
	cust := uuid.MustParse("0190f1b3-1c2d-7abc-8def-0123456789ab")
	o.Apply(serviceorder.Opened{CustomerID: cust, Number: 1, OpenedAt: at})
	o.Apply(serviceorder.QuoteSent{CustomerID: cust, QuoteID: fuzzQuote, Version: 1, Items: []serviceorder.QuoteLine{
		{ID: fuzzLine1, Service: "oil_change", Quantity: 1, UnitPriceCents: 100, TotalCents: 100},
		{ID: fuzzLine2, Service: "tires", Quantity: 4, UnitPriceCents: 100, TotalCents: 400},
	}, TotalCents: 500, SentAt: at})
	o.Apply(serviceorder.StatusChanged{CustomerID: cust, From: "open", To: "quoted", ChangedAt: at})
	return o
}

// The decision body comes from the car owner's browser: any bytes must
// decode to a decision or to a 4xx problem, and a decoded decision must be
// recorded or refused as a validation error (422), never panic or fail
// otherwise.
func FuzzDecodeDecision(f *testing.F) {
	for _, s := range []string{
		`{"items":[{"id":"0190f1b3-7a1c-7abc-8def-0123456789ab","approved":true},{"id":"0190f1b3-7a1d-7abc-8def-0123456789ab","approved":false}]}`,
		`{"items":[{"id":"0190f1b3-7a1c-7abc-8def-0123456789ab","approved":true},{"id":"0190f1b3-7a1c-7abc-8def-0123456789ab","approved":true}]}`,
		`{"items":[{"id":"x","approved":false},{"id":"","approved":null}]}`,
		`{"items":[]}`, `{}`, `[]`, `null`, `{"items":"x"}`, `{"items":[{"approved":"sim"}]}`,
		`{"items":[{"id":1e999}]}`, "{\"items\":[{\"id\":\"\xff\"}]}", `{"items":[{"id":"a","approved":true,"x":1}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := httpapi.DecodeDecision(body)
		if err != nil {
			var re *httpapi.RequestError
			if !errors.As(err, &re) || re.Problem.Status < 400 || re.Problem.Status >= 500 {
				t.Fatalf("DecodeDecision(%q) = %v, want a 4xx problem", body, err)
			}
			return
		}
		err = quotedOrder().DecideQuote(fuzzQuote, in, serviceorder.Evidence{ActorID: "a", IP: "203.0.113.1"}, time.Date(2025, 3, 14, 13, 0, 0, 0, time.UTC))
		var ve *errs.ValidationError
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("decision %q: %v, want nil or a validation error", body, err)
		}
		if err == nil && len(in.Items) != 2 {
			t.Fatalf("decision %q accepted with %d items for a two-line quote", body, len(in.Items))
		}
	})
}
