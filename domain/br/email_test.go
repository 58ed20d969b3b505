package br_test

import (
	"strings"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParseEmail_syntax(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct{ name, in, wantCode, want string }{
		{"simple", "joao@oficina.com.br", "", "joao@oficina.com.br"},
		{"trim and lower", "  Joao.Silva@Oficina.COM.br ", "", "joao.silva@oficina.com.br"},
		{"plus tag", "maria+torque@gmail.com", "", "maria+torque@gmail.com"},
		{"hyphen domain", "a@my-shop.com.br", "", "a@my-shop.com.br"},
		{"local 64", long(64) + "@x.com", "", long(64) + "@x.com"},
		{"total 254", long(64) + "@" + long(63) + "." + long(63) + "." + long(61), "", long(64) + "@" + long(63) + "." + long(63) + "." + long(61)},
		{"empty", "", br.CodeRequired, ""},
		{"blank", " \t", br.CodeRequired, ""},
		{"display name", "Bob <b@x.com>", br.CodeInvalidFormat, ""},
		{"angle brackets", "<b@x.com>", br.CodeInvalidFormat, ""},
		{"comment", "b@x.com (Bob)", br.CodeInvalidFormat, ""},
		{"quoted local", `"bob"@x.com`, br.CodeInvalidFormat, ""},
		{"no at", "joao.oficina.com", br.CodeInvalidFormat, ""},
		{"two ats", "a@b@x.com", br.CodeInvalidFormat, ""},
		{"no dot in domain", "joao@localhost", br.CodeInvalidFormat, ""},
		{"domain literal", "joao@[10.0.0.1]", br.CodeInvalidFormat, ""},
		{"ip domain", "joao@192.168.0.1", br.CodeInvalidFormat, ""},
		{"numeric tld", "joao@x.123", br.CodeInvalidFormat, ""},
		{"digits in labels", "joao@123mail.co1", "", "joao@123mail.co1"},
		{"special local chars", "a!#$%&'*+/=?^_`{|}~-@x.com", "", "a!#$%&'*+/=?^_`{|}~-@x.com"},
		{"trailing dot", "joao@x.com.", br.CodeInvalidFormat, ""},
		{"double dot domain", "joao@x..com", br.CodeInvalidFormat, ""},
		{"double dot local", "jo..ao@x.com", br.CodeInvalidFormat, ""},
		{"hyphen label", "joao@-x.com", br.CodeInvalidFormat, ""},
		{"underscore domain", "joao@my_shop.com", br.CodeInvalidFormat, ""},
		{"accented", "joão@x.com", br.CodeInvalidFormat, ""},
		{"inner space", "jo ao@x.com", br.CodeInvalidFormat, ""},
		{"two addresses", "a@x.com,b@x.com", br.CodeInvalidFormat, ""},
		{"local 65", long(65) + "@x.com", br.CodeInvalidLength, ""},
		{"total 255", long(64) + "@" + long(63) + "." + long(63) + "." + long(62), br.CodeInvalidLength, ""},
		{"label 64", "a@" + long(64) + ".com", br.CodeInvalidFormat, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := br.ParseEmail(tt.in)
			requireCode(t, err, tt.wantCode, "email")
			if e.String() != tt.want {
				t.Fatalf("String() = %q, want %q", e.String(), tt.want)
			}
			if e.IsZero() != (tt.wantCode != "") {
				t.Fatalf("IsZero() = %v", e.IsZero())
			}
		})
	}
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{
		"joao@oficina.com.br", "Bob <b@x.com>", "<b@x.com>", `"a b"@x.com`, "a@localhost", "a@[1.2.3.4]",
		"", "@", "a@b.c", "A@B.CO", "joão@x.com", "a@x.com (c)", "=?utf-8?q?a?= <a@x.com>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := br.ParseEmail(s)
		if err != nil {
			checkFuzzError(t, err, "email")
			return
		}
		if e.String() != strings.ToLower(e.String()) || len(e.String()) > 254 {
			t.Fatalf("not normalised: %q", e)
		}
		e2, err := br.ParseEmail(e.String())
		if err != nil || e2 != e {
			t.Fatalf("re-parse of %q: %v, %v", e, e2, err)
		}
	})
}
