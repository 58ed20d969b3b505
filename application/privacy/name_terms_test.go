package privacy_test

import (
	"slices"
	"testing"

	"github.com/torquehq/torque/application/privacy"
)

func TestNameWords_normalises(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string
	}{
		{"José da Silva", []string{"jose", "da", "silva"}},
		{"  JOÃO   Conceição ", []string{"joao", "conceicao"}},
		{"Ângela D'Ávila-Müller", []string{"angela", "d", "avila", "muller"}},
		{"Inês, Úrsula; Ígor. Óscar/Ítalo", []string{"ines", "ursula", "igor", "oscar", "italo"}},
		{"Françoise Peña", []string{"francoise", "pena"}},
		{"", nil},
		{" -- ", nil},
	}
	for _, c := range cases {
		if got := privacy.NameWords(c.in); !slices.Equal(got, c.want) {
			t.Errorf("NameWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := privacy.NormaliseName("  José D'Ávila-Souza "); got != "jose d avila souza" {
		t.Errorf("NormaliseName = %q", got)
	}
}

func TestNamePrefixes_capsAtTen(t *testing.T) {
	t.Parallel()
	if got := privacy.NamePrefixes("maria"); !slices.Equal(got, []string{"ma", "mar", "mari", "maria"}) {
		t.Errorf("maria: %q", got)
	}
	if got := privacy.NamePrefixes("e"); len(got) != 0 {
		t.Errorf("e: %q", got)
	}
	got := privacy.NamePrefixes("cristianinho")
	if len(got) != 9 || got[len(got)-1] != "cristianin" {
		t.Errorf("cristianinho: %q", got)
	}
}

func TestNameTerms_wordsAndPrefixes(t *testing.T) {
	t.Parallel()
	got := privacy.NameTerms("Ana Ana Luísa")
	want := []string{"ana", "an", "luisa", "lu", "lui", "luis"}
	if !slices.Equal(got, want) {
		t.Errorf("NameTerms = %q, want %q", got, want)
	}
	if got := privacy.NameTerms("Ana de Sá"); !slices.Contains(got, "de") || !slices.Contains(got, "sa") {
		t.Errorf("NameTerms = %q", got)
	}
}

func TestNameIndexTerms_kinds(t *testing.T) {
	t.Parallel()
	got := privacy.NameIndexTerms("Bia Bia")
	want := []privacy.Term{
		{Kind: privacy.KindNameWord, Value: "bia"},
		{Kind: privacy.KindNamePrefix, Value: "bi"},
		{Kind: privacy.KindNamePrefix, Value: "bia"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("NameIndexTerms = %v, want %v", got, want)
	}
}

func TestNameQueryTerms_matchIndexTerms(t *testing.T) {
	t.Parallel()
	stored := privacy.NameIndexTerms("Cristianinho Gonçalves e Souza")
	for _, q := range []string{"crist", "CRISTIANINHO", "gonc", "Gonçalves souz", "e"} {
		for _, term := range privacy.NameQueryTerms(q) {
			if !slices.Contains(stored, term) {
				t.Errorf("query %q: term %v not among stored terms", q, term)
			}
		}
	}
	if got := privacy.NameQueryTerms("x"); !slices.Equal(got, []privacy.Term{{Kind: privacy.KindNameWord, Value: "x"}}) {
		t.Errorf("one letter: %v", got)
	}
}
