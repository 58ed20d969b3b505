package booking

import (
	"strings"
	"time"

	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
)

// SlotQueryInput is the raw query of GET .../slots.
type SlotQueryInput struct {
	// Services is a comma-separated list of service codes (required).
	Services string
	// From and To bound the slots' start: a date ("2026-12-04", the
	// workshop's local day; To's day is included) or an RFC 3339 instant.
	// Defaults: from now, for 7 days.
	From, To string
}

// SlotQuery is a parsed slots query.
type SlotQuery struct {
	Services []string // distinct, in the order asked
	From, To time.Time
}

// Query limits.
const (
	MaxServicesPerBooking = 10
	DefaultSlotRange      = 7 * 24 * time.Hour
)

// ParseSlotQuery parses a slots query in the workshop's time zone loc at
// time now. Every bad parameter is a field error: services (required,
// invalid_format, too_many), from and to (invalid_format), to
// (out_of_range: not after from, or more than 31 days after it).
func ParseSlotQuery(in SlotQueryInput, loc *time.Location, now time.Time) (SlotQuery, error) {
	var c errs.Collector
	var q SlotQuery
	q.Services = parseServices(&c, booking.FieldServices, in.Services)
	from, okFrom := parseBound(&c, "from", in.From, loc, false)
	to, okTo := parseBound(&c, "to", in.To, loc, true)
	if !okFrom || from.IsZero() {
		from = now
	}
	if !okTo || to.IsZero() {
		to = from.Add(DefaultSlotRange)
	}
	if okFrom && okTo {
		switch {
		case !to.After(from):
			c.Add("to", br.CodeOutOfRange, "to must be after from")
		case to.Sub(from) > booking.MaxSlotRange:
			c.Add("to", br.CodeOutOfRange, "a query covers at most 31 days")
		}
	}
	if err := c.Err(); err != nil {
		return SlotQuery{}, err
	}
	q.From, q.To = from.UTC(), to.UTC()
	return q, nil
}

// parseServices splits and checks service codes (format only; the
// catalogue is checked by the use case).
func parseServices(c *errs.Collector, field, s string) []string {
	if strings.TrimSpace(s) == "" {
		c.Add(field, br.CodeRequired, "at least one service is required")
		return nil
	}
	parts := strings.Split(s, ",")
	if len(parts) > MaxServicesPerBooking {
		c.Add(field, "too_many", "at most 10 services per appointment")
		return nil
	}
	return normaliseServices(c, field, parts)
}

func normaliseServices(c *errs.Collector, field string, codes []string) []string {
	if len(codes) == 0 {
		c.Add(field, br.CodeRequired, "at least one service is required")
		return nil
	}
	if len(codes) > MaxServicesPerBooking {
		c.Add(field, "too_many", "at most 10 services per appointment")
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range codes {
		code, err := catalog.ParseServiceCode(strings.TrimSpace(p))
		if err != nil {
			c.Add(field, br.CodeInvalidFormat, "services are catalogue codes such as oil_change")
			return nil
		}
		if !seen[code.String()] {
			seen[code.String()] = true
			out = append(out, code.String())
		}
	}
	return out
}

// parseBound reads a date (local midnight; for an upper bound, the next
// midnight) or an RFC 3339 instant. "" is zero and ok.
func parseBound(c *errs.Collector, field, s string, loc *time.Location, upper bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	if len(s) <= len(booking.DayLayout) {
		d, err := time.ParseInLocation(booking.DayLayout, s, loc)
		if err != nil {
			c.Add(field, br.CodeInvalidFormat, field+" must be a date (2006-01-02) or an RFC 3339 time")
			return time.Time{}, false
		}
		if upper {
			d = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
		}
		return d, true
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 || t.Year() > 9000 {
		c.Add(field, br.CodeInvalidFormat, field+" must be a date (2006-01-02) or an RFC 3339 time")
		return time.Time{}, false
	}
	return t, true
}
