package httpapi_test

import (
	"errors"
	"testing"
	"time"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httpapi"
)

func TestParseDueBefore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{in: ""},
		{in: "2026-03-01", want: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{in: " 2026-03-01 ", want: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2026-03-01T10:30:00-03:00", want: time.Date(2026, 3, 1, 13, 30, 0, 0, time.UTC)},
		{in: "2026-02-30", bad: true},
		{in: "01/03/2026", bad: true},
		{in: "amanhã", bad: true},
		{in: "2026-03-01T10:30:00", bad: true},
	}
	for _, tt := range tests {
		got, err := httpapi.ParseDueBefore(tt.in)
		if tt.bad {
			var ve *errs.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "due_before" {
				t.Errorf("%q: error %v, want one due_before field error", tt.in, err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%q = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseDueBefore: any query value either parses to a UTC instant that
// formats back as a valid date, or is a due_before validation error; never
// a panic.
func FuzzParseDueBefore(f *testing.F) {
	for _, s := range []string{"", "2026-03-01", "2026-03-01T10:30:00Z", "9999-12-31T23:59:59+14:00", "0000-01-01", "2026-13-01", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := httpapi.ParseDueBefore(s)
		if err != nil {
			var ve *errs.ValidationError
			if !errors.As(err, &ve) || ve.Fields[0].Field != "due_before" {
				t.Fatalf("%q: unexpected error %v", s, err)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("%q: %v is not UTC", s, got)
		}
		if _, perr := time.Parse(time.DateOnly, got.Format(time.DateOnly)); !got.IsZero() && perr != nil {
			t.Fatalf("%q: %v does not format as a date", s, got)
		}
	})
}
