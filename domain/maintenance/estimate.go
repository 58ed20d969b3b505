// Package maintenance predicts when a vehicle's periodic services fall due:
// it estimates the vehicle's daily distance from its odometer readings and
// applies the catalogue's preventive intervals ("whichever comes first", km
// or months) to the vehicle's service history. It is pure: the caller passes
// the history and the current time.
package maintenance

import (
	"math"
	"slices"
	"sort"
	"time"
)

// Bounds and defaults of the km/day estimate.
const (
	// DefaultFleetKmPerDay is the km/day used when a vehicle's readings do
	// not tell (a single reading, none, or all on one day): about 12,000 km
	// a year, a common figure for Brazilian passenger cars.
	DefaultFleetKmPerDay = 33.0
	// MaxKmPerDay caps an estimate: above it the readings hold a typo.
	MaxKmPerDay = 1500.0
	// maxPairReadings bounds the readings the pairwise estimate looks at
	// (the most recent ones), so its cost stays O(1) per vehicle.
	maxPairReadings = 40
	// minPairDays ignores pairs of readings closer than this: two readings
	// taken on the same day say nothing about the daily distance.
	minPairDays = 1.0
)

// Reading is one odometer reading of a vehicle.
type Reading struct {
	At time.Time
	Km int64
	// NewOdometer marks the first reading after the odometer was replaced
	// or reset: readings before it belong to another odometer.
	NewOdometer bool
}

// Source says where an estimate comes from.
type Source string

// Sources of an estimate.
const (
	// SourceHistory: the vehicle's own readings (robust regression).
	SourceHistory Source = "history"
	// SourceFleet: the fleet default, the readings do not tell.
	SourceFleet Source = "fleet_default"
)

// Estimate is a vehicle's daily distance and, when its readings allow, a
// robust line through them on the vehicle's distance axis (see Series).
type Estimate struct {
	KmPerDay float64
	Source   Source
}

// Series is a vehicle's readings on one continuous distance axis: readings
// of an earlier odometer are shifted so that the axis does not jump back at
// a replacement (the distance driven between the last reading of the old
// odometer and the first of the new one is taken as zero).
type Series struct {
	points []point
	// offset maps the current odometer's km to the axis: axis = km + offset.
	offset int64
	// current is the index of the first point of the current odometer.
	current int
}

type point struct {
	at       time.Time
	km       int64 // as read
	distance int64 // on the axis
}

// NewSeries orders readings by time (a reading marked NewOdometer last
// among readings of the same instant: the old odometer's last reading and
// the new one's first are often taken together) and builds the distance axis.
func NewSeries(readings []Reading) Series {
	rs := slices.Clone(readings)
	sort.SliceStable(rs, func(i, j int) bool {
		if !rs[i].At.Equal(rs[j].At) {
			return rs[i].At.Before(rs[j].At)
		}
		return !rs[i].NewOdometer && rs[j].NewOdometer
	})
	s := Series{points: make([]point, 0, len(rs))}
	var offset, lastKm int64
	for i, r := range rs {
		if r.NewOdometer && i > 0 {
			offset += lastKm - r.Km
			s.current = i
		}
		s.points = append(s.points, point{at: r.At, km: r.Km, distance: r.Km + offset})
		lastKm = r.Km
	}
	s.offset = offset
	return s
}

// Len is the number of readings.
func (s Series) Len() int { return len(s.points) }

// ToAxis converts a km reading taken at time at to the distance axis, taking
// the odometer in use at that time.
func (s Series) ToAxis(km int64, at time.Time) int64 {
	off := int64(0)
	for _, p := range s.points {
		if p.at.After(at) {
			break
		}
		off = p.distance - p.km
	}
	return km + off
}

// ToCurrentKm converts an axis distance to the current odometer's km.
func (s Series) ToCurrentKm(distance int64) int64 { return distance - s.offset }

// EstimateKmPerDay estimates the daily distance robustly: the median of the
// pairwise rates (Theil–Sen slope) of the current odometer's most recent
// readings, so that a replaced odometer starts a new series and a typo in a
// minority of readings does not move the estimate. With fewer than two
// readings at least a day apart it returns fleetDefault (DefaultFleetKmPerDay
// when fleetDefault <= 0). The estimate is clamped to 0..MaxKmPerDay.
func (s Series) EstimateKmPerDay(fleetDefault float64) Estimate {
	if fleetDefault <= 0 || math.IsNaN(fleetDefault) {
		fleetDefault = DefaultFleetKmPerDay
	}
	pts := s.points[s.current:]
	if len(pts) > maxPairReadings {
		pts = pts[len(pts)-maxPairReadings:]
	}
	rates := make([]float64, 0, len(pts)*(len(pts)-1)/2)
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			days := pts[j].at.Sub(pts[i].at).Hours() / 24
			if days < minPairDays {
				continue
			}
			rates = append(rates, float64(pts[j].km-pts[i].km)/days)
		}
	}
	if len(rates) == 0 {
		return Estimate{KmPerDay: fleetDefault, Source: SourceFleet}
	}
	r := median(rates)
	switch {
	case r < 0:
		r = 0
	case r > MaxKmPerDay:
		r = MaxKmPerDay
	}
	return Estimate{KmPerDay: r, Source: SourceHistory}
}

// DistanceAt predicts the axis distance at time at from the readings and
// rate: the robust intercept (median of each reading's distance minus the
// rate times its age) of the current odometer's readings, projected to at.
// ok is false when there are no readings.
func (s Series) DistanceAt(at time.Time, kmPerDay float64) (distance float64, ok bool) {
	pts := s.points[s.current:]
	if len(pts) == 0 {
		return 0, false
	}
	if len(pts) > maxPairReadings {
		pts = pts[len(pts)-maxPairReadings:]
	}
	ref := pts[len(pts)-1].at
	xs := make([]float64, len(pts))
	for i, p := range pts {
		xs[i] = float64(p.distance) - kmPerDay*p.at.Sub(ref).Hours()/24
	}
	return median(xs) + kmPerDay*at.Sub(ref).Hours()/24, true
}

// median of xs (sorted in place); xs is not empty.
func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
