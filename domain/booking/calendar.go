package booking

import (
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // workshops' time zones resolve on hosts without a zoneinfo database

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// Interval is a span of time [Start, End).
type Interval struct{ Start, End time.Time }

// Validation codes of a requested start.
const (
	CodeInThePast  = "in_the_past"
	CodeClosed     = "closed"
	CodeHoliday    = "holiday"
	CodeOffTheGrid = "not_a_slot"
)

// Calendar places appointments: the workshop's opening hours in its time
// zone, national holidays closed, start times on a grid of SlotMinutes from
// the opening time. Brazil has had no daylight saving time since 2019, but
// the calendar computes every time from local wall-clock dates, so a zone
// with DST would still get correct local times.
type Calendar struct {
	loc         *time.Location
	hours       map[time.Weekday][2]int // opening and closing minute of the day
	slotMinutes int
}

// NewCalendar builds the calendar of a workshop: tz is an IANA name ("" is
// workshop.DefaultTimeZone), hours its opening hours (a weekday absent is
// closed).
func NewCalendar(tz string, hours []workshop.BusinessHours, slotMinutes int) (Calendar, error) {
	if tz == "" {
		tz = workshop.DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return Calendar{}, fmt.Errorf("calendar: time zone %q: %w", tz, err)
	}
	if slotMinutes <= 0 {
		slotMinutes = DefaultSlotMinutes
	}
	c := Calendar{loc: loc, hours: map[time.Weekday][2]int{}, slotMinutes: slotMinutes}
	for _, h := range hours {
		open, ok1 := minuteOfDay(h.Opens)
		closes, ok2 := minuteOfDay(h.Closes)
		if !ok1 || !ok2 || closes <= open || h.Weekday < 0 || h.Weekday > 6 {
			continue // the profile validated them; a stored oddity closes the day
		}
		c.hours[time.Weekday(h.Weekday)] = [2]int{open, closes}
	}
	return c, nil
}

// Location returns the workshop's time zone.
func (c Calendar) Location() *time.Location { return c.loc }

func minuteOfDay(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// LocalDay returns the workshop's calendar day of t ("2006-01-02").
func (c Calendar) LocalDay(t time.Time) string { return t.In(c.loc).Format(DayLayout) }

// starts returns the start times on local day (y, m, d) for an appointment
// lasting dur: on the grid, ending by closing time; none on a holiday or a
// closed weekday.
func (c Calendar) starts(y int, m time.Month, d int, dur time.Duration) []time.Time {
	midnight := time.Date(y, m, d, 0, 0, 0, 0, c.loc)
	if holiday, _ := br.IsNationalHoliday(midnight); holiday {
		return nil
	}
	h, ok := c.hours[midnight.Weekday()]
	if !ok {
		return nil
	}
	at := func(minute int) time.Time { return time.Date(y, m, d, minute/60, minute%60, 0, 0, c.loc) }
	closes := at(h[1])
	var out []time.Time
	for minute := h[0]; ; minute += c.slotMinutes {
		s := at(minute)
		if s.Add(dur).After(closes) {
			break
		}
		out = append(out, s)
	}
	return out
}

// MaxSlotRange bounds the span one slots query may cover.
const MaxSlotRange = 31 * 24 * time.Hour

// FreeSlots returns the slots for an appointment lasting dur that start in
// [from, to), not before now, and during which fewer than bays of busy
// overlap at every instant; in start order.
func (c Calendar) FreeSlots(from, to, now time.Time, dur time.Duration, bays int, busy []Interval) []Interval {
	if to.Sub(from) > MaxSlotRange {
		to = from.Add(MaxSlotRange)
	}
	var out []Interval
	first := from.In(c.loc)
	day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, c.loc)
	for ; day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, c.loc) {
		starts := c.starts(day.Year(), day.Month(), day.Day(), dur)
		if len(starts) == 0 {
			continue
		}
		// Only the appointments that touch this day's slots count.
		first, last := starts[0], starts[len(starts)-1].Add(dur)
		var today []Interval
		for _, b := range busy {
			if b.Start.Before(last) && b.End.After(first) {
				today = append(today, b)
			}
		}
		for _, s := range starts {
			if s.Before(from) || !s.Before(to) || s.Before(now) {
				continue
			}
			e := s.Add(dur)
			if MaxOverlap(today, s, e) < bays {
				out = append(out, Interval{Start: s, End: e})
			}
		}
	}
	return out
}

// Fits checks that an appointment lasting dur may start at start: not in
// the past, on an open day that is no holiday, on the grid and ending by
// closing time. It returns the end and the local day, or a validation error
// on "start".
func (c Calendar) Fits(start time.Time, dur time.Duration, now time.Time) (time.Time, string, error) {
	local := start.In(c.loc)
	y, m, d := local.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, c.loc)
	switch {
	case start.Before(now):
		return time.Time{}, "", errs.Invalid(FieldStart, CodeInThePast, "start is in the past")
	case isHoliday(midnight):
		return time.Time{}, "", errs.Invalid(FieldStart, CodeHoliday, "the workshop is closed on this holiday")
	}
	if _, open := c.hours[midnight.Weekday()]; !open {
		return time.Time{}, "", errs.Invalid(FieldStart, CodeClosed, "the workshop is closed on this day")
	}
	for _, s := range c.starts(y, m, d, dur) {
		if s.Equal(start) {
			return s.Add(dur).UTC(), local.Format(DayLayout), nil
		}
	}
	return time.Time{}, "", errs.Invalid(FieldStart, CodeOffTheGrid, "start is not a slot of the opening hours")
}

func isHoliday(t time.Time) bool { h, _ := br.IsNationalHoliday(t); return h }

// MaxOverlap returns the largest number of busy intervals that overlap one
// instant of [start, end).
func MaxOverlap(busy []Interval, start, end time.Time) int {
	points := []time.Time{start}
	for _, b := range busy {
		if b.Start.After(start) && b.Start.Before(end) {
			points = append(points, b.Start)
		}
	}
	best := 0
	for _, p := range points {
		n := 0
		for _, b := range busy {
			if !b.Start.After(p) && p.Before(b.End) {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}
