package privacy_test

import (
	"testing"

	"github.com/torquehq/torque/application/privacy"
)

func TestSearchTerms_placeholderHasNone(t *testing.T) {
	t.Parallel()
	if got := privacy.StoredNameTerms(privacy.Placeholder); got != nil {
		t.Errorf("name terms of the placeholder: %v", got)
	}
	for _, f := range []func(string) (privacy.Term, bool){privacy.DocumentTerm, privacy.EmailTerm, privacy.PhoneTerm, privacy.PlateTerm} {
		if _, ok := f(privacy.Placeholder); ok {
			t.Error("a placeholder got a term")
		}
	}
	a, _ := privacy.PlateTerm("ABC-1234")
	b, _ := privacy.PlateTerm("abc1c34")
	if a != b {
		t.Errorf("old and Mercosul plate terms differ: %v %v", a, b)
	}
}
