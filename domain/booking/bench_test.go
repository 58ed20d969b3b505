package booking_test

import (
	"testing"
	"time"

	"github.com/torquehq/torque/domain/booking"
)

// BenchmarkFreeSlots: a 31-day query on 15-minute slots with 4 bays and 600
// booked appointments (the heaviest query the API accepts for a busy shop).
func BenchmarkFreeSlots(b *testing.B) {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		b.Skip(err)
	}
	c, err := booking.NewCalendar("America/Sao_Paulo", weekdays, 15)
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2027, 3, 1, 0, 0, 0, 0, loc)
	var busy []booking.Interval
	for d := 0; d < 31; d++ {
		for i := 0; i < 20; i++ {
			s := time.Date(2027, 3, 1+d, 8, 0, 0, 0, loc).Add(time.Duration(i%16) * 15 * time.Minute)
			busy = append(busy, booking.Interval{Start: s, End: s.Add(time.Hour)})
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.FreeSlots(from, from.AddDate(0, 0, 31), longAgo, 90*time.Minute, 4, busy)
	}
}
