// Package i18n is the one message catalogue for everything a workshop or a
// car owner reads. pt-BR is the default; English is the second locale, and a
// new locale is a new map.
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

var catalogues = map[Locale]map[string]string{
	PtBR: ptBR,
	En:   en,
}

// T returns the message for key in locale, formatted with args
// (fmt verbs). Unknown locales fall back to pt-BR; unknown keys return the key
// so a missing translation is visible but never breaks a page.
func T(l Locale, key string, args ...any) string {
	msg, ok := catalogues[l][key]
	if !ok {
		msg, ok = catalogues[Default][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key exists in the default catalogue.
func Has(key string) bool { _, ok := catalogues[Default][key]; return ok }

// Keys lists every key of a locale (for completeness tests).
func Keys(l Locale) []string {
	out := make([]string, 0, len(catalogues[l]))
	for k := range catalogues[l] {
		out = append(out, k)
	}
	return out
}

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

// FieldError returns the user-facing message for a validation code.
func FieldError(l Locale, code string) string {
	key := "error." + code
	if Has(key) {
		return T(l, key)
	}
	return T(l, "error.invalid")
}
