package catalog_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
)

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

func TestParseServiceCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "oil_change", want: "oil_change"},
		{in: "  lavagem_2 ", want: "lavagem_2"},
		{in: "ab", want: "ab"},
		{in: "a234567890123456789012345678901234567890", want: "a234567890123456789012345678901234567890"},
		{in: "", wantErr: "code:required"},
		{in: "   ", wantErr: "code:required"},
		{in: "a", wantErr: "code:invalid_length"},
		{in: "a2345678901234567890123456789012345678901", wantErr: "code:invalid_length"},
		{in: "Oil_Change", wantErr: "code:invalid_format"},
		{in: "oil-change", wantErr: "code:invalid_format"},
		{in: "óleo", wantErr: "code:invalid_format"},
		{in: "oil change", wantErr: "code:invalid_format"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := catalog.ParseServiceCode(tt.in)
			if tt.wantErr != "" {
				if got := fieldCodes(t, err); !reflect.DeepEqual(got, []string{tt.wantErr}) {
					t.Fatalf("errors = %v, want %v", got, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got.String() != tt.want {
				t.Fatalf("code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCatalog_Default(t *testing.T) {
	t.Parallel()
	want := []string{
		"oil_change", "oil_filter", "air_filter", "fuel_filter", "cabin_filter", "spark_plugs",
		"brake_pads", "brake_fluid", "timing_belt", "alignment_balancing", "tires", "battery",
		"suspension", "coolant", "ac_service", "inspection", "diagnostics", "other",
	}
	c := catalog.Default()
	var got []string
	for _, s := range c.Services() {
		got = append(got, s.Code().String())
		if s.Label() == "" {
			t.Errorf("%s has no label", s.Code())
		}
		if s.IsCustom() {
			t.Errorf("%s is marked custom", s.Code())
		}
		periodic := s.Code() != catalog.Diagnostics && s.Code() != catalog.Other
		if s.Interval().IsZero() == periodic {
			t.Errorf("%s interval = %+v, periodic = %v", s.Code(), s.Interval(), periodic)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("codes = %v, want %v", got, want)
	}
	for _, code := range want {
		sc, err := catalog.ParseServiceCode(code)
		if err != nil {
			t.Fatalf("default code %q does not parse: %v", code, err)
		}
		if _, ok := c.Lookup(sc); !ok {
			t.Errorf("Lookup(%q) not found", code)
		}
	}
}

func TestCatalog_Lookup_intervals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code       catalog.ServiceCode
		label      string
		km, months int64
	}{
		{catalog.OilChange, "Troca de óleo", 10_000, 12},
		{catalog.TimingBelt, "Correia dentada", 50_000, 48},
		{catalog.BrakeFluid, "Fluido de freio", 0, 24},
		{catalog.AlignmentBalancing, "Alinhamento e balanceamento", 10_000, 0},
		{catalog.ACService, "Ar-condicionado", 0, 12},
		{catalog.CabinFilter, "Filtro de cabine (ar-condicionado)", 10_000, 12},
		{catalog.Inspection, "Revisão / inspeção", 10_000, 12},
		{catalog.Diagnostics, "Diagnóstico", 0, 0},
		{catalog.Other, "Outro", 0, 0},
	}
	c := catalog.Default()
	for _, tt := range tests {
		t.Run(tt.code.String(), func(t *testing.T) {
			t.Parallel()
			s, ok := c.Lookup(tt.code)
			if !ok {
				t.Fatalf("not found")
			}
			if s.Label() != tt.label || s.Interval().Km() != tt.km || int64(s.Interval().Months()) != tt.months {
				t.Fatalf("got %q %d km %d months, want %q %d km %d months",
					s.Label(), s.Interval().Km(), s.Interval().Months(), tt.label, tt.km, tt.months)
			}
		})
	}
}

func TestCatalog_WithCustom(t *testing.T) {
	t.Parallel()
	base := catalog.Default()
	c, err := base.WithCustom(" lavagem_motor ", "  Lavagem do motor  ", 0, 6)
	if err != nil {
		t.Fatalf("WithCustom: %v", err)
	}
	code, _ := catalog.ParseServiceCode("lavagem_motor")
	s, ok := c.Lookup(code)
	if !ok || s.Label() != "Lavagem do motor" || s.Interval().Months() != 6 || !s.IsCustom() {
		t.Fatalf("custom entry = %+v, %v", s, ok)
	}
	if _, ok := base.Lookup(code); ok {
		t.Fatalf("WithCustom modified the receiver")
	}
	if n := len(c.Services()); n != len(base.Services())+1 {
		t.Fatalf("len = %d", n)
	}

	edited, err := c.WithCustom("lavagem_motor", "Lavagem de motor", 5_000, 0)
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	s, _ = edited.Lookup(code)
	if s.Label() != "Lavagem de motor" || s.Interval().Km() != 5_000 || len(edited.Services()) != len(c.Services()) {
		t.Fatalf("edit did not replace: %+v", s)
	}
	if s, _ := c.Lookup(code); s.Label() != "Lavagem do motor" {
		t.Fatalf("edit modified the receiver")
	}
}

func TestCatalog_WithCustom_validation(t *testing.T) {
	t.Parallel()
	long := ""
	for range 81 {
		long += "á"
	}
	tests := []struct {
		name        string
		code, label string
		km          int64
		months      int
		want        []string
	}{
		{"reserved default code", "oil_change", "Troca", 0, 0, []string{"code:reserved"}},
		{"bad code", "Lavagem!", "Lavagem", 0, 0, []string{"code:invalid_format"}},
		{"missing label", "lavagem", "  ", 0, 0, []string{"label:required"}},
		{"long label", "lavagem", long, 0, 0, []string{"label:too_long"}},
		{"control char in label", "lavagem", "Lava\ngem", 0, 0, []string{"label:invalid_format"}},
		{"negative km", "lavagem", "Lavagem", -1, 0, []string{"interval_km:out_of_range"}},
		{"absurd months", "lavagem", "Lavagem", 0, 241, []string{"interval_months:out_of_range"}},
		{"everything wrong", "", "", -5, -5, []string{
			"code:required", "label:required", "interval_km:out_of_range", "interval_months:out_of_range",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := catalog.Default().WithCustom(tt.code, tt.label, tt.km, tt.months)
			if got := fieldCodes(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors = %v, want %v", got, tt.want)
			}
		})
	}
}
