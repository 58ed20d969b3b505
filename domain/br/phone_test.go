package br_test

import (
	"slices"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParsePhone_formats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantCode string
		wantE164, wantFmt  string
		wantMobile         bool
		wantDDD            int
	}{
		{"intl spaced", "+55 11 98765-4321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"national parens", "(11) 98765-4321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"national bare", "11987654321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"trunk prefix", "011 98765-4321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"trunk + carrier", "0 21 11 98765-4321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"e164", "+5511987654321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"country no plus landline", "55 11 3456 7890", "", "+551134567890", "(11) 3456-7890", false, 11},
		{"landline", "(21) 2345-6789", "", "+552123456789", "(21) 2345-6789", false, 21},
		{"landline trunk", "021 2345-6789", "", "+552123456789", "(21) 2345-6789", false, 21},
		{"landline trunk + carrier", "0 15 21 2345-6789", "", "+552123456789", "(21) 2345-6789", false, 21},
		{"ddd 55 mobile national", "55 99123-4567", "", "+5555991234567", "(55) 99123-4567", true, 55},
		{"ddd 55 landline national", "(55) 3222-1234", "", "+555532221234", "(55) 3222-1234", false, 55},
		{"ddd 55 with country", "+55 55 99123-4567", "", "+5555991234567", "(55) 99123-4567", true, 55},
		{"dots", "11.98765.4321", "", "+5511987654321", "(11) 98765-4321", true, 11},
		{"ddd 99", "(99) 98765-4321", "", "+5599987654321", "(99) 98765-4321", true, 99},
		{"empty", "", br.CodeRequired, "", "", false, 0},
		{"letters", "11 9876-ABCD", br.CodeInvalidFormat, "", "", false, 0},
		{"plus in middle", "11+987654321", br.CodeInvalidFormat, "", "", false, 0},
		{"foreign", "+1 415 555 2671", br.CodeInvalidFormat, "", "", false, 0},
		{"lone plus", "+", br.CodeInvalidLength, "", "", false, 0},
		{"plus 5", "+5", br.CodeInvalidLength, "", "", false, 0},
		{"too short", "98765-4321", br.CodeInvalidLength, "", "", false, 0},
		{"too long", "119876543210", br.CodeInvalidLength, "", "", false, 0},
		{"intl too short", "+55 11 8765-432", br.CodeInvalidLength, "", "", false, 0},
		{"trunk after country", "+55 011 98765-4321", br.CodeInvalidLength, "", "", false, 0},
		{"unknown ddd 20", "(20) 98765-4321", br.CodeUnknownValue, "", "", false, 0},
		{"unknown ddd 23", "(23) 3456-7890", br.CodeUnknownValue, "", "", false, 0},
		{"unknown ddd 10", "10987654321", br.CodeUnknownValue, "", "", false, 0},
		{"0800 number", "0800 123 4567", br.CodeUnknownValue, "", "", false, 0},
		{"9 digits not 9", "(11) 88765-4321", br.CodeInvalidFormat, "", "", false, 0},
		{"old 8-digit mobile", "(11) 8765-4321", br.CodeInvalidFormat, "", "", false, 0},
		{"landline starting 1", "(11) 1234-5678", br.CodeInvalidFormat, "", "", false, 0},
		{"landline starting 0", "(11) 0234-5678", br.CodeInvalidFormat, "", "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := br.ParsePhone(tt.in)
			requireCode(t, err, tt.wantCode, "phone")
			if p.E164() != tt.wantE164 || p.String() != tt.wantE164 || p.Formatted() != tt.wantFmt {
				t.Fatalf("got E164=%q String=%q Formatted=%q", p.E164(), p.String(), p.Formatted())
			}
			if p.IsMobile() != tt.wantMobile || p.DDD() != tt.wantDDD {
				t.Fatalf("IsMobile=%v DDD=%d", p.IsMobile(), p.DDD())
			}
		})
	}
}

func TestParseMobileAndLandline_kind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		parse    func(string) (br.Phone, error)
		in       string
		wantCode string
	}{
		{"mobile ok", br.ParseMobile, "(11) 98765-4321", ""},
		{"mobile given landline", br.ParseMobile, "(11) 3456-7890", br.CodeInvalidFormat},
		{"mobile given garbage", br.ParseMobile, "", br.CodeRequired},
		{"landline ok", br.ParseLandline, "(11) 3456-7890", ""},
		{"landline given mobile", br.ParseLandline, "(11) 98765-4321", br.CodeInvalidFormat},
		{"landline given bad ddd", br.ParseLandline, "(20) 3456-7890", br.CodeUnknownValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := tt.parse(tt.in)
			requireCode(t, err, tt.wantCode, "phone")
			if (err == nil) == p.IsZero() {
				t.Fatalf("IsZero() = %v with err %v", p.IsZero(), err)
			}
		})
	}
}

func TestValidDDDs_anatelList(t *testing.T) {
	t.Parallel()
	want := []int{11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38,
		41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69,
		71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99}
	got := br.ValidDDDs()
	if !slices.Equal(got, want) {
		t.Fatalf("ValidDDDs() = %v", got)
	}
	got[0] = 0
	if br.ValidDDDs()[0] != 11 {
		t.Fatal("ValidDDDs must return a fresh slice")
	}
	for ddd := 0; ddd < 100; ddd++ {
		in := []byte("(00) 98765-4321")
		in[1], in[2] = byte('0'+ddd/10), byte('0'+ddd%10)
		_, err := br.ParsePhone(string(in))
		if slices.Contains(want, ddd) {
			requireCode(t, err, "", "")
		} else if ddd >= 10 {
			requireCode(t, err, br.CodeUnknownValue, "phone")
		}
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{
		"+55 11 98765-4321", "(11) 98765-4321", "11987654321", "011 98765-4321", "+5511987654321",
		"55 11 3456 7890", "0 21 11 98765-4321", "+1 415 555 2671", "(20) 98765-4321", "", "+", "0",
		"(11) 8765-4321", "55 99123-4567",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := br.ParsePhone(s)
		if err != nil {
			checkFuzzError(t, err, "phone")
			return
		}
		if !slices.Contains(br.ValidDDDs(), p.DDD()) {
			t.Fatalf("accepted invalid DDD %d", p.DDD())
		}
		for _, again := range []string{p.E164(), p.String(), p.Formatted()} {
			p2, err := br.ParsePhone(again)
			if err != nil || p2 != p {
				t.Fatalf("re-parse of %q: %v, %v", again, p2, err)
			}
		}
		if p.IsMobile() {
			if _, err := br.ParseMobile(s); err != nil {
				t.Fatalf("ParseMobile rejected mobile %q: %v", s, err)
			}
		} else if _, err := br.ParseLandline(s); err != nil {
			t.Fatalf("ParseLandline rejected landline %q: %v", s, err)
		}
	})
}
