package registry

import (
	"strings"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/br"
)

// The functions below turn stored values into blind-index terms. The search
// projection (write side) and SearchCustomers (query side) both use them,
// so that both normalise identically.
//
// WARNING: changing any of them changes every stored index; rebuild the
// search projection and re-claim unique keys afterwards.

// DocumentTerm is the term of a CPF/CNPJ; false for an absent, invalid or
// erased ("[removido]") value.
func DocumentTerm(document string) (privacy.Term, bool) {
	d, err := br.ParseDocument(document)
	if err != nil {
		return privacy.Term{}, false
	}
	return privacy.Term{Kind: privacy.KindDocument, Value: d.String()}, true
}

// EmailTerm is the term of an e-mail address (lower case).
func EmailTerm(email string) (privacy.Term, bool) {
	if !strings.Contains(email, "@") {
		return privacy.Term{}, false
	}
	e, err := br.ParseEmail(email)
	if err != nil {
		return privacy.Term{}, false
	}
	return privacy.Term{Kind: privacy.KindEmail, Value: e.String()}, true
}

// PhoneTerm is the term of a Brazilian phone number, in E.164.
func PhoneTerm(phone string) (privacy.Term, bool) {
	p, err := br.ParsePhone(phone)
	if err != nil {
		return privacy.Term{}, false
	}
	return privacy.Term{Kind: privacy.KindPhone, Value: p.E164()}, true
}

// PlateTerm is the term of a plate, in its Mercosul form: an old plate and
// its Mercosul conversion are the same car ("ABC1234" = "ABC1C34"), for
// search as for uniqueness.
func PlateTerm(plate string) (privacy.Term, bool) {
	p, err := br.ParsePlate(plate)
	if err != nil {
		return privacy.Term{}, false
	}
	return privacy.Term{Kind: privacy.KindPlate, Value: p.Mercosul().String()}, true
}

// NameTerms are the stored terms of a name: its words and their prefixes.
// An erased name ("[removido]") has none.
func NameTerms(name string) []privacy.Term {
	if name == privacy.Placeholder {
		return nil
	}
	return privacy.NameIndexTerms(name)
}
