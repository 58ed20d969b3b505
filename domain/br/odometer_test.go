package br_test

import (
	"math"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestNewOdometerKm_range(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		km       int64
		wantCode string
	}{
		{"zero", 0, ""},
		{"typical", 87_450, ""},
		{"max", 2_000_000, ""},
		{"above max", 2_000_001, br.CodeOutOfRange},
		{"negative", -1, br.CodeOutOfRange},
		{"min int", math.MinInt64, br.CodeOutOfRange},
		{"max int", math.MaxInt64, br.CodeOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := br.NewOdometerKm(tt.km)
			requireCode(t, err, tt.wantCode, "mileage_km")
			if err == nil && o.Km() != tt.km {
				t.Fatalf("Km() = %d", o.Km())
			}
		})
	}
}

func TestOdometer_Before(t *testing.T) {
	t.Parallel()
	a, _ := br.NewOdometerKm(10_000)
	b, _ := br.NewOdometerKm(10_001)
	if !a.Before(b) || b.Before(a) || a.Before(a) {
		t.Fatal("Before must be a strict order on km")
	}
}
