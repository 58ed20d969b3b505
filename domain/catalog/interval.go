package catalog

import (
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Bounds of a maintenance interval; beyond them the value is a typo (metres
// instead of km, days instead of months), not a maintenance plan.
const (
	maxIntervalKm     = 1_000_000
	maxIntervalMonths = 240
)

// Interval is a preventive-maintenance interval: a service is due again
// after Km kilometres or Months months, whichever comes first. Zero in one
// part means "not by that measure"; the zero Interval means "not periodic".
type Interval struct {
	km     int64
	months int
}

// NewInterval returns an interval of km kilometres and months months.
// Negative or absurd values are out_of_range on the fields "interval_km"
// and "interval_months" (both reported when both are wrong).
func NewInterval(km int64, months int) (Interval, error) {
	var col errs.Collector
	if km < 0 || km > maxIntervalKm {
		col.Add("interval_km", br.CodeOutOfRange, "interval must be between 0 and 1,000,000 km")
	}
	if months < 0 || months > maxIntervalMonths {
		col.Add("interval_months", br.CodeOutOfRange, "interval must be between 0 and 240 months")
	}
	if err := col.Err(); err != nil {
		return Interval{}, err
	}
	return Interval{km: km, months: months}, nil
}

// Km returns the distance part (0 when the service is not due by distance).
func (i Interval) Km() int64 { return i.km }

// Months returns the time part (0 when the service is not due by time).
func (i Interval) Months() int { return i.months }

// IsZero reports whether the service is not periodic.
func (i Interval) IsZero() bool { return i.km == 0 && i.months == 0 }
