package br_test

import (
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParseDocument_kinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantCode string
		wantKind           br.DocumentKind
		wantValue, wantFmt string
	}{
		{"cpf masked", "529.982.247-25", "", br.DocumentKindCPF, "52998224725", "529.982.247-25"},
		{"cpf bare", "52998224725", "", br.DocumentKindCPF, "52998224725", "529.982.247-25"},
		{"cnpj numeric", "11.222.333/0001-81", "", br.DocumentKindCNPJ, "11222333000181", "11.222.333/0001-81"},
		{"cnpj alphanumeric", "12.abc.345/01de-35", "", br.DocumentKindCNPJ, "12ABC34501DE35", "12.ABC.345/01DE-35"},
		{"empty", " ", br.CodeRequired, br.DocumentKind{}, "", ""},
		{"bad char", "529.982.247_25", br.CodeInvalidFormat, br.DocumentKind{}, "", ""},
		{"letter in cpf", "529A8224725", br.CodeInvalidFormat, br.DocumentKind{}, "", ""},
		{"12 chars", "529982247250", br.CodeInvalidLength, br.DocumentKind{}, "", ""},
		{"10 chars", "5299822472", br.CodeInvalidLength, br.DocumentKind{}, "", ""},
		{"cpf repeated", "111.111.111-11", br.CodeRepeatedDigits, br.DocumentKind{}, "", ""},
		{"cpf bad dv", "529.982.247-24", br.CodeInvalidCheckDigit, br.DocumentKind{}, "", ""},
		{"cnpj bad dv", "11.222.333/0001-80", br.CodeInvalidCheckDigit, br.DocumentKind{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := br.ParseDocument(tt.in)
			requireCode(t, err, tt.wantCode, "document")
			if d.Kind() != tt.wantKind || d.String() != tt.wantValue || d.Formatted() != tt.wantFmt {
				t.Fatalf("got kind=%q value=%q fmt=%q", d.Kind(), d.String(), d.Formatted())
			}
			if d.IsZero() != (tt.wantCode != "") {
				t.Fatalf("IsZero() = %v", d.IsZero())
			}
		})
	}
}

func TestDocument_accessors(t *testing.T) {
	t.Parallel()
	cpfDoc, _ := br.ParseDocument("52998224725")
	if c, ok := cpfDoc.CPF(); !ok || c.String() != "52998224725" {
		t.Fatalf("CPF() = %v, %v", c, ok)
	}
	if _, ok := cpfDoc.CNPJ(); ok {
		t.Fatal("CPF document reported as CNPJ")
	}
	cnpjDoc, _ := br.ParseDocument("11222333000181")
	if c, ok := cnpjDoc.CNPJ(); !ok || c.String() != "11222333000181" {
		t.Fatalf("CNPJ() = %v, %v", c, ok)
	}
	if _, ok := cnpjDoc.CPF(); ok {
		t.Fatal("CNPJ document reported as CPF")
	}
	cpf, _ := br.ParseCPF("52998224725")
	if br.DocumentFromCPF(cpf) != cpfDoc {
		t.Fatal("DocumentFromCPF differs from ParseDocument")
	}
	cnpj, _ := br.ParseCNPJ("11222333000181")
	if br.DocumentFromCNPJ(cnpj) != cnpjDoc {
		t.Fatal("DocumentFromCNPJ differs from ParseDocument")
	}
	if !br.DocumentFromCPF(br.CPF{}).IsZero() || !br.DocumentFromCNPJ(br.CNPJ{}).IsZero() {
		t.Fatal("zero inputs must give zero Document")
	}
	if br.DocumentKindCPF.String() != "cpf" || br.DocumentKindCNPJ.String() != "cnpj" {
		t.Fatal("unexpected kind strings")
	}
	var zero br.Document
	if !zero.Kind().IsZero() || zero.Formatted() != "" {
		t.Fatal("zero Document misbehaves")
	}
}

func FuzzParseDocument(f *testing.F) {
	for _, s := range []string{
		"529.982.247-25", "11.222.333/0001-81", "12.ABC.345/01DE-35", "529A8224725",
		"", "123", "111.111.111-11", "00000000000000", "\u00a0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := br.ParseDocument(s)
		if err != nil {
			checkFuzzError(t, err, "document")
			return
		}
		switch d.Kind() {
		case br.DocumentKindCPF:
			if _, err := br.ParseCPF(d.String()); err != nil {
				t.Fatalf("CPF document %q rejected by ParseCPF: %v", d, err)
			}
		case br.DocumentKindCNPJ:
			if _, err := br.ParseCNPJ(d.String()); err != nil {
				t.Fatalf("CNPJ document %q rejected by ParseCNPJ: %v", d, err)
			}
		default:
			t.Fatalf("unexpected kind %q", d.Kind())
		}
		for _, again := range []string{d.String(), d.Formatted()} {
			d2, err := br.ParseDocument(again)
			if err != nil || d2 != d {
				t.Fatalf("re-parse of %q: %v, %v", again, d2, err)
			}
		}
	})
}
