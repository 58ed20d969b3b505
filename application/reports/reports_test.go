package reports

import (
	"errors"
	"testing"
	"time"

	"github.com/torquehq/torque/domain/errs"
)

func TestPeriod_DefaultsToTheLast12MonthsInTheWorkshopZone(t *testing.T) {
	loc := location("America/Sao_Paulo")
	// 02:00 UTC on 3 Dec is still 2 Dec in São Paulo.
	now := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	from, to, err := PeriodInput{}.resolve(now, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 12, 3, 0, 0, 0, 0, loc); !from.Equal(want) {
		t.Errorf("from = %s, want %s", from.In(loc), want)
	}
	if want := time.Date(2026, 12, 3, 0, 0, 0, 0, loc); !to.Equal(want) {
		t.Errorf("to = %s, want %s (end of 2 Dec, exclusive)", to.In(loc), want)
	}
}

func TestPeriod_BadDatesAreFieldErrors(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	loc := location("")
	for _, tc := range []struct {
		in     PeriodInput
		fields []string
	}{
		{PeriodInput{From: "2026-13-01", To: "ontem"}, []string{"from", "to"}},
		{PeriodInput{From: "2026-02-30"}, []string{"from"}},
		{PeriodInput{From: "2026-05-02", To: "2026-05-01"}, []string{"to"}},
		{PeriodInput{From: "1900-01-01", To: "2026-01-01"}, []string{"from"}},
	} {
		_, _, err := tc.in.resolve(now, loc)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != len(tc.fields) {
			t.Errorf("%+v: %v, want errors on %v", tc.in, err, tc.fields)
			continue
		}
		for i, f := range ve.Fields {
			if f.Field != tc.fields[i] {
				t.Errorf("%+v: error on %s, want %s", tc.in, f.Field, tc.fields[i])
			}
		}
	}
	if _, _, err := (PeriodInput{From: "2026-02-01", To: "2026-02-01"}).resolve(now, loc); err != nil {
		t.Errorf("a one-day period: %v", err)
	}
}

func FuzzPeriod(f *testing.F) {
	for _, s := range []string{"", "2026-01-01", "2026-13-40", "0000-00-00", "9999-12-31", "2026-1-1", "\x00"} {
		f.Add(s, "2026-12-03")
	}
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	loc := location("America/Sao_Paulo")
	f.Fuzz(func(t *testing.T, from, to string) {
		a, b, err := PeriodInput{From: from, To: to}.resolve(now, loc)
		if err != nil {
			var ve *errs.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("not a field error: %v", err)
			}
			return
		}
		if !a.Before(b) || b.Sub(a) > maxSpan {
			t.Fatalf("accepted an empty or huge period: %s .. %s", a, b)
		}
	})
}

func TestPercentiles(t *testing.T) {
	rows := []WorkshopFigures{{Orders: 10}, {Orders: 30}, {Orders: 20}, {Orders: 30}}
	Percentiles(rows)
	want := []float64{25, 100, 50, 100}
	for i, r := range rows {
		if r.Percentile["orders"] != want[i] {
			t.Errorf("shop %d: percentile %v, want %v", i, r.Percentile["orders"], want[i])
		}
	}
}
