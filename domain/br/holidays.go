package br

import (
	"sort"
	"time"
)

// Holiday is a Brazilian national holiday (feriado nacional).
type Holiday struct {
	Date time.Time // midnight UTC of the day; compare with SameDay
	Name string    // pt-BR, as the calendar prints it
}

// NationalHolidays returns the national holidays of year, in date order:
// the fixed dates of Lei 662/1949, 6.802/1980 and 14.759/2023 (Consciência
// Negra, from 2024) and Good Friday (Sexta-feira da Paixão), which moves
// with Easter. Carnival and Corpus Christi are optional days (pontos
// facultativos), not national holidays: a workshop that closes on them says
// so in its own hours.
func NationalHolidays(year int) []Holiday {
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	hs := []Holiday{
		{day(time.January, 1), "Confraternização Universal"},
		{day(time.April, 21), "Tiradentes"},
		{day(time.May, 1), "Dia do Trabalho"},
		{day(time.September, 7), "Independência do Brasil"},
		{day(time.October, 12), "Nossa Senhora Aparecida"},
		{day(time.November, 2), "Finados"},
		{day(time.November, 15), "Proclamação da República"},
		{day(time.December, 25), "Natal"},
		{Easter(year).AddDate(0, 0, -2), "Sexta-feira da Paixão"},
	}
	if year >= 2024 {
		hs = append(hs, Holiday{day(time.November, 20), "Dia Nacional de Zumbi e da Consciência Negra"})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// IsNationalHoliday reports whether the calendar day of t (in t's own
// location: pass a time in the workshop's time zone) is a national holiday,
// and its name.
func IsNationalHoliday(t time.Time) (bool, string) {
	y, m, d := t.Date()
	for _, h := range NationalHolidays(y) {
		if h.Date.Month() == m && h.Date.Day() == d {
			return true, h.Name
		}
	}
	return false, ""
}

// Easter returns Easter Sunday of year (Gregorian calendar; the anonymous
// algorithm of Meeus/Jones/Butcher), at midnight UTC.
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	dayOfMonth := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), dayOfMonth, 0, 0, 0, 0, time.UTC)
}
