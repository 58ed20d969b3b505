package br_test

import (
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParseUF_codes(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, wantCode, wantUF, wantName string }{
		{"upper", "SP", "", "SP", "São Paulo"},
		{"lower", "rj", "", "RJ", "Rio de Janeiro"},
		{"mixed trimmed", "  Df\t", "", "DF", "Distrito Federal"},
		{"accent name", "ap", "", "AP", "Amapá"},
		{"empty", "", br.CodeRequired, "", ""},
		{"blank", " \n", br.CodeRequired, "", ""},
		{"unknown", "XX", br.CodeUnknownValue, "", ""},
		{"former territory", "FN", br.CodeUnknownValue, "", ""},
		{"full name", "São Paulo", br.CodeUnknownValue, "", ""},
		{"one letter", "S", br.CodeUnknownValue, "", ""},
		{"inner space", "S P", br.CodeUnknownValue, "", ""},
		{"long s look-alike", "ſp", br.CodeUnknownValue, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := br.ParseUF(tt.in)
			requireCode(t, err, tt.wantCode, "state")
			if u.String() != tt.wantUF || u.Name() != tt.wantName {
				t.Fatalf("got %q (%q)", u.String(), u.Name())
			}
		})
	}
}

func TestAllUFs_complete(t *testing.T) {
	t.Parallel()
	want := []string{"AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
		"PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"}
	all := br.AllUFs()
	if len(all) != 27 {
		t.Fatalf("len(AllUFs()) = %d", len(all))
	}
	for i, u := range all {
		if u.String() != want[i] {
			t.Errorf("AllUFs()[%d] = %q, want %q", i, u, want[i])
		}
		if u.Name() == "" {
			t.Errorf("%s has no name", u)
		}
		p, err := br.ParseUF(u.String())
		if err != nil || p != u {
			t.Errorf("ParseUF(%q) = %v, %v", u, p, err)
		}
	}
	all[0] = br.UF{}
	if br.AllUFs()[0].String() != "AC" {
		t.Fatal("AllUFs must return a fresh slice")
	}
	var zero br.UF
	if !zero.IsZero() || zero.Name() != "" {
		t.Fatal("zero UF misbehaves")
	}
}

func FuzzParseUF(f *testing.F) {
	for _, s := range []string{"SP", "sp", " rj ", "XX", "", "S", "ſp", "SPP"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := br.ParseUF(s)
		if err != nil {
			checkFuzzError(t, err, "state")
			return
		}
		if u.Name() == "" {
			t.Fatalf("UF %q without name", u)
		}
		u2, err := br.ParseUF(u.String())
		if err != nil || u2 != u {
			t.Fatalf("re-parse of %q: %v, %v", u, u2, err)
		}
	})
}
