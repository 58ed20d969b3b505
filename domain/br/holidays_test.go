package br_test

import (
	"testing"
	"time"

	"github.com/torquehq/torque/domain/br"
)

func TestEaster_knownYears(t *testing.T) {
	t.Parallel()
	for year, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25"} {
		if got := br.Easter(year).Format(time.DateOnly); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestIsNationalHoliday(t *testing.T) {
	t.Parallel()
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	cases := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 4, 3, 10, 0, 0, 0, sp), true},   // Good Friday 2026
		{time.Date(2026, 11, 20, 9, 0, 0, 0, sp), true},  // Consciência Negra
		{time.Date(2023, 11, 20, 9, 0, 0, 0, sp), false}, // before Lei 14.759/2023 took effect
		{time.Date(2026, 12, 25, 23, 59, 0, 0, sp), true},
		{time.Date(2026, 12, 24, 23, 59, 0, 0, sp), false},
		{time.Date(2026, 2, 17, 10, 0, 0, 0, sp), false}, // Carnival: optional, not national
	}
	for _, c := range cases {
		if got, name := br.IsNationalHoliday(c.at); got != c.want {
			t.Errorf("IsNationalHoliday(%s) = %v (%q), want %v", c.at.Format(time.DateOnly), got, name, c.want)
		}
	}
}
