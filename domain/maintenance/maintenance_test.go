package maintenance_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/maintenance"
)

var t0 = time.Date(2025, 1, 10, 14, 0, 0, 0, time.UTC)

func at(days int) time.Time { return t0.AddDate(0, 0, days) }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// linear returns n readings every step days at rate km/day from start km.
func linear(n, step int, start int64, rate float64) []maintenance.Reading {
	out := make([]maintenance.Reading, n)
	for i := range out {
		out[i] = maintenance.Reading{At: at(i * step), Km: start + int64(math.Round(rate*float64(i*step)))}
	}
	return out
}

func mustInterval(t *testing.T, km int64, months int) catalog.Interval {
	t.Helper()
	iv, err := catalog.NewInterval(km, months)
	if err != nil {
		t.Fatal(err)
	}
	return iv
}

func TestEstimate_singleReadingUsesFleetDefault(t *testing.T) {
	t.Parallel()
	for _, rs := range [][]maintenance.Reading{
		nil,
		{{At: at(0), Km: 42_000}},
		{{At: at(0), Km: 42_000}, {At: at(0).Add(3 * time.Hour), Km: 42_050}}, // same day
	} {
		est := maintenance.NewSeries(rs).EstimateKmPerDay(0)
		if est.Source != maintenance.SourceFleet || est.KmPerDay != maintenance.DefaultFleetKmPerDay {
			t.Errorf("%d readings: %+v, want the fleet default", len(rs), est)
		}
		if got := maintenance.NewSeries(rs).EstimateKmPerDay(50); got.KmPerDay != 50 {
			t.Errorf("custom fleet default ignored: %+v", got)
		}
	}
}

func TestEstimate_linearHistoryRecoversTheRate(t *testing.T) {
	t.Parallel()
	est := maintenance.NewSeries(linear(6, 60, 10_000, 40)).EstimateKmPerDay(0)
	if est.Source != maintenance.SourceHistory || math.Abs(est.KmPerDay-40) > 0.01 {
		t.Fatalf("estimate = %+v, want 40 km/day from history", est)
	}
}

func TestEstimate_odometerReplacementResetsTheSeries(t *testing.T) {
	t.Parallel()
	// An old odometer at 200,000 km, driven 100 km/day; the new one starts
	// at 0 and is driven 30 km/day.
	rs := linear(5, 30, 200_000, 100)
	rs = append(rs,
		maintenance.Reading{At: at(200), Km: 0, NewOdometer: true},
		maintenance.Reading{At: at(260), Km: 1_800},
		maintenance.Reading{At: at(320), Km: 3_600},
	)
	est := maintenance.NewSeries(rs).EstimateKmPerDay(0)
	if math.Abs(est.KmPerDay-30) > 0.01 {
		t.Fatalf("estimate = %+v, want 30 km/day of the new odometer only", est)
	}
	// Only the replacement reading so far: the fleet default, not the old
	// odometer's rate and not a huge negative rate.
	only := append(linear(5, 30, 200_000, 100), maintenance.Reading{At: at(200), Km: 5, NewOdometer: true})
	if est := maintenance.NewSeries(only).EstimateKmPerDay(0); est.Source != maintenance.SourceFleet {
		t.Fatalf("estimate after a replacement = %+v, want the fleet default", est)
	}
}

func TestEstimate_outliersDoNotExplodeIt(t *testing.T) {
	t.Parallel()
	rs := linear(8, 45, 50_000, 35)
	rs[3].Km *= 10 // an extra digit
	rs[5].Km = 5   // a dropped digit
	est := maintenance.NewSeries(rs).EstimateKmPerDay(0)
	if math.Abs(est.KmPerDay-35) > 5 {
		t.Fatalf("estimate = %+v, want about 35 km/day despite two typos", est)
	}
	// Only typos: the estimate stays within the physical bound.
	wild := []maintenance.Reading{{At: at(0), Km: 0}, {At: at(1), Km: 2_000_000}}
	if est := maintenance.NewSeries(wild).EstimateKmPerDay(0); est.KmPerDay > maintenance.MaxKmPerDay {
		t.Fatalf("estimate = %+v exceeds the cap", est)
	}
	back := []maintenance.Reading{{At: at(0), Km: 90_000}, {At: at(30), Km: 9_000}}
	if est := maintenance.NewSeries(back).EstimateKmPerDay(0); est.KmPerDay != 0 {
		t.Fatalf("estimate = %+v, want 0 for readings going backwards", est)
	}
}

// Property: the estimate does not depend on the order readings arrive in,
// stays within 0..MaxKmPerDay, and recovers any constant rate.
func TestEstimate_properties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		n := 1 + rng.IntN(30)
		rs := make([]maintenance.Reading, n)
		for j := range rs {
			rs[j] = maintenance.Reading{At: at(rng.IntN(2000)), Km: rng.Int64N(2_000_001), NewOdometer: rng.IntN(20) == 0}
		}
		est := maintenance.NewSeries(rs).EstimateKmPerDay(0)
		if est.KmPerDay < 0 || est.KmPerDay > maintenance.MaxKmPerDay || math.IsNaN(est.KmPerDay) {
			t.Fatalf("case %d: estimate %+v out of bounds", i, est)
		}
		shuffled := append([]maintenance.Reading(nil), rs...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if again := maintenance.NewSeries(shuffled).EstimateKmPerDay(0); again != est && !sameInstants(rs) {
			t.Fatalf("case %d: order changed the estimate: %+v vs %+v", i, est, again)
		}

		rate := float64(rng.IntN(300))
		clean := linear(2+rng.IntN(20), 1+rng.IntN(90), rng.Int64N(100_000), rate)
		if got := maintenance.NewSeries(clean).EstimateKmPerDay(0); math.Abs(got.KmPerDay-rate) > 0.5 {
			t.Fatalf("case %d: rate %v estimated as %+v", i, rate, got)
		}
		// One typo among at least five readings moves it little.
		if len(clean) >= 5 {
			clean[rng.IntN(len(clean))].Km = rng.Int64N(2_000_001)
			if got := maintenance.NewSeries(clean).EstimateKmPerDay(0); math.Abs(got.KmPerDay-rate) > math.Max(5, rate*0.35) {
				t.Fatalf("case %d: a typo moved rate %v to %+v", i, rate, got)
			}
		}
	}
}

// sameInstants reports whether two readings share an instant (their
// relative order is then the caller's, and may legitimately matter).
func sameInstants(rs []maintenance.Reading) bool {
	seen := map[time.Time]bool{}
	for _, r := range rs {
		if seen[r.At] {
			return true
		}
		seen[r.At] = true
	}
	return false
}

func defaults() maintenance.Intervals { return maintenance.IntervalsOf(catalog.Default(), nil) }

func TestPredict_monthsComeFirstForALittleUsedCar(t *testing.T) {
	t.Parallel()
	// 10 km/day: 10,000 km takes 1,000 days, 12 months come first.
	got := maintenance.Predict(maintenance.Input{
		Readings:  linear(4, 90, 30_000, 10),
		Done:      []maintenance.ServiceDone{{Service: "oil_change", At: at(0), Km: 30_000, HasKm: true, Ref: "o1/1"}},
		Intervals: defaults(),
	})
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	d := got[0]
	if d.By != maintenance.ByMonths || !d.DueAt.Equal(date(2026, 1, 10)) || d.DueKm != 40_000 || !d.HasDueKm || d.Cycle != "o1/1" {
		t.Fatalf("due = %+v, want by months on 2026-01-10 at 40,000 km", d)
	}
}

func TestPredict_kmComeFirstForAHeavilyUsedCar(t *testing.T) {
	t.Parallel()
	// 100 km/day: 10,000 km in 100 days, before 12 months.
	got := maintenance.Predict(maintenance.Input{
		Readings:  linear(4, 20, 30_000, 100),
		Done:      []maintenance.ServiceDone{{Service: "oil_change", At: at(0), Km: 30_000, HasKm: true, Ref: "o1/1"}},
		Intervals: defaults(),
	})
	d := got[0]
	if d.By != maintenance.ByKm || !d.DueAt.Equal(date(2025, 4, 20)) || d.DueKm != 40_000 {
		t.Fatalf("due = %+v, want by km on 2025-04-20 (100 days) at 40,000 km", d)
	}
}

func TestPredict_latestServiceStartsTheCycle(t *testing.T) {
	t.Parallel()
	got := maintenance.Predict(maintenance.Input{
		Readings: linear(3, 100, 10_000, 20),
		Done: []maintenance.ServiceDone{
			{Service: "brake_fluid", At: at(0), Ref: "a/1"},
			{Service: "brake_fluid", At: at(200), Ref: "b/2"},
			{Service: "diagnostics", At: at(200), Ref: "b/3"}, // not periodic
			{Service: "unknown_code", At: at(200), Ref: "b/4"},
		},
		Intervals: defaults(),
	})
	if len(got) != 1 || got[0].Cycle != "b/2" || !got[0].DueAt.Equal(date(2027, 7, 29)) || got[0].HasDueKm {
		t.Fatalf("got %+v, want brake fluid due 24 months after 2025-07-29, no km", got)
	}
}

func TestPredict_workshopOverride(t *testing.T) {
	t.Parallel()
	cat, err := catalog.Default().WithCustom("lavagem_motor", "Lavagem do motor", 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	ivs := maintenance.IntervalsOf(cat, map[string]catalog.Interval{
		"oil_change": mustInterval(t, 5_000, 6), // a stricter shop
		"tires":      {},                        // no reminders for tires
	})
	got := maintenance.Predict(maintenance.Input{
		Readings: linear(3, 30, 1_000, 10),
		Done: []maintenance.ServiceDone{
			{Service: "oil_change", At: at(0), Km: 1_000, HasKm: true, Ref: "o/1"},
			{Service: "lavagem_motor", At: at(0), Ref: "o/2"},
			{Service: "tires", At: at(0), Ref: "o/3"},
		},
		Intervals: ivs,
	})
	if len(got) != 2 {
		t.Fatalf("got %+v, want oil change and the shop's own service", got)
	}
	for _, d := range got {
		if !d.DueAt.Equal(date(2025, 7, 10)) {
			t.Errorf("%s due %v, want 6 months later (2025-07-10)", d.Service, d.DueAt)
		}
	}
	if got[1].Service != "oil_change" || got[1].DueKm != 6_000 {
		t.Errorf("oil change = %+v, want due at 6,000 km", got[1])
	}
}

func TestPredict_serviceOnTheOldOdometer(t *testing.T) {
	t.Parallel()
	// Timing belt at 180,000 km on the old odometer; replaced at 190,000
	// by a new one reading 0; the belt is due 50,000 km after it was done,
	// that is at 40,000 on the new odometer.
	rs := []maintenance.Reading{
		{At: at(0), Km: 180_000}, {At: at(100), Km: 190_000},
		{At: at(100), Km: 0, NewOdometer: true}, {At: at(200), Km: 10_000},
	}
	got := maintenance.Predict(maintenance.Input{
		Readings:  rs,
		Done:      []maintenance.ServiceDone{{Service: "timing_belt", At: at(0), Km: 180_000, HasKm: true, Ref: "o/1"}},
		Intervals: defaults(),
	})
	if len(got) != 1 || got[0].DueKm != 40_000 || got[0].By != maintenance.ByKm || !got[0].DueAt.Equal(date(2026, 5, 25)) {
		t.Fatalf("got %+v, want due at 40,000 km on the new odometer, 500 days after", got)
	}
}

func TestPredict_kmOnlyServiceNeedsMovementAndDistance(t *testing.T) {
	t.Parallel()
	still := maintenance.Predict(maintenance.Input{
		Readings:  []maintenance.Reading{{At: at(0), Km: 5_000}, {At: at(50), Km: 5_000}},
		Done:      []maintenance.ServiceDone{{Service: "brake_pads", At: at(0), Km: 5_000, HasKm: true, Ref: "o/1"}},
		Intervals: defaults(),
	})
	if len(still) != 0 {
		t.Fatalf("a vehicle that does not move got %+v", still)
	}
	// No readings and no km on the order: months only when the interval has them.
	got := maintenance.Predict(maintenance.Input{
		Done: []maintenance.ServiceDone{
			{Service: "brake_pads", At: at(0), Ref: "o/1"},
			{Service: "oil_change", At: at(0), Ref: "o/2"},
		},
		Intervals: defaults(),
	})
	if len(got) != 1 || got[0].Service != "oil_change" || got[0].HasDueKm {
		t.Fatalf("got %+v, want the oil change by months only", got)
	}
}

// Property: a due date is never before the last service, and km due is
// never below the last service's reading on one odometer.
func TestPredict_properties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	ivs := defaults()
	codes := []string{"oil_change", "brake_pads", "timing_belt", "brake_fluid", "tires"}
	for i := range 500 {
		rs := linear(1+rng.IntN(10), 1+rng.IntN(60), rng.Int64N(100_000), float64(rng.IntN(200)))
		var done []maintenance.ServiceDone
		for j := range 1 + rng.IntN(5) {
			r := rs[rng.IntN(len(rs))]
			done = append(done, maintenance.ServiceDone{Service: codes[rng.IntN(len(codes))], At: r.At, Km: r.Km, HasKm: true, Ref: string(rune('a' + j))})
		}
		for _, d := range maintenance.Predict(maintenance.Input{Readings: rs, Done: done, Intervals: ivs}) {
			var src maintenance.ServiceDone
			for _, x := range done {
				if x.Ref == d.Cycle {
					src = x
				}
			}
			if d.DueAt.Before(src.At.Truncate(24 * time.Hour)) {
				t.Fatalf("case %d: %+v due before it was done (%v)", i, d, src.At)
			}
			if d.HasDueKm && d.DueKm <= src.Km {
				t.Fatalf("case %d: %+v due at or below %d km", i, d, src.Km)
			}
		}
	}
}

func TestReminder_lifecycle(t *testing.T) {
	t.Parallel()
	c := maintenance.Cycle{Service: "oil_change", Cycle: "o/1", DueAt: date(2026, 5, 1)}
	r := maintenance.NewReminderDue(c, "each_due", at(0))
	if r.ID() != maintenance.ReminderID(c.VehicleID, "oil_change", "o/1") || r.Status() != maintenance.StatusScheduled || !r.IsDue() {
		t.Fatalf("new reminder %+v", r)
	}
	if r.ID() == maintenance.ReminderID(c.VehicleID, "oil_change", "o/2") {
		t.Fatal("another cycle has the same id")
	}
	if ok, _ := r.Convert([16]byte{1}, at(1), 30*24*time.Hour, at(1)); ok {
		t.Fatal("converted before it was sent")
	}
	if err := r.MarkSent("email", at(1)); err != nil || r.Status() != maintenance.StatusSent {
		t.Fatalf("sent: %v %s", err, r.Status())
	}
	if err := r.MarkSent("email", at(2)); err != nil || len(r.Recorder().Pending()) != 2 {
		t.Fatalf("sent twice recorded %d events", len(r.Recorder().Pending()))
	}
	if ok, _ := r.Convert([16]byte{1}, at(40), 30*24*time.Hour, at(40)); ok {
		t.Fatal("converted outside the window")
	}
	if ok, _ := r.Convert([16]byte{1}, at(10), 30*24*time.Hour, at(10)); !ok || r.Status() != maintenance.StatusBooked {
		t.Fatal("not converted within the window")
	}
	if err := r.Dismiss("x", at(11)); err != nil || r.Status() != maintenance.StatusBooked {
		t.Fatal("a booked reminder was dismissed")
	}
	if err := maintenance.BlankReminder([16]byte{9}).MarkSent("email", at(0)); err == nil {
		t.Fatal("an unknown reminder was sent")
	}
	d := maintenance.NewReminderDismissed(c, "staff-1", at(0))
	if d.Status() != maintenance.StatusDismissed || d.IsDue() {
		t.Fatalf("dismissed %+v", d)
	}
}
