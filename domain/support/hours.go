package support

import (
	"time"

	"github.com/torquehq/torque/domain/br"
)

// FirstResponseTarget is how much opening time staff have to answer a new
// ticket.
const FirstResponseTarget = 4 * time.Hour

// Window is one weekday's opening window, minutes from midnight.
type Window struct {
	Weekday      time.Weekday
	Opens, Close int
}

// DefaultHours are used when a workshop has not told its hours: Monday to
// Friday 08:00–18:00 and Saturday 08:00–12:00.
func DefaultHours() []Window {
	var out []Window
	for d := time.Monday; d <= time.Friday; d++ {
		out = append(out, Window{Weekday: d, Opens: 8 * 60, Close: 18 * 60})
	}
	return append(out, Window{Weekday: time.Saturday, Opens: 8 * 60, Close: 12 * 60})
}

// ParseClock parses "HH:MM" into minutes from midnight.
func ParseClock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// Hours is a workshop's opening schedule in its time zone; national
// holidays (domain/br) are closed.
type Hours struct {
	Loc     *time.Location
	Windows []Window
}

// window returns the opening window of the calendar day of t (in h.Loc).
func (h Hours) window(day time.Time) (open, closeAt time.Time, ok bool) {
	if hol, _ := br.IsNationalHoliday(day); hol {
		return time.Time{}, time.Time{}, false
	}
	y, m, d := day.Date()
	for _, w := range h.Windows {
		if w.Weekday == day.Weekday() && w.Close > w.Opens {
			o := time.Date(y, m, d, w.Opens/60, w.Opens%60, 0, 0, h.Loc)
			c := time.Date(y, m, d, w.Close/60, w.Close%60, 0, 0, h.Loc)
			return o, c, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// IsOpen reports whether the workshop is open at t.
func (h Hours) IsOpen(t time.Time) bool {
	h = h.normalised()
	t = t.In(h.Loc)
	o, c, ok := h.window(t)
	return ok && !t.Before(o) && t.Before(c)
}

func (h Hours) normalised() Hours {
	if h.Loc == nil {
		h.Loc = time.UTC
	}
	if len(h.Windows) == 0 {
		h.Windows = DefaultHours()
	}
	return h
}

// AddOpenTime returns the instant when d of opening time has passed after
// start: time outside the windows and on national holidays does not count.
// With no window in the next 60 days it returns start + d.
func (h Hours) AddOpenTime(start time.Time, d time.Duration) time.Time {
	h = h.normalised()
	cur := start.In(h.Loc)
	left := d
	for range 60 {
		o, c, ok := h.window(cur)
		if ok && cur.Before(c) {
			if cur.Before(o) {
				cur = o
			}
			if avail := c.Sub(cur); avail >= left {
				return cur.Add(left).UTC()
			} else {
				left -= avail
			}
		}
		y, m, dd := cur.Date()
		cur = time.Date(y, m, dd+1, 0, 0, 0, 0, h.Loc)
	}
	return start.Add(d).UTC()
}
