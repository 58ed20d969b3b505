package br_test

import (
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParsePlate_formats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantCode, want, wantFmt string
		wantMercosul                      bool
	}{
		{"old dash", "ABC-1234", "", "ABC1234", "ABC-1234", false},
		{"old bare", "ABC1234", "", "ABC1234", "ABC-1234", false},
		{"old lower space", " abc 1234 ", "", "ABC1234", "ABC-1234", false},
		{"mercosul", "ABC1D23", "", "ABC1D23", "ABC1D23", true},
		{"mercosul lower dash", "abc-1d23", "", "ABC1D23", "ABC1D23", true},
		{"empty", "", br.CodeRequired, "", "", false},
		{"dot", "ABC.1234", br.CodeInvalidFormat, "", "", false},
		{"unicode", "ÁBC1234", br.CodeInvalidFormat, "", "", false},
		{"short", "ABC123", br.CodeInvalidLength, "", "", false},
		{"long", "ABC12345", br.CodeInvalidLength, "", "", false},
		{"digits first", "1BC1234", br.CodeInvalidFormat, "", "", false},
		{"letter 4th", "ABCD123", br.CodeInvalidFormat, "", "", false},
		{"letter 6th", "ABC12D3", br.CodeInvalidFormat, "", "", false},
		{"two letters", "ABC1DE3", br.CodeInvalidFormat, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := br.ParsePlate(tt.in)
			requireCode(t, err, tt.wantCode, "plate")
			if p.String() != tt.want || p.Formatted() != tt.wantFmt || p.IsMercosul() != tt.wantMercosul {
				t.Fatalf("got %q / %q mercosul=%v", p.String(), p.Formatted(), p.IsMercosul())
			}
		})
	}
}

func TestPlate_mercosulConversion(t *testing.T) {
	t.Parallel()
	tests := []struct{ old, want string }{
		{"ABC0234", "ABC0C34"}, // 5th char is the 2nd digit: '2' -> 'C'
		{"ABC1034", "ABC1A34"},
		{"ABC1134", "ABC1B34"},
		{"ABC1234", "ABC1C34"},
		{"ABC1334", "ABC1D34"},
		{"ABC1434", "ABC1E34"},
		{"ABC1534", "ABC1F34"},
		{"ABC1634", "ABC1G34"},
		{"ABC1734", "ABC1H34"},
		{"ABC1834", "ABC1I34"},
		{"ABC1934", "ABC1J34"},
		{"ABC1D34", "ABC1D34"}, // already Mercosul
	}
	for _, tt := range tests {
		old, err := br.ParsePlate(tt.old)
		requireCode(t, err, "", "")
		m := old.Mercosul()
		if m.String() != tt.want || !m.IsMercosul() {
			t.Errorf("Mercosul(%s) = %s", tt.old, m)
		}
	}
	var zero br.Plate
	if !zero.Mercosul().IsZero() || zero.Formatted() != "" || zero.IsMercosul() {
		t.Fatal("zero plate misbehaves")
	}
}

func TestSamePlate_replating(t *testing.T) {
	t.Parallel()
	mustPlate := func(s string) br.Plate {
		p, err := br.ParsePlate(s)
		if err != nil {
			t.Fatalf("ParsePlate(%q): %v", s, err)
		}
		return p
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{"ABC-1234", "abc1234", true},
		{"ABC-1234", "ABC1C34", true},
		{"ABC1C34", "ABC-1234", true},
		{"ABC1D23", "ABC1D23", true},
		{"ABC-1234", "ABC1D34", false},
		{"ABC-1234", "ABC-1334", false},
		{"ABC1K23", "ABC1J23", false},
		{"ABD-1234", "ABC1C34", false},
	}
	for _, tt := range tests {
		if got := br.SamePlate(mustPlate(tt.a), mustPlate(tt.b)); got != tt.want {
			t.Errorf("SamePlate(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzParsePlate(f *testing.F) {
	for _, s := range []string{"ABC-1234", "abc 1234", "ABC1D23", "ABC1234", "", "ABCD123", "ÁBC1234", "ABC-12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := br.ParsePlate(s)
		if err != nil {
			checkFuzzError(t, err, "plate")
			return
		}
		for _, again := range []string{p.String(), p.Formatted()} {
			p2, err := br.ParsePlate(again)
			if err != nil || p2 != p {
				t.Fatalf("re-parse of %q: %v, %v", again, p2, err)
			}
		}
		m := p.Mercosul()
		if !m.IsMercosul() || !br.SamePlate(p, m) || !br.SamePlate(m, p) {
			t.Fatalf("Mercosul(%s) = %s inconsistent", p, m)
		}
		if m2, err := br.ParsePlate(m.String()); err != nil || m2 != m {
			t.Fatalf("Mercosul plate %q does not re-parse: %v", m, err)
		}
	})
}
