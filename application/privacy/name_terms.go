package privacy

import (
	"strings"
	"unicode"
)

// NamePrefixLen is the one prefix length, in letters, that name words are
// indexed by (issue 10, item 10). A word of at least NamePrefixLen letters is
// indexed only by its first NamePrefixLen letters (KindNamePrefix); a shorter
// word ("da", "e", "jo") by itself (KindNameWord). So each distinct word of a
// name gives exactly one index term: the index no longer holds the nested
// prefixes 2..10 that revealed each word's length and the name tree. The
// blind indexer also truncates name terms to small buckets, so a lookup gives
// candidates, which the search keeps only when NameMatches their decrypted name.
const NamePrefixLen = 3

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

// nameTerm is the one index term of a normalised word.
func nameTerm(word string) Term {
	if rs := []rune(word); len(rs) >= NamePrefixLen {
		return Term{Kind: KindNamePrefix, Value: string(rs[:NamePrefixLen])}
	}
	return Term{Kind: KindNameWord, Value: word}
}

// NameIndexTerms returns what the write side stores for a person's name: one
// term per distinct word (nameTerm), duplicates removed.
func NameIndexTerms(name string) []Term {
	return distinctNameTerms(NameWords(name))
}

// NameQueryTerms returns what the query side looks up for a typed name query,
// every term to be matched (AND): the same one term per word as the write
// side. A query word of NamePrefixLen letters or more finds the words it
// begins ("cris" → "Cristianinho"); a shorter one finds that whole word only
// ("de", "jo"). The terms select candidates; NameMatches decides.
func NameQueryTerms(query string) []Term {
	return distinctNameTerms(NameWords(query))
}

func distinctNameTerms(words []string) []Term {
	seen := map[Term]bool{}
	var out []Term
	for _, w := range words {
		t := nameTerm(w)
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// NameMatches reports whether a person's name matches a typed name query
// exactly as the search promises: every query word of NamePrefixLen letters or
// more begins some word of the name, and every shorter query word is a whole
// word of the name (after NameWords normalisation of both). A query with no
// words matches nothing. The search applies it to the decrypted names of the
// candidates the bucketed blind indexes return.
func NameMatches(name, query string) bool {
	qs := NameWords(query)
	if len(qs) == 0 {
		return false
	}
	ws := NameWords(name)
	for _, q := range qs {
		short := len([]rune(q)) < NamePrefixLen
		found := false
		for _, w := range ws {
			if w == q || !short && strings.HasPrefix(w, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Term is one value to blind-index, with its kind.
type Term struct {
	Kind  string
	Value string
}
