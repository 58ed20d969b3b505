package customer_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

var (
	custID = uuid.MustParse("0196a2f0-0000-7000-8000-000000000001")
	noteID = uuid.MustParse("0196a2f0-0000-7000-8000-0000000000aa")
	t0     = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	t1     = t0.Add(24 * time.Hour)
)

// given rebuilds a customer from stored events, as the repository does.
func given(events ...es.Event) *customer.Customer {
	c := customer.Blank(custID)
	for i, e := range events {
		c.Apply(e)
		c.Recorder().Replayed(int64(i + 1))
	}
	return c
}

// registered is the stored Registered event of Maria, the usual customer.
func registered() customer.Registered {
	return customer.Registered{
		CustomerID:    custID,
		Name:          "Maria da Silva",
		Document:      "52998224725",
		DocumentType:  "cpf",
		Email:         "maria@example.com",
		MobilePhone:   "+5511987654321",
		LandlinePhone: "+551134567890",
		Street:        "Rua das Flores",
		Number:        "123",
		Complement:    "apto 4",
		District:      "Centro",
		City:          "São Paulo",
		State:         "SP",
		PostalCode:    "01001000",
		RegisteredAt:  t0,
	}
}

func marketingGiven(at time.Time) customer.ConsentGiven {
	return customer.ConsentGiven{CustomerID: custID, Purpose: "marketing", Channel: "all", Source: "api", GivenAt: at}
}

// fieldCodes flattens a validation error into "field:code" strings.
func fieldCodes(t *testing.T, err error) []string {
	t.Helper()
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *errs.ValidationError", err, err)
	}
	out := make([]string, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		if f.Message == "" {
			t.Errorf("field %s code %s has no message", f.Field, f.Code)
		}
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

// requireFieldCodes asserts err is a validation error listing exactly want.
func requireFieldCodes(t *testing.T, err error, want []string) {
	t.Helper()
	if got := fieldCodes(t, err); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors = %v\nwant     %v", got, want)
	}
}

// requireEvents asserts the aggregate recorded exactly want.
func requireEvents(t *testing.T, c *customer.Customer, want []es.Event) {
	t.Helper()
	got := c.Recorder().PopEvents()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("events:\n got  %#v\n want %#v", got, want)
	}
}

func runes(n int, r rune) string { return strings.Repeat(string(r), n) }
