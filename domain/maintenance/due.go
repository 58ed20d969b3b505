package maintenance

import (
	"math"
	"sort"
	"time"

	"github.com/torquehq/torque/domain/catalog"
)

// ServiceDone is one service performed on the vehicle: an item of a service
// order with a service code.
type ServiceDone struct {
	Service string
	At      time.Time
	// Km is the order's odometer reading, meaningful when HasKm.
	Km    int64
	HasKm bool
	// Ref identifies the record (e.g. "<order id>/<line>"); it names the due
	// cycle that this service starts.
	Ref string
}

// Trigger says which part of the interval comes first.
type Trigger string

// Triggers.
const (
	ByKm     Trigger = "km"
	ByMonths Trigger = "months"
)

// Intervals gives the preventive interval of a service code in force for a
// workshop (its catalogue, with its overrides).
type Intervals map[string]catalog.Interval

// IntervalsOf lists the periodic services of cat (defaults and the workshop's
// own), then applies overrides: a workshop's interval for a code replaces
// the catalogue's, and a zero override turns reminders for it off.
func IntervalsOf(cat catalog.Catalog, overrides map[string]catalog.Interval) Intervals {
	out := Intervals{}
	for _, s := range cat.Services() {
		if !s.Interval().IsZero() {
			out[s.Code().String()] = s.Interval()
		}
	}
	for code, iv := range overrides {
		if iv.IsZero() {
			delete(out, code)
			continue
		}
		out[code] = iv
	}
	return out
}

// Due is the next due point of one service of a vehicle.
type Due struct {
	Service string
	// Cycle is the Ref of the service record that started this cycle: a
	// reminder is sent at most once per (vehicle, service, cycle).
	Cycle      string
	LastDoneAt time.Time
	// DueAt is the day (00:00 UTC) the service falls due, by whichever of
	// the interval's parts comes first (By).
	DueAt time.Time
	By    Trigger
	// DueKm is the reading of the current odometer at which the service is
	// due by distance; HasDueKm is false when the interval has no km part
	// or the distance at the last service is unknown.
	DueKm    int64
	HasDueKm bool
	// KmPerDay is the estimate used and where it comes from.
	KmPerDay float64
	Source   Source
}

// Input is what Predict needs about one vehicle.
type Input struct {
	Readings  []Reading
	Done      []ServiceDone
	Intervals Intervals
	// FleetKmPerDay is the rate for vehicles whose readings do not tell
	// (DefaultFleetKmPerDay when 0).
	FleetKmPerDay float64
}

// Predict returns the next due point of every periodic service the vehicle
// has had at least once (a service never done here has no known start), in
// order of due date then service code. A service whose only part is km is
// left out while the vehicle does not move (rate 0) or its distance at the
// last service is unknown.
func Predict(in Input) []Due {
	series := NewSeries(in.Readings)
	est := series.EstimateKmPerDay(in.FleetKmPerDay)

	last := map[string]ServiceDone{}
	for _, d := range in.Done {
		cur, ok := last[d.Service]
		if !ok || d.At.After(cur.At) || (d.At.Equal(cur.At) && d.Ref > cur.Ref) {
			last[d.Service] = d
		}
	}
	out := make([]Due, 0, len(last))
	for code, d := range last {
		iv, ok := in.Intervals[code]
		if !ok {
			continue
		}
		if due, ok := predictOne(series, est, d, iv); ok {
			out = append(out, due)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].DueAt.Equal(out[j].DueAt) {
			return out[i].DueAt.Before(out[j].DueAt)
		}
		return out[i].Service < out[j].Service
	})
	return out
}

func predictOne(s Series, est Estimate, d ServiceDone, iv catalog.Interval) (Due, bool) {
	due := Due{Service: d.Service, Cycle: d.Ref, LastDoneAt: d.At, KmPerDay: est.KmPerDay, Source: est.Source}
	var byMonths, byKm time.Time
	if iv.Months() > 0 {
		byMonths = day(d.At).AddDate(0, iv.Months(), 0)
	}
	if iv.Km() > 0 {
		doneAxis, known := float64(0), false
		if d.HasKm {
			doneAxis, known = float64(s.ToAxis(d.Km, d.At)), true
		} else if dist, ok := s.DistanceAt(d.At, est.KmPerDay); ok {
			doneAxis, known = dist, true
		}
		if known {
			dueAxis := doneAxis + float64(iv.Km())
			due.DueKm, due.HasDueKm = s.ToCurrentKm(int64(math.Round(dueAxis))), true
			if est.KmPerDay > 0 {
				byKm = kmDate(s, est, d, dueAxis)
			}
		}
	}
	switch {
	case byMonths.IsZero() && byKm.IsZero():
		return Due{}, false
	case byKm.IsZero() || (!byMonths.IsZero() && !byKm.Before(byMonths)):
		due.DueAt, due.By = byMonths, ByMonths
	default:
		due.DueAt, due.By = byKm, ByKm
	}
	return due, true
}

// kmDate is the day the axis distance reaches dueAxis at the estimated
// rate. It projects from a robust line (the median intercept at that rate)
// through the service's own reading, when it has one, and the readings
// taken since; otherwise through all the current odometer's readings.
func kmDate(s Series, est Estimate, d ServiceDone, dueAxis float64) time.Time {
	ref := d.At
	var now float64
	if d.HasKm {
		xs := []float64{float64(s.ToAxis(d.Km, d.At))}
		for _, p := range s.points[s.current:] {
			if p.at.After(d.At) {
				xs = append(xs, float64(p.distance)-est.KmPerDay*p.at.Sub(ref).Hours()/24)
			}
		}
		now = median(xs)
	} else {
		now, _ = s.DistanceAt(ref, est.KmPerDay)
	}
	days := (dueAxis - now) / est.KmPerDay
	// Bound the projection (about 100 years) so the date stays representable.
	days = math.Max(-36500, math.Min(36500, days))
	return day(ref.Add(time.Duration(days * 24 * float64(time.Hour))))
}

// day truncates t to 00:00 UTC of its day.
func day(t time.Time) time.Time {
	y, m, dd := t.UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}
