// Package catalog lists the services a workshop performs: the default codes
// every workshop shares (see the API contract) with their pt-BR labels and
// preventive-maintenance intervals, plus the codes a workshop adds itself.
//
// Labels live here as data because they are part of what a service is (the
// default text printed on a service order); the UI's message catalogue for
// everything else lives elsewhere.
package catalog

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Stable error codes this package adds to those of domain/br.
const (
	// CodeTooLong means a text is longer than allowed.
	CodeTooLong = "too_long"
	// CodeReserved means a custom service tried to reuse a default code.
	CodeReserved = "reserved"
)

// maxLabelRunes bounds a label so it fits a printed service order line.
const maxLabelRunes = 80

// Service is one entry of a catalogue: a code, the label printed on service
// orders and the default preventive-maintenance interval.
type Service struct {
	code     ServiceCode
	label    string
	interval Interval
	custom   bool
}

// Code returns the service code.
func (s Service) Code() ServiceCode { return s.code }

// Label returns the pt-BR label, e.g. "Troca de óleo".
func (s Service) Label() string { return s.label }

// Interval returns the default preventive-maintenance interval (zero when
// the service is not periodic, e.g. diagnostics).
func (s Service) Interval() Interval { return s.interval }

// IsCustom reports whether the workshop added this service itself.
func (s Service) IsCustom() bool { return s.custom }

// Catalog is an immutable set of services: the defaults plus a workshop's
// own. The zero Catalog is empty; start from Default.
type Catalog struct {
	services []Service
	index    map[ServiceCode]int
}

// Default returns the catalogue every workshop starts with, in display order.
func Default() Catalog {
	c := Catalog{services: make([]Service, 0, len(defaults)), index: make(map[ServiceCode]int, len(defaults))}
	for _, d := range defaults {
		c.index[d.code] = len(c.services)
		c.services = append(c.services, Service{code: d.code, label: d.label, interval: d.interval})
	}
	return c
}

// Lookup returns the service with the given code.
func (c Catalog) Lookup(code ServiceCode) (Service, bool) {
	i, ok := c.index[code]
	if !ok {
		return Service{}, false
	}
	return c.services[i], true
}

// Services returns every service, defaults first in display order, then
// custom ones in the order they were added (a fresh slice).
func (c Catalog) Services() []Service {
	return append([]Service(nil), c.services...)
}

// WithCustom returns a copy of c with a workshop-defined service. Adding a
// custom code again replaces its label and interval (an edit); reusing a
// default code is refused as reserved, because reports compare default codes
// across workshops and a franchise must mean the same thing by them.
//
// Every field at fault is reported at once, with the fields "code", "label",
// "interval_km" and "interval_months".
func (c Catalog) WithCustom(code, label string, intervalKm int64, intervalMonths int) (Catalog, error) {
	var col errs.Collector
	sc, err := ParseServiceCode(code)
	if err != nil {
		addFieldErrors(&col, err)
	} else if _, isDefault := defaultIndex[sc]; isDefault {
		col.Add("code", CodeReserved, "default service codes cannot be redefined")
	}
	label = parseLabel(&col, label)
	iv, err := NewInterval(intervalKm, intervalMonths)
	if err != nil {
		addFieldErrors(&col, err)
	}
	if err := col.Err(); err != nil {
		return c, err
	}

	out := Catalog{services: append([]Service(nil), c.services...), index: make(map[ServiceCode]int, len(c.index)+1)}
	for k, v := range c.index {
		out.index[k] = v
	}
	s := Service{code: sc, label: label, interval: iv, custom: true}
	if i, ok := out.index[sc]; ok {
		out.services[i] = s
	} else {
		out.index[sc] = len(out.services)
		out.services = append(out.services, s)
	}
	return out, nil
}

// parseLabel trims the label and checks it is 1-80 characters of printable
// text on one line.
func parseLabel(col *errs.Collector, s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		col.Add("label", br.CodeRequired, "label is required")
	case !utf8.ValidString(s):
		col.Add("label", br.CodeInvalidFormat, "label must be valid UTF-8")
	case strings.ContainsFunc(s, unicode.IsControl):
		col.Add("label", br.CodeInvalidFormat, "label must not contain control characters")
	case utf8.RuneCountInString(s) > maxLabelRunes:
		col.Add("label", CodeTooLong, "label must have at most 80 characters")
	}
	return s
}

// addFieldErrors copies the fields of a *errs.ValidationError into col.
func addFieldErrors(col *errs.Collector, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(f.Field, f.Code, f.Message)
		}
	}
}
