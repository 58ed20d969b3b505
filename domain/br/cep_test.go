package br_test

import (
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParseCEP_formats(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, wantCode, wantDigits, wantFmt string }{
		{"masked", "01001-000", "", "01001000", "01001-000"},
		{"bare", "01001000", "", "01001000", "01001-000"},
		{"old mask", "01.001-000", "", "01001000", "01001-000"},
		{"trimmed", "  90010-150\n", "", "90010150", "90010-150"},
		{"max", "99999-999", "", "99999999", "99999-999"},
		{"empty", "", br.CodeRequired, "", ""},
		{"letters", "0100I-000", br.CodeInvalidFormat, "", ""},
		{"slash", "01001/000", br.CodeInvalidFormat, "", ""},
		{"short", "01001-00", br.CodeInvalidLength, "", ""},
		{"long", "01001-0000", br.CodeInvalidLength, "", ""},
		{"zeros", "00000-000", br.CodeOutOfRange, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := br.ParseCEP(tt.in)
			requireCode(t, err, tt.wantCode, "postal_code")
			if c.String() != tt.wantDigits || c.Formatted() != tt.wantFmt {
				t.Fatalf("got %q / %q", c.String(), c.Formatted())
			}
			if c.IsZero() != (tt.wantCode != "") {
				t.Fatalf("IsZero() = %v", c.IsZero())
			}
		})
	}
}

func FuzzParseCEP(f *testing.F) {
	for _, s := range []string{"01001-000", "01001000", "01.001-000", "00000000", "", "abc", "0100100", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := br.ParseCEP(s)
		if err != nil {
			checkFuzzError(t, err, "postal_code")
			return
		}
		for _, again := range []string{c.String(), c.Formatted()} {
			c2, err := br.ParseCEP(again)
			if err != nil || c2 != c {
				t.Fatalf("re-parse of %q: %v, %v", again, c2, err)
			}
		}
	})
}
