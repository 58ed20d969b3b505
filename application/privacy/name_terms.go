package privacy

import (
	"strings"
	"unicode"
)

// MaxNamePrefix caps the length (in letters) of indexed name prefixes: longer
// prefixes add storage and leak more while hardly narrowing a search.
const MaxNamePrefix = 10

// minNamePrefix is the shortest indexed prefix: a single letter would match
// too many people to be worth an index row.
const minNamePrefix = 2

// foldAccents maps the accented lower-case letters of Portuguese (and the few
// others seen in Brazilian names) to their base letter.
//
// WARNING: changing this table or the splitting rules changes every name
// index; stored indexes must then be recomputed (rebuild the projection).
var foldAccents = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ç': 'c', 'ñ': 'n',
}

// NormaliseName lower-cases a person's name, strips Portuguese accents and
// replaces every run of spaces or punctuation with one space ("  José
// D'Ávila-Souza " → "jose d avila souza").
func NormaliseName(name string) string {
	return strings.Join(NameWords(name), " ")
}

// NameWords returns the normalised words of a person's name, in order, with
// duplicates kept (they are the name as written). Words are split on anything
// that is not a letter or a digit.
func NameWords(name string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if f, ok := foldAccents[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune(' ')
		}
	}
	return strings.Fields(b.String())
}

// NamePrefixes returns the prefixes of a normalised word that a prefix search
// may look up: lengths 2..min(len, MaxNamePrefix), in letters, shortest first.
// The word itself is included when it is at most MaxNamePrefix letters long.
func NamePrefixes(word string) []string {
	rs := []rune(word)
	hi := min(len(rs), MaxNamePrefix)
	out := make([]string, 0, max(hi-minNamePrefix+1, 0))
	for n := minNamePrefix; n <= hi; n++ {
		out = append(out, string(rs[:n]))
	}
	return out
}

// NameTerms returns every distinct search term of a person's name: its
// normalised words and, for each word, its prefixes (NamePrefixes). Use
// NameIndexTerms when the kind of each term matters (it does for blind
// indexes: words are KindNameWord, prefixes KindNamePrefix).
func NameTerms(name string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, w := range NameWords(name) {
		add(w)
		for _, p := range NamePrefixes(w) {
			add(p)
		}
	}
	return out
}

// Term is one value to blind-index, with its kind.
type Term struct {
	Kind  string
	Value string
}

// NameIndexTerms returns what the write side stores for a person's name: one
// KindNameWord term per distinct word and one KindNamePrefix term per distinct
// prefix of those words.
func NameIndexTerms(name string) []Term {
	seen := map[Term]bool{}
	var out []Term
	add := func(t Term) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, w := range NameWords(name) {
		add(Term{Kind: KindNameWord, Value: w})
		for _, p := range NamePrefixes(w) {
			add(Term{Kind: KindNamePrefix, Value: p})
		}
	}
	return out
}

// NameQueryTerms returns what the query side looks up for a typed name query,
// every term to be matched (AND): a word of at least two letters becomes a
// KindNamePrefix term (cut to MaxNamePrefix letters, so "cristianinho" still
// finds "Cristianinho"), a one-letter word a KindNameWord term.
func NameQueryTerms(query string) []Term {
	seen := map[Term]bool{}
	var out []Term
	for _, w := range NameWords(query) {
		t := Term{Kind: KindNameWord, Value: w}
		if rs := []rune(w); len(rs) >= minNamePrefix {
			t = Term{Kind: KindNamePrefix, Value: string(rs[:min(len(rs), MaxNamePrefix)])}
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
