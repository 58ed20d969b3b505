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

// Each distinct word gives exactly one term (issue 10, item 10): its first
// three letters, or the word itself when shorter. No nested prefixes.
func TestNameIndexTerms_oneTermPerWord(t *testing.T) {
	t.Parallel()
	got := privacy.NameIndexTerms("Maximiliano de Albuquerque Maximiliano")
	want := []privacy.Term{
		{Kind: privacy.KindNamePrefix, Value: "max"},
		{Kind: privacy.KindNameWord, Value: "de"},
		{Kind: privacy.KindNamePrefix, Value: "alb"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("NameIndexTerms = %v, want %v", got, want)
	}
	if got := privacy.NameIndexTerms("Bia"); !slices.Equal(got, []privacy.Term{{Kind: privacy.KindNamePrefix, Value: "bia"}}) {
		t.Errorf("Bia: %v", got)
	}
}

func TestNameQueryTerms_matchIndexTerms(t *testing.T) {
	t.Parallel()
	stored := privacy.NameIndexTerms("Cristianinho Gonçalves e Souza")
	for _, q := range []string{"crist", "CRISTIANINHO", "gonc", "Gonçalves souz", "e", "cri"} {
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

// NameMatches is the exact filter applied after decrypting candidates: a
// query word of three letters or more begins a word of the name, a shorter
// one is a whole word; every query word must match.
func TestNameMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, query string
		want        bool
	}{
		{"Cristianinho Gonçalves e Souza", "crist", true},
		{"Cristianinho Gonçalves e Souza", "cristianinhos", false},
		{"Cristianinho Gonçalves e Souza", "GONÇALVES souz", true},
		{"Cristianinho Gonçalves e Souza", "gonc silva", false},
		{"Cristianinho Gonçalves e Souza", "e", true},
		{"Cristianinho Gonçalves e Souza", "cri e", true},
		{"Cristiane Souza", "cristianinho", false},
		{"Maria da Silva", "da", true},
		{"Maria Dantas", "da", false},
		{"Maria Dantas", "dan", true},
		{"Maria", "", false},
		{"Maria", " - ", false},
	}
	for _, c := range cases {
		if got := privacy.NameMatches(c.name, c.query); got != c.want {
			t.Errorf("NameMatches(%q, %q) = %v, want %v", c.name, c.query, got, c.want)
		}
	}
}

// Whatever a name looks like, its matching queries' terms are among its
// stored terms: the index never loses a true match.
func FuzzNameTerms_queryTermsOfMatchesAreStored(f *testing.F) {
	for _, s := range []string{"José da Silva", "Ângela D'Ávila-Müller", "e", "Ana Ana"} {
		f.Add(s, "jos")
	}
	f.Fuzz(func(t *testing.T, name, query string) {
		if !privacy.NameMatches(name, query) {
			return
		}
		stored := privacy.NameIndexTerms(name)
		for _, term := range privacy.NameQueryTerms(query) {
			if !slices.Contains(stored, term) {
				t.Fatalf("name %q matches query %q but term %v is not stored (%v)", name, query, term, stored)
			}
		}
	})
}
