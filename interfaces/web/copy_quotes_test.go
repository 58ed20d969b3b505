package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/i18n"
)

// The quote copy has the same keys and format verbs in both locales, under
// web.*, and none shadows a key of the main page copy.
func TestQuoteCopy_sameKeysAndVerbsInEveryLocale(t *testing.T) {
	t.Parallel()
	verb := regexp.MustCompile(`%[a-z]`)
	pt, en := quoteCopy[i18n.PtBR], quoteCopy[i18n.En]
	if len(pt) != len(en) {
		t.Errorf("pt-BR has %d keys, en %d", len(pt), len(en))
	}
	for key, p := range pt {
		e, ok := en[key]
		switch {
		case !ok:
			t.Errorf("en lacks %q", key)
		case strings.Join(verb.FindAllString(p, -1), "") != strings.Join(verb.FindAllString(e, -1), ""):
			t.Errorf("%s: verbs differ between %q and %q", key, p, e)
		}
		if !strings.HasPrefix(key, "web.") {
			t.Errorf("%q outside web.*", key)
		}
		if _, dup := pageCopyPtBR[key]; dup {
			t.Errorf("%q is also in the main page copy", key)
		}
	}
	for _, s := range []string{"pending", "approved", "declined"} {
		if !messages.Has("web.quote.decision." + s) {
			t.Errorf("no copy for decision %s", s)
		}
	}
	for _, s := range []string{"sent", "approved", "partially_approved", "declined", "superseded"} {
		if !messages.Has("web.quote.status." + s) {
			t.Errorf("no copy for quote status %s", s)
		}
	}
}
