// Package i18n is the one message catalogue for everything a workshop or a
// car owner reads. pt-BR is the default; English is the second locale, and a
// new locale is a new map in each message set.
//
// Texts come in message sets: the application's own (validation codes,
// problem titles, e-mails, role names) lives here; each interface keeps its
// page copy beside its pages and composes a Catalogue of both.
package i18n

import (
	"fmt"
	"strings"
)

// Locale is a supported language.
type Locale string

// Locales.
const (
	PtBR Locale = "pt-BR"
	En   Locale = "en"
)

// Default is the locale of the product.
const Default = PtBR

// Messages is one message set: texts by key, per locale.
type Messages map[Locale]map[string]string

// ApplicationMessages are the texts the application itself produces:
// validation codes, problem titles, e-mails and role names.
var ApplicationMessages = Messages{PtBR: ptBR, En: en}

// Catalogue looks texts up in message sets; the first set that holds a key
// wins. It is read-only once built, so it is safe for concurrent use.
type Catalogue struct{ sets []Messages }

// NewCatalogue composes message sets.
func NewCatalogue(sets ...Messages) *Catalogue { return &Catalogue{sets: sets} }

var application = NewCatalogue(ApplicationMessages, BookingMessages, MFAMessages)

func (c *Catalogue) lookup(l Locale, key string) (string, bool) {
	for _, set := range c.sets {
		if msg, ok := set[l][key]; ok {
			return msg, true
		}
	}
	return "", false
}

// T returns the message for key in locale, formatted with args (fmt verbs).
// Unknown locales fall back to pt-BR; unknown keys return the key so a
// missing translation is visible but never breaks a page.
func (c *Catalogue) T(l Locale, key string, args ...any) string {
	msg, ok := c.lookup(l, key)
	if !ok {
		msg, ok = c.lookup(Default, key)
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key exists in the default locale.
func (c *Catalogue) Has(key string) bool { _, ok := c.lookup(Default, key); return ok }

// Keys lists every key of a locale (for completeness tests).
func (c *Catalogue) Keys(l Locale) []string {
	seen := map[string]bool{}
	var out []string
	for _, set := range c.sets {
		for k := range set[l] {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// FieldError returns the user-facing message for a validation code.
func (c *Catalogue) FieldError(l Locale, code string) string {
	key := "error." + code
	if c.Has(key) {
		return c.T(l, key)
	}
	return c.T(l, "error.invalid")
}

// T looks key up in the application's messages (see Catalogue.T).
func T(l Locale, key string, args ...any) string { return application.T(l, key, args...) }

// Has reports whether the application's messages hold key.
func Has(key string) bool { return application.Has(key) }

// Keys lists the keys of the application's messages in a locale.
func Keys(l Locale) []string { return application.Keys(l) }

// FieldError returns the application's message for a validation code.
func FieldError(l Locale, code string) string { return application.FieldError(l, code) }

// Negotiate picks a locale from an Accept-Language header.
func Negotiate(acceptLanguage string) Locale {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "pt"):
			return PtBR
		case strings.HasPrefix(tag, "en"):
			return En
		}
	}
	return Default
}
