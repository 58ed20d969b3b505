package booking_test

import (
	"errors"
	"testing"
	"time"

	"github.com/torquehq/torque/application/booking"
	domain "github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/errs"
)

var now = time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)

func saoPaulo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseSlotQuery(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	q, err := booking.ParseSlotQuery(booking.SlotQueryInput{Services: "oil_change, alignment_balancing,oil_change", From: "2026-12-07", To: "2026-12-07"}, loc, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Services) != 2 || q.Services[0] != "oil_change" || q.Services[1] != "alignment_balancing" {
		t.Errorf("services %v", q.Services)
	}
	// Local days: 07 Dec 00:00 to 08 Dec 00:00 in São Paulo (UTC−3).
	if q.From != time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) || q.To != time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC) {
		t.Errorf("range %s – %s", q.From, q.To)
	}
	q, err = booking.ParseSlotQuery(booking.SlotQueryInput{Services: "oil_change"}, loc, now)
	if err != nil || !q.From.Equal(now) || q.To.Sub(q.From) != 7*24*time.Hour {
		t.Errorf("defaults %v %v", q, err)
	}
	q, err = booking.ParseSlotQuery(booking.SlotQueryInput{Services: "oil_change", From: "2026-12-07T08:00:00-03:00", To: "2026-12-07T12:00:00-03:00"}, loc, now)
	if err != nil || q.To.Sub(q.From) != 4*time.Hour {
		t.Errorf("instants %v %v", q, err)
	}
	for name, in := range map[string]booking.SlotQueryInput{
		"no services":    {},
		"blank service":  {Services: "oil_change,,"},
		"bad code":       {Services: "Óleo"},
		"too many":       {Services: "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11"},
		"bad from":       {Services: "oil_change", From: "amanhã"},
		"bad to":         {Services: "oil_change", To: "2026-02-30"},
		"to before from": {Services: "oil_change", From: "2026-12-07", To: "2026-12-01"},
		"too long":       {Services: "oil_change", From: "2026-12-01", To: "2027-01-15"},
		"year 0":         {Services: "oil_change", From: "0000-01-01T00:00:00Z"},
		"huge to":        {Services: "oil_change", To: "9999-12-31T23:59:59Z"},
	} {
		_, err := booking.ParseSlotQuery(in, loc, now)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzParseSlotQuery: any query either parses into a bounded range with
// 1–10 distinct services, or is a validation error; it never panics.
func FuzzParseSlotQuery(f *testing.F) {
	for _, s := range [][3]string{
		{"oil_change,alignment_balancing", "2026-12-07", "2026-12-08"},
		{"oil_change", "", ""},
		{"", "2026-12-07T08:00:00-03:00", "2026-12-07T08:00:00Z"},
		{",,,", "9999-99-99", "-1"},
		{"a,b,c,d,e,f,g,h,i,j,k", "2026-01-01", "2026-12-31"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	loc := saoPaulo(f)
	f.Fuzz(func(t *testing.T, services, from, to string) {
		q, err := booking.ParseSlotQuery(booking.SlotQueryInput{Services: services, From: from, To: to}, loc, now)
		if err != nil {
			var ve *errs.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("non-validation error %v", err)
			}
			return
		}
		if len(q.Services) == 0 || len(q.Services) > booking.MaxServicesPerBooking {
			t.Fatalf("services %v", q.Services)
		}
		seen := map[string]bool{}
		for _, s := range q.Services {
			if seen[s] || s == "" {
				t.Fatalf("services %v", q.Services)
			}
			seen[s] = true
		}
		if !q.To.After(q.From) || q.To.Sub(q.From) > domain.MaxSlotRange {
			t.Fatalf("range %s – %s", q.From, q.To)
		}
	})
}
