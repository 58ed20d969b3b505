package privacy

import (
	"strings"

	"github.com/torquehq/torque/domain/br"
)

// The functions below turn stored values into blind-index terms. The search
// projection (write side), customer search (query side) and the unique keys
// all use them, so that all normalise identically.
//
// WARNING: changing any of them changes every stored index; rebuild the
// search projection and re-claim unique keys afterwards.

// DocumentTerm is the term of a CPF/CNPJ; false for an absent, invalid or
// erased ("[removido]") value.
func DocumentTerm(document string) (Term, bool) {
	d, err := br.ParseDocument(document)
	if err != nil {
		return Term{}, false
	}
	return Term{Kind: KindDocument, Value: d.String()}, true
}

// EmailTerm is the term of an e-mail address (lower case).
func EmailTerm(email string) (Term, bool) {
	if !strings.Contains(email, "@") {
		return Term{}, false
	}
	e, err := br.ParseEmail(email)
	if err != nil {
		return Term{}, false
	}
	return Term{Kind: KindEmail, Value: e.String()}, true
}

// PhoneTerm is the term of a Brazilian phone number, in E.164.
func PhoneTerm(phone string) (Term, bool) {
	p, err := br.ParsePhone(phone)
	if err != nil {
		return Term{}, false
	}
	return Term{Kind: KindPhone, Value: p.E164()}, true
}

// PlateTerm is the term of a plate, in its Mercosul form: an old plate and
// its Mercosul conversion are the same car ("ABC1234" = "ABC1C34"), for
// search as for uniqueness.
func PlateTerm(plate string) (Term, bool) {
	p, err := br.ParsePlate(plate)
	if err != nil {
		return Term{}, false
	}
	return Term{Kind: KindPlate, Value: p.Mercosul().String()}, true
}

// StoredNameTerms are the stored terms of a name (NameIndexTerms), except
// that an erased name ("[removido]") has none.
func StoredNameTerms(name string) []Term {
	if name == Placeholder {
		return nil
	}
	return NameIndexTerms(name)
}
