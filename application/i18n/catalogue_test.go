package i18n_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/i18n"
)

func TestCatalogues_haveTheSameKeys(t *testing.T) {
	t.Parallel()
	pt, en := i18n.Keys(i18n.PtBR), i18n.Keys(i18n.En)
	sort.Strings(pt)
	sort.Strings(en)
	missing := map[string]bool{}
	for _, k := range pt {
		missing[k] = true
	}
	for _, k := range en {
		if !missing[k] {
			t.Errorf("en has %q, pt-BR does not", k)
		}
		delete(missing, k)
	}
	for k := range missing {
		t.Errorf("pt-BR has %q, en does not", k)
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]i18n.Locale{"": i18n.PtBR, "en-US,en;q=0.9": i18n.En, "pt-BR": i18n.PtBR, "fr": i18n.PtBR} {
		if got := i18n.Negotiate(in); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", in, got, want)
		}
	}
	if got := i18n.FieldError(i18n.PtBR, "invalid_check_digit"); got != "Dígito verificador inválido." {
		t.Errorf("pt-BR check digit message = %q", got)
	}
}

var verb = regexp.MustCompile(`%[a-z]`)

func TestCatalogues_useTheSameFormatVerbs(t *testing.T) {
	t.Parallel()
	for _, k := range i18n.Keys(i18n.PtBR) {
		pt := strings.Join(verb.FindAllString(i18n.T(i18n.PtBR, k), -1), "")
		en := strings.Join(verb.FindAllString(i18n.T(i18n.En, k), -1), "")
		if pt != en {
			t.Errorf("%s: pt-BR verbs %q, en verbs %q", k, pt, en)
		}
	}
}
