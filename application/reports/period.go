package reports

import (
	"time"

	"github.com/torquehq/torque/domain/errs"
)

// PeriodInput is the ?from=&to= of a report: dates (YYYY-MM-DD, both
// inclusive) in the workshop's time zone; empty means the last 12 months.
type PeriodInput struct {
	From, To string
}

// maxSpan bounds a report's period.
const maxSpan = 10 * 366 * 24 * time.Hour

// resolve turns the period into instants [from, to) in loc, today being the
// date of now in loc.
func (in PeriodInput) resolve(now time.Time, loc *time.Location) (time.Time, time.Time, error) {
	var col errs.Collector
	today := now.In(loc)
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc) }
	to := day(today)
	from := day(today.AddDate(-1, 0, 1))
	parse := func(field, s string, into *time.Time) {
		if s == "" {
			return
		}
		d, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			col.Add(field, "invalid_format", field+" must be a date YYYY-MM-DD")
			return
		}
		*into = d
	}
	parse("from", in.From, &from)
	parse("to", in.To, &to)
	if err := col.Err(); err != nil {
		return time.Time{}, time.Time{}, err
	}
	end := to.AddDate(0, 0, 1)
	if !from.Before(end) {
		return time.Time{}, time.Time{}, errs.Invalid("to", "out_of_range", "to must not be before from")
	}
	if end.Sub(from) > maxSpan {
		return time.Time{}, time.Time{}, errs.Invalid("from", "out_of_range", "a report covers at most 10 years")
	}
	return from.UTC(), end.UTC(), nil
}

func location(name string) *time.Location {
	if name == "" {
		name = "America/Sao_Paulo"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc, _ = time.LoadLocation("America/Sao_Paulo")
		if loc == nil {
			loc = time.UTC
		}
	}
	return loc
}
