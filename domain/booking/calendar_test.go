package booking_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// weekdays opens Monday to Friday 08:00–12:00 and Saturday 08:00–10:00.
var weekdays = []workshop.BusinessHours{
	{Weekday: 1, Opens: "08:00", Closes: "12:00"}, {Weekday: 2, Opens: "08:00", Closes: "12:00"},
	{Weekday: 3, Opens: "08:00", Closes: "12:00"}, {Weekday: 4, Opens: "08:00", Closes: "12:00"},
	{Weekday: 5, Opens: "08:00", Closes: "12:00"}, {Weekday: 6, Opens: "08:00", Closes: "10:00"},
}

func saoPaulo(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func calendar(t *testing.T, tz string, slot int) booking.Calendar {
	t.Helper()
	c, err := booking.NewCalendar(tz, weekdays, slot)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func starts(slots []booking.Interval, loc *time.Location) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.In(loc).Format("Mon 02 15:04")+"-"+s.End.In(loc).Format("15:04"))
	}
	return out
}

func equal(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d slots %v, want %d %v", len(got), got, len(want), want)
	}
	for i, w := range want {
		if got[i] != w {
			t.Fatalf("slot %d = %s, want %s (all: %v)", i, got[i], w, got)
		}
	}
}

// An early "now" so nothing is in the past.
var longAgo = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

func TestFreeSlots_followOpeningHoursInTheWorkshopsTimeZone(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	c := calendar(t, "America/Sao_Paulo", 60)
	// Saturday 5 and Sunday 6 December 2026: Saturday until 10:00, Sunday closed.
	from := time.Date(2026, 12, 5, 0, 0, 0, 0, loc)
	got := c.FreeSlots(from, from.AddDate(0, 0, 2), longAgo, time.Hour, 1, nil)
	equal(t, starts(got, loc), []string{"Sat 05 08:00-09:00", "Sat 05 09:00-10:00"})
	// 08:00 in São Paulo is 11:00 UTC (UTC−3 all year: no DST since 2019).
	if got[0].Start.UTC().Hour() != 11 {
		t.Errorf("08:00 local = %s UTC", got[0].Start.UTC())
	}
}

func TestFreeSlots_noDaylightSavingInBrazil(t *testing.T) {
	t.Parallel()
	c := calendar(t, "America/Sao_Paulo", 60)
	// January (summer, when DST used to apply) and July: both 08:00 = 11:00 UTC.
	for _, day := range []time.Time{time.Date(2027, 1, 11, 12, 0, 0, 0, time.UTC), time.Date(2027, 7, 12, 12, 0, 0, 0, time.UTC)} {
		got := c.FreeSlots(day.Add(-12*time.Hour), day.Add(12*time.Hour), longAgo, time.Hour, 1, nil)
		if len(got) == 0 || got[0].Start.UTC().Hour() != 11 {
			t.Errorf("%s: first slot %v", day.Format("Jan"), got)
		}
	}
}

func TestFreeSlots_anotherTimeZoneShiftsTheSameWallClock(t *testing.T) {
	t.Parallel()
	manaus, err := time.LoadLocation("America/Manaus")
	if err != nil {
		t.Fatal(err)
	}
	c := calendar(t, "America/Manaus", 60)
	from := time.Date(2026, 12, 7, 0, 0, 0, 0, manaus)
	got := c.FreeSlots(from, from.AddDate(0, 0, 1), longAgo, time.Hour, 1, nil)
	if len(got) != 4 || got[0].Start.UTC().Hour() != 12 { // 08:00 UTC−4
		t.Fatalf("Manaus slots %v", starts(got, manaus))
	}
}

func TestFreeSlots_holidaysAreClosed(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	c := calendar(t, "America/Sao_Paulo", 60)
	// Friday 25 December (Natal) and Friday 20 November (Consciência Negra).
	for _, d := range []time.Time{time.Date(2026, 12, 25, 0, 0, 0, 0, loc), time.Date(2026, 11, 20, 0, 0, 0, 0, loc)} {
		if got := c.FreeSlots(d, d.AddDate(0, 0, 1), longAgo, time.Hour, 5, nil); len(got) != 0 {
			t.Errorf("%s: %v", d.Format("02 Jan"), starts(got, loc))
		}
		if _, _, err := c.Fits(d.Add(8*time.Hour), time.Hour, longAgo); !hasCode(err, booking.CodeHoliday) {
			t.Errorf("Fits on %s = %v", d.Format("02 Jan"), err)
		}
	}
}

func TestFreeSlots_durationRoundsUpToSlotsAndMustEndByClosing(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	s := booking.SettingsData{Bays: 1, SlotMinutes: 30, ServiceMinutes: map[string]int{"oil_change": 30, "alignment_balancing": 45}}
	dur := s.Duration([]string{"oil_change", "alignment_balancing"}) // 75 → 90 minutes
	if dur != 90*time.Minute {
		t.Fatalf("duration = %s", dur)
	}
	if d := s.Duration([]string{"brakes"}); d != 60*time.Minute {
		t.Errorf("a service without a duration takes the default: %s", d)
	}
	c := calendar(t, "America/Sao_Paulo", 30)
	sat := time.Date(2026, 12, 5, 0, 0, 0, 0, loc) // open 08:00–10:00
	equal(t, starts(c.FreeSlots(sat, sat.AddDate(0, 0, 1), longAgo, dur, 1, nil), loc),
		[]string{"Sat 05 08:00-09:30", "Sat 05 08:30-10:00"})
}

func TestFreeSlots_aSlotIsFreeWhileFewerThanBaysOverlap(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	c := calendar(t, "America/Sao_Paulo", 60)
	sat := time.Date(2026, 12, 5, 0, 0, 0, 0, loc)
	at := func(h int) time.Time { return sat.Add(time.Duration(h) * time.Hour) }
	busy := []booking.Interval{{Start: at(8), End: at(9)}}
	equal(t, starts(c.FreeSlots(sat, sat.AddDate(0, 0, 1), longAgo, time.Hour, 1, busy), loc), []string{"Sat 05 09:00-10:00"})
	equal(t, starts(c.FreeSlots(sat, sat.AddDate(0, 0, 1), longAgo, time.Hour, 2, busy), loc),
		[]string{"Sat 05 08:00-09:00", "Sat 05 09:00-10:00"})
	// Two back-to-back appointments never overlap each other: a two-hour job
	// still fits in two bays.
	busy = append(busy, booking.Interval{Start: at(9), End: at(10)})
	if got := c.FreeSlots(sat, sat.AddDate(0, 0, 1), longAgo, 2*time.Hour, 2, busy); len(got) != 1 {
		t.Errorf("2 h job with 2 bays: %v", starts(got, loc))
	}
}

func TestFreeSlots_notInThePastNorOutsideTheRange(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	c := calendar(t, "America/Sao_Paulo", 60)
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, loc) // Monday 09:30
	got := c.FreeSlots(now.Add(-48*time.Hour), time.Date(2026, 12, 7, 11, 0, 0, 0, loc), now, time.Hour, 1, nil)
	equal(t, starts(got, loc), []string{"Mon 07 10:00-11:00"})
	if _, _, err := c.Fits(time.Date(2026, 12, 7, 9, 0, 0, 0, loc), time.Hour, now); !hasCode(err, booking.CodeInThePast) {
		t.Errorf("past start: %v", err)
	}
}

func TestFits_acceptsOnlyGridStartsOnOpenDays(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	c := calendar(t, "America/Sao_Paulo", 30)
	cases := map[time.Time]string{
		time.Date(2026, 12, 7, 8, 30, 0, 0, loc):  "",
		time.Date(2026, 12, 7, 8, 15, 0, 0, loc):  booking.CodeOffTheGrid,
		time.Date(2026, 12, 7, 11, 30, 0, 0, loc): booking.CodeOffTheGrid, // would end after 12:00
		time.Date(2026, 12, 7, 7, 30, 0, 0, loc):  booking.CodeOffTheGrid,
		time.Date(2026, 12, 6, 9, 0, 0, 0, loc):   booking.CodeClosed, // Sunday
	}
	for start, code := range cases {
		end, day, err := c.Fits(start, time.Hour, longAgo)
		if code == "" {
			if err != nil || !end.Equal(start.Add(time.Hour)) || day != "2026-12-07" {
				t.Errorf("%s: %v %s %s", start, err, end, day)
			}
			continue
		}
		if !hasCode(err, code) {
			t.Errorf("%s: err %v, want %s", start, err, code)
		}
	}
}

func TestDay_bookingPastCapacityIsAConflict(t *testing.T) {
	t.Parallel()
	loc := saoPaulo(t)
	d := booking.BlankDay(uuid.New())
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, loc)
	in := func() booking.BookInput {
		return booking.BookInput{AppointmentID: uuid.New(), CustomerID: uuid.New(), VehicleID: uuid.New(), Day: "2026-12-07",
			Start: start, End: start.Add(time.Hour), Services: []string{"oil_change"}, BookedBy: booking.ByCustomer}
	}
	first := in()
	if err := d.Book(first, 2, longAgo); err != nil {
		t.Fatal(err)
	}
	if err := d.Book(in(), 2, longAgo); err != nil {
		t.Fatal(err)
	}
	if err := d.Book(in(), 2, longAgo); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("third booking in 2 bays: %v", err)
	}
	// Cancelling frees the bay.
	if err := d.ChangeStatus(first.AppointmentID, "cancelled", uuid.Nil, booking.ByCustomer, longAgo); err != nil {
		t.Fatal(err)
	}
	if err := d.Book(in(), 2, longAgo); err != nil {
		t.Fatalf("after a cancellation: %v", err)
	}
	if n := len(d.Recorder().PopEvents()); n != 4 {
		t.Errorf("events = %d", n)
	}
}

func TestDay_statusTransitions(t *testing.T) {
	t.Parallel()
	d := booking.BlankDay(uuid.New())
	start := time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)
	id := uuid.New()
	if err := d.Book(booking.BookInput{AppointmentID: id, Start: start, End: start.Add(time.Hour), Day: "2026-12-07"}, 1, longAgo); err != nil {
		t.Fatal(err)
	}
	order := uuid.New()
	steps := []struct {
		to    string
		order uuid.UUID
		want  error
	}{
		{"bogus", uuid.Nil, &errs.ValidationError{}},
		{"arrived", uuid.Nil, errs.ErrIllegalTransition}, // arrival needs its order
		{"confirmed", uuid.Nil, nil},
		{"confirmed", uuid.Nil, errs.ErrIllegalTransition},
		{"arrived", order, nil},
		{"no_show", uuid.Nil, errs.ErrIllegalTransition},
		{"cancelled", uuid.Nil, errs.ErrIllegalTransition},
	}
	for _, s := range steps {
		err := d.ChangeStatus(id, s.to, s.order, booking.ByStaff, longAgo)
		var ve *errs.ValidationError
		switch {
		case s.want == nil && err != nil,
			s.want != nil && errors.As(s.want, &ve) && !errors.As(err, &ve),
			s.want != nil && !errors.As(s.want, &ve) && !errors.Is(err, s.want):
			t.Errorf("→ %s: %v, want %v", s.to, err, s.want)
		}
	}
	a, _ := d.Appointment(id)
	if a.Status != booking.StatusArrived || a.ServiceOrderID != order {
		t.Errorf("appointment %+v", a)
	}
	if err := d.ChangeStatus(uuid.New(), "confirmed", uuid.Nil, booking.ByStaff, longAgo); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("unknown appointment: %v", err)
	}
}

func TestSettings_validation(t *testing.T) {
	t.Parallel()
	s := booking.BlankSettings(uuid.New())
	if s.Data().Bays != 1 || s.Data().SlotMinutes != 30 {
		t.Errorf("defaults %+v", s.Data())
	}
	err := s.Change(booking.SettingsData{Bays: 0, SlotMinutes: 7, ServiceMinutes: map[string]int{"warp_drive": 30, "oil_change": 0}},
		known{"oil_change": true}, longAgo)
	for _, f := range []string{"bays", "slot_minutes", "service_minutes.warp_drive", "service_minutes.oil_change"} {
		if !hasField(err, f) {
			t.Errorf("no error on %s: %v", f, err)
		}
	}
	if err := s.Change(booking.SettingsData{Bays: 3, SlotMinutes: 15, ServiceMinutes: map[string]int{"oil_change": 30}}, known{"oil_change": true}, longAgo); err != nil {
		t.Fatal(err)
	}
	if s.Data().Bays != 3 || s.Data().Minutes("oil_change") != 30 {
		t.Errorf("after change %+v", s.Data())
	}
}

type known map[string]bool

func (k known) Has(code string) bool { return k[code] }

func hasCode(err error, code string) bool {
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Code == code {
			return true
		}
	}
	return false
}

func hasField(err error, field string) bool {
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
