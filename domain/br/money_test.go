package br_test

import (
	"math"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestNewMoneyCents_range(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       int64
		wantCode string
	}{
		{"zero", 0, ""},
		{"positive", 123456, ""},
		{"max", math.MaxInt64, ""},
		{"negative", -1, br.CodeOutOfRange},
		{"min", math.MinInt64, br.CodeOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := br.NewMoneyCents(tt.in)
			requireCode(t, err, tt.wantCode, "amount_cents")
			if err == nil && m.Cents() != tt.in {
				t.Fatalf("Cents() = %d", m.Cents())
			}
		})
	}
}

func TestMoney_String(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cents int64
		want  string
	}{
		{0, "R$ 0,00"},
		{5, "R$ 0,05"},
		{50, "R$ 0,50"},
		{100, "R$ 1,00"},
		{99999, "R$ 999,99"},
		{100000, "R$ 1.000,00"},
		{123456, "R$ 1.234,56"},
		{123456789, "R$ 1.234.567,89"},
		{math.MaxInt64, "R$ 92.233.720.368.547.758,07"},
	}
	for _, tt := range tests {
		m, _ := br.NewMoneyCents(tt.cents)
		if got := m.String(); got != tt.want {
			t.Errorf("String(%d) = %q, want %q", tt.cents, got, tt.want)
		}
	}
}

func TestMoney_arithmetic(t *testing.T) {
	t.Parallel()
	m := func(c int64) br.Money { v, _ := br.NewMoneyCents(c); return v }
	sum, err := m(150).Add(m(275))
	requireCode(t, err, "", "")
	if sum.Cents() != 425 {
		t.Fatalf("Add = %d", sum.Cents())
	}
	_, err = m(math.MaxInt64).Add(m(1))
	requireCode(t, err, br.CodeOutOfRange, "amount_cents")
	edge, err := m(math.MaxInt64 - 1).Add(m(1))
	requireCode(t, err, "", "")
	if edge.Cents() != math.MaxInt64 {
		t.Fatalf("Add at edge = %d", edge.Cents())
	}

	tests := []struct {
		name     string
		cents    int64
		qty      int64
		want     int64
		wantCode string
	}{
		{"simple", 1999, 3, 5997, ""},
		{"zero qty", 1999, 0, 0, ""},
		{"zero amount", 0, math.MaxInt64, 0, ""},
		{"exact max", math.MaxInt64, 1, math.MaxInt64, ""},
		{"negative qty", 100, -1, 0, br.CodeOutOfRange},
		{"overflow", math.MaxInt64/2 + 1, 2, 0, br.CodeOutOfRange},
		{"big overflow", 1 << 40, 1 << 40, 0, br.CodeOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := m(tt.cents).Mul(tt.qty)
			requireCode(t, err, tt.wantCode, "amount_cents")
			if got.Cents() != tt.want {
				t.Fatalf("Mul = %d, want %d", got.Cents(), tt.want)
			}
		})
	}
}

func TestParseMoneyBRL_formats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     int64
		wantCode string
	}{
		{"grouped", "1.234,56", 123456, ""},
		{"symbol", "R$ 1.234,56", 123456, ""},
		{"symbol no space", "R$1.234,56", 123456, ""},
		{"symbol nbsp (Intl)", "R$\u00a01.234,56", 123456, ""},
		{"lower symbol", "r$ 10,00", 1000, ""},
		{"ungrouped", "1234,56", 123456, ""},
		{"reais only", "1234", 123400, ""},
		{"dot is thousands", "1.234", 123400, ""},
		{"millions", "1.234.567,89", 123456789, ""},
		{"one decimal", "0,5", 50, ""},
		{"zero", "0", 0, ""},
		{"zero cents", "0,00", 0, ""},
		{"leading zeros", "007,10", 710, ""},
		{"trimmed", "  12,34  ", 1234, ""},
		{"max", "92.233.720.368.547.758,07", math.MaxInt64, ""},
		{"own String", "R$ 92.233.720.368.547.758,07", math.MaxInt64, ""},
		{"empty", "", 0, br.CodeRequired},
		{"blank", "  ", 0, br.CodeRequired},
		{"symbol only", "R$", 0, br.CodeInvalidFormat},
		{"english decimal", "1234.56", 0, br.CodeInvalidFormat},
		{"english grouped", "1,234.56", 0, br.CodeInvalidFormat},
		{"three decimals", "1,234", 0, br.CodeInvalidFormat},
		{"empty decimals", "12,", 0, br.CodeInvalidFormat},
		{"no integer part", ",50", 0, br.CodeInvalidFormat},
		{"bad grouping", "12.34,00", 0, br.CodeInvalidFormat},
		{"long first group", "1234.567,00", 0, br.CodeInvalidFormat},
		{"trailing dot", "1.", 0, br.CodeInvalidFormat},
		{"space inside", "1 234,56", 0, br.CodeInvalidFormat},
		{"letters", "12a", 0, br.CodeInvalidFormat},
		{"plus sign", "+12", 0, br.CodeInvalidFormat},
		{"other currency", "US$ 10", 0, br.CodeInvalidFormat},
		{"double minus", "--5", 0, br.CodeInvalidFormat},
		{"negative", "-12,34", 0, br.CodeOutOfRange},
		{"negative symbol first", "R$ -12,34", 0, br.CodeOutOfRange},
		{"negative Intl", "-R$\u00a012,34", 0, br.CodeOutOfRange},
		{"overflow by a cent", "92.233.720.368.547.758,08", 0, br.CodeOutOfRange},
		{"huge", "99999999999999999999999", 0, br.CodeOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := br.ParseMoneyBRL(tt.in)
			requireCode(t, err, tt.wantCode, "amount_cents")
			if m.Cents() != tt.want {
				t.Fatalf("Cents() = %d, want %d", m.Cents(), tt.want)
			}
		})
	}
}

func FuzzParseMoneyBRL(f *testing.F) {
	for _, s := range []string{
		"1.234,56", "R$ 1.234,56", "1234,56", "1234", "0,5", "R$\u00a01,00", "-1", "1234.56",
		"92.233.720.368.547.758,07", "92.233.720.368.547.758,08", "", "R$", ",", ".", "1.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := br.ParseMoneyBRL(s)
		if err != nil {
			checkFuzzError(t, err, "amount_cents")
			return
		}
		if m.Cents() < 0 {
			t.Fatalf("negative amount %d from %q", m.Cents(), s)
		}
		m2, err := br.ParseMoneyBRL(m.String())
		if err != nil || m2 != m {
			t.Fatalf("re-parse of %q: %v, %v", m, m2, err)
		}
	})
}
