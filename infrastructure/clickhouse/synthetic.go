package clickhouse

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/google/uuid"
)

// Synthetic describes load-test facts generated inside ClickHouse (INSERT
// ... SELECT FROM numbers()), for benchmarks: Orders orders, each with two
// items, spread round-robin over Workshops, Customers customers per
// workshop (one vehicle each), opened over [Start, Start+Span). Order k
// belongs to workshop k mod W and customer (k div W) mod Customers; its
// services, prices, dates and mileage are the functions below, which
// tests/bench reproduces in Postgres to ask the same questions there.
type Synthetic struct {
	Workshops []uuid.UUID
	Orders    int64
	Customers int64
	Start     time.Time
	Span      time.Duration
}

// SyntheticServices are the services items cycle through.
var SyntheticServices = []string{"oil_change", "oil_filter", "air_filter", "fuel_filter", "cabin_filter", "spark_plugs",
	"brake_pads", "brake_fluid", "timing_belt", "alignment_balancing", "tires", "battery", "suspension", "coolant",
	"ac_service", "inspection", "diagnostics", "other"}

// SyntheticMakes are the vehicles' makes and models.
var SyntheticMakes = [][2]string{{"Volkswagen", "Gol"}, {"Fiat", "Uno"}, {"Chevrolet", "Onix"}, {"Ford", "Ka"},
	{"Hyundai", "HB20"}, {"Toyota", "Corolla"}, {"Renault", "Sandero"}, {"Honda", "Civic"}}

// The synthetic functions of order k and item j (0 or 1), as SQL that
// ClickHouse and Postgres both accept (tests/bench repeats them).
const (
	// SynthService is the index of item j's service.
	SynthService = "((k * 3 + j * 5) % 18)"
	// SynthCents is item j's total.
	SynthCents = "(5000 + ((k * 13 + j * 29) % 200) * 100)"
	// SynthMileage is the order's mileage.
	SynthMileage = "((k * 37) % 200000)"
)

// uuidOf shapes a 32-digit hex column as a UUID.
func uuidOf(col string) string {
	return strings.NewReplacer("h,", col+",").Replace(
		"toUUID(concat(substring(h,1,8),'-',substring(h,9,4),'-',substring(h,13,4),'-',substring(h,17,4),'-',substring(h,21,12)))")
}

func hashHex(expr string) string { return "lower(hex(sipHash128(" + expr + ")))" }

// SeedSynthetic inserts the synthetic facts in chunks of at most 1 million
// orders per statement; it returns the service-item rows written.
func SeedSynthetic(ctx context.Context, conn driver.Conn, s Synthetic) (int64, error) {
	if len(s.Workshops) == 0 || s.Orders <= 0 || s.Customers <= 0 || s.Span < time.Second {
		return 0, fmt.Errorf("synthetic: bad spec")
	}
	ws := make([]string, len(s.Workshops))
	for i, w := range s.Workshops {
		ws[i] = "toUUID('" + w.String() + "')"
	}
	W := int64(len(ws))
	arr := "[" + strings.Join(ws, ", ") + "]"
	span := int64(s.Span / time.Second)
	start := s.Start.Unix()
	svcs := "['" + strings.Join(SyntheticServices, "', '") + "']"
	opened := fmt.Sprintf("toDateTime(%d + ((k * 7919) %% %d))", start, span)
	cust := fmt.Sprintf("concat('c', toString(k %% %d), '-', toString(intDiv(k, %d) %% %d))", W, W, s.Customers)
	const chunk = 1_000_000
	for off := int64(0); off < s.Orders; off += chunk {
		n := min(chunk, s.Orders-off)
		orders := fmt.Sprintf(`INSERT INTO orders (workshop_id, order_id, event_id, opened_at, customer_pid, vehicle_pid, mileage_km, has_mileage)
SELECT arrayElement(%s, (k %% %d) + 1), oid, oid, %s, cp, cp, %s, 1 FROM (
  SELECT k, %s AS oid, %s AS cp FROM (
    SELECT k, %s AS h, %s AS hc FROM (SELECT number + %d AS k FROM numbers(%d))))`,
			arr, W, opened, SynthMileage,
			uuidOf("h"), uuidOf("hc"),
			hashHex("concat('o', toString(k))"), hashHex(cust), off, n)
		if err := conn.Exec(ctx, orders); err != nil {
			return 0, fmt.Errorf("synthetic orders: %w", err)
		}
		items := fmt.Sprintf(`INSERT INTO service_items (workshop_id, order_id, line, version, event_id, removed, at, service, quantity, total_cents, customer_pid)
SELECT arrayElement(%s, (k %% %d) + 1), oid, toUInt32(j + 1), 1, oid, 0, %s, arrayElement(%s, %s + 1), 1, %s, cp FROM (
  SELECT k, j, %s AS oid, %s AS cp FROM (
    SELECT k, j, %s AS h, %s AS hc FROM (SELECT intDiv(number, 2) + %d AS k, number %% 2 AS j FROM numbers(%d))))`,
			arr, W, opened, svcs, SynthService, SynthCents,
			uuidOf("h"), uuidOf("hc"),
			hashHex("concat('o', toString(k))"), hashHex(cust), off, 2*n)
		if err := conn.Exec(ctx, items); err != nil {
			return 0, fmt.Errorf("synthetic items: %w", err)
		}
	}
	// One vehicle per customer.
	mk := make([]string, len(SyntheticMakes))
	md := make([]string, len(SyntheticMakes))
	for i, m := range SyntheticMakes {
		mk[i], md[i] = "'"+m[0]+"'", "'"+m[1]+"'"
	}
	vehicles := fmt.Sprintf(`INSERT INTO vehicles (workshop_id, vehicle_pid, version, event_id, make, model, year, at)
SELECT arrayElement(%s, w + 1), cp, 1, cp, arrayElement([%s], (c %% %d) + 1), arrayElement([%s], (c %% %d) + 1), 2005 + (c %% 18), toDateTime(%d) FROM (
  SELECT w, c, %s AS cp FROM (
    SELECT w, c, %s AS hc FROM (SELECT number %% %d AS w, intDiv(number, %d) AS c FROM numbers(%d))))`,
		arr, strings.Join(mk, ", "), len(mk), strings.Join(md, ", "), len(md), start,
		uuidOf("hc"),
		hashHex("concat('c', toString(w), '-', toString(c))"), W, W, W*s.Customers)
	if err := conn.Exec(ctx, vehicles); err != nil {
		return 0, fmt.Errorf("synthetic vehicles: %w", err)
	}
	return 2 * s.Orders, nil
}

// InsertFacts writes f in one batch per table (what the projection does
// per page); exported for the ingestion benchmark's raw baseline.
func InsertFacts(ctx context.Context, conn driver.Conn, f *Facts) error { return insert(ctx, conn, f) }
