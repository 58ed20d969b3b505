package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/reports"
)

// ReportStore answers the reports from the fact tables. Every query reads
// with FINAL, so a row written twice (a redelivered event) counts once even
// before ClickHouse merges the parts, and names the workshops of the scope
// explicitly.
type ReportStore struct {
	conn driver.Conn
}

var _ reports.Store = (*ReportStore)(nil)

// NewReportStore returns the store on conn.
func NewReportStore(conn driver.Conn) *ReportStore { return &ReportStore{conn: conn} }

var tzRE = regexp.MustCompile(`^[A-Za-z0-9_+\-/]{1,64}$`)

// q is a query's scope rendered as SQL literals: workshop ids come from
// uuid.UUID.String (hex and dashes) and the zone is checked, so nothing from
// outside reaches the SQL text.
type q struct {
	ws       string // 'id', 'id'
	from, to int64
	tz       string
}

func scopeSQL(s reports.Scope) (q, error) {
	if len(s.WorkshopIDs) == 0 {
		return q{}, errors.New("analytics: a query needs at least one workshop")
	}
	ids := make([]string, len(s.WorkshopIDs))
	for i, id := range s.WorkshopIDs {
		ids[i] = "'" + id.String() + "'"
	}
	tz := s.TimeZone
	if tz == "" {
		tz = "America/Sao_Paulo"
	}
	if !tzRE.MatchString(tz) {
		return q{}, fmt.Errorf("analytics: time zone %q", tz)
	}
	return q{ws: strings.Join(ids, ", "), from: s.From.Unix(), to: s.To.Unix(), tz: tz}, nil
}

// expand replaces {ws}, {from}, {to} and {tz} in a query.
func (x q) expand(sql string) string {
	return strings.NewReplacer("{ws}", x.ws, "{from}", fmt.Sprintf("toDateTime(%d)", x.from),
		"{to}", fmt.Sprintf("toDateTime(%d)", x.to), "{tz}", "'"+x.tz+"'").Replace(sql)
}

func (r *ReportStore) each(ctx context.Context, sql string, scan func(driver.Rows) error) error {
	rows, err := r.conn.Query(ctx, sql)
	if err != nil {
		return fmt.Errorf("analytics query: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func month(d string) string {
	if len(d) >= 7 {
		return d[:7]
	}
	return d
}

// npsOf computes the NPS score, rounded to one decimal.
func npsOf(p, d, n int64) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(1000*float64(p-d)/float64(n)) / 10
}

// SQL fragments shared by the reports.
const (
	// ordersInPeriod are the orders opened in the period.
	ordersInPeriod = `SELECT order_id, workshop_id, opened_at, customer_pid, vehicle_pid, mileage_km, has_mileage
  FROM orders FINAL WHERE workshop_id IN ({ws}) AND opened_at >= {from} AND opened_at < {to}`
	// liveItems are the items not removed.
	liveItems = `SELECT order_id, service, total_cents FROM service_items FINAL
  WHERE workshop_id IN ({ws}) AND removed = 0`
)

// SQLTopServices is the top-services query (exported for the benchmark).
const SQLTopServices = `
SELECT service, toInt64(uniqExact(order_id)) AS orders, toInt64(sum(total_cents)) AS revenue
  FROM (` + liveItems + `) ANY INNER JOIN (SELECT order_id FROM (` + ordersInPeriod + `)) USING order_id
 GROUP BY service ORDER BY orders DESC, revenue DESC, service`

const sqlOrderCount = `SELECT toInt64(count()) FROM (` + ordersInPeriod + `)`

// TopServices implements reports.Store: per service, the orders that have
// it, their revenue and the share of the period's orders.
func (r *ReportStore) TopServices(ctx context.Context, s reports.Scope) ([]reports.ServiceFigure, error) {
	x, err := scopeSQL(s)
	if err != nil {
		return nil, err
	}
	var total int64
	if err := r.each(ctx, x.expand(sqlOrderCount), func(rs driver.Rows) error { return rs.Scan(&total) }); err != nil {
		return nil, err
	}
	out := []reports.ServiceFigure{}
	err = r.each(ctx, x.expand(SQLTopServices), func(rs driver.Rows) error {
		var f reports.ServiceFigure
		if err := rs.Scan(&f.Service, &f.Orders, &f.RevenueCents); err != nil {
			return err
		}
		if total > 0 {
			f.Share = math.Round(10000*float64(f.Orders)/float64(total)) / 10000
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// SQLSatisfactionTotals and friends are the satisfaction queries.
const (
	feedbackInPeriod      = `SELECT * FROM feedback FINAL WHERE workshop_id IN ({ws}) AND at >= {from} AND at < {to}`
	SQLSatisfactionTotals = `
SELECT toInt64(countIf(has_nps = 1 AND nps >= 9)), toInt64(countIf(has_nps = 1 AND nps >= 7 AND nps <= 8)),
       toInt64(countIf(has_nps = 1 AND nps <= 6)), toInt64(countIf(has_nps = 1)), toInt64(countIf(csat >= 4)), toInt64(countIf(csat > 0))
  FROM (` + feedbackInPeriod + `)`
	sqlSatisfactionByMonth = `
SELECT toString(toStartOfMonth(at, {tz})) AS m, toInt64(countIf(has_nps = 1 AND nps >= 9)),
       toInt64(countIf(has_nps = 1 AND nps <= 6)), toInt64(countIf(has_nps = 1)), toInt64(countIf(csat >= 4)), toInt64(countIf(csat > 0))
  FROM (` + feedbackInPeriod + `) GROUP BY m ORDER BY m`
	// sqlSatisfactionByService joins each answer to the services of its
	// order (an order with two services counts for both).
	sqlSatisfactionByService = `
SELECT service AS k, toInt64(countIf(has_nps = 1 AND nps >= 9)),
       toInt64(countIf(has_nps = 1 AND nps <= 6)), toInt64(countIf(has_nps = 1)), toInt64(countIf(csat >= 4)), toInt64(countIf(csat > 0))
  FROM (SELECT order_id, nps, has_nps, csat FROM (` + feedbackInPeriod + `))
  ALL INNER JOIN (SELECT DISTINCT order_id, service FROM service_items FINAL
                   WHERE workshop_id IN ({ws}) AND removed = 0 AND service != '') USING order_id
 GROUP BY k ORDER BY k`
	// sqlSatisfactionByMechanic joins each answer to the mechanic last
	// assigned to its order.
	sqlSatisfactionByMechanic = `
SELECT toString(mechanic_pid) AS k, toInt64(countIf(has_nps = 1 AND nps >= 9)),
       toInt64(countIf(has_nps = 1 AND nps <= 6)), toInt64(countIf(has_nps = 1)), toInt64(countIf(csat >= 4)), toInt64(countIf(csat > 0))
  FROM (SELECT order_id, nps, has_nps, csat FROM (` + feedbackInPeriod + `))
  ALL INNER JOIN (SELECT order_id, argMax(mechanic_pid, version) AS mechanic_pid FROM order_mechanics FINAL
                   WHERE workshop_id IN ({ws}) GROUP BY order_id) USING order_id
 WHERE mechanic_pid != toUUID('00000000-0000-0000-0000-000000000000')
 GROUP BY k ORDER BY k`
)

// Satisfaction implements reports.Store.
func (r *ReportStore) Satisfaction(ctx context.Context, s reports.Scope) (reports.Satisfaction, error) {
	out := reports.Satisfaction{ByMonth: []reports.MonthNPS{}, ByService: []reports.GroupNPS{}, ByMechanic: []reports.GroupNPS{}}
	x, err := scopeSQL(s)
	if err != nil {
		return out, err
	}
	n := &out.NPS
	err = r.each(ctx, x.expand(SQLSatisfactionTotals), func(rs driver.Rows) error {
		var sat, cn int64
		err := rs.Scan(&n.Promoters, &n.Passives, &n.Detractors, &n.Responses, &sat, &cn)
		out.CSAT = reports.CSATOf(sat, cn)
		return err
	})
	if err != nil {
		return out, err
	}
	n.Score = npsOf(n.Promoters, n.Detractors, n.Responses)
	err = r.each(ctx, x.expand(sqlSatisfactionByMonth), func(rs driver.Rows) error {
		var m string
		var p, d, c, sat, cn int64
		if err := rs.Scan(&m, &p, &d, &c, &sat, &cn); err != nil {
			return err
		}
		out.ByMonth = append(out.ByMonth, reports.MonthNPS{Month: month(m), NPS: npsOf(p, d, c), CSAT: reports.CSATOf(sat, cn), Responses: c})
		return nil
	})
	if err != nil {
		return out, err
	}
	group := func(sql string, into *[]reports.GroupNPS) error {
		return r.each(ctx, x.expand(sql), func(rs driver.Rows) error {
			var k string
			var p, d, c, sat, cn int64
			if err := rs.Scan(&k, &p, &d, &c, &sat, &cn); err != nil {
				return err
			}
			*into = append(*into, reports.GroupNPS{Key: k, NPS: npsOf(p, d, c), CSAT: reports.CSATOf(sat, cn), Responses: c})
			return nil
		})
	}
	if err := group(sqlSatisfactionByService, &out.ByService); err != nil {
		return out, err
	}
	err = group(sqlSatisfactionByMechanic, &out.ByMechanic)
	return out, err
}

// The frequency queries: a visit is a service order opened.
const (
	// SQLFrequencyTotals counts, over customers with a visit in the period,
	// those with two visits or more up to its end, and the days between
	// their visits inside it.
	SQLFrequencyTotals = `
SELECT toInt64(count()), toInt64(countIf(all_n >= 2)),
       toInt64(sum(if(in_n >= 2, toUInt32(last_in) - toUInt32(first_in), 0))), toInt64(sum(if(in_n >= 2, in_n - 1, 0)))
  FROM (SELECT customer_pid, count() AS all_n, countIf(opened_at >= {from}) AS in_n,
               minIf(opened_at, opened_at >= {from}) AS first_in, max(opened_at) AS last_in
          FROM orders FINAL WHERE workshop_id IN ({ws}) AND opened_at < {to}
         GROUP BY workshop_id, customer_pid)
 WHERE in_n > 0`
	SQLFrequencyByMonth = `
SELECT m, toInt64(count()), toInt64(uniqExactIf(customer_pid, fm = m)), toInt64(uniqExactIf(customer_pid, fm < m))
  FROM (SELECT customer_pid, toStartOfMonth(opened_at, {tz}) AS m
          FROM orders FINAL WHERE workshop_id IN ({ws}) AND opened_at >= {from} AND opened_at < {to})
  ANY LEFT JOIN (SELECT customer_pid, toStartOfMonth(min(opened_at), {tz}) AS fm
          FROM orders FINAL WHERE workshop_id IN ({ws}) AND opened_at < {to} GROUP BY customer_pid) USING customer_pid
 GROUP BY m ORDER BY m`
	sqlFrequencyOverdue = `
SELECT customer_pid, last_at, expected FROM (
  SELECT customer_pid, last_at,
         toDateTime(toUInt32(last_at) + if(n > 1, greatest(intDivOrZero(toUInt32(last_at) - toUInt32(first_at), n - 1), 2592000), 15552000)) AS expected
    FROM (SELECT customer_pid, count() AS n, min(opened_at) AS first_at, max(opened_at) AS last_at
            FROM orders FINAL WHERE workshop_id IN ({ws}) AND opened_at < {asof} GROUP BY customer_pid))
 WHERE expected < {asof} ORDER BY expected, customer_pid LIMIT 200`
)

// Frequency implements reports.Store.
func (r *ReportStore) Frequency(ctx context.Context, s reports.Scope, asOf time.Time) (reports.Frequency, error) {
	out := reports.Frequency{ByMonth: []reports.MonthVisits{}, Overdue: []reports.Overdue{}}
	x, err := scopeSQL(s)
	if err != nil {
		return out, err
	}
	var span, gaps int64
	err = r.each(ctx, x.expand(SQLFrequencyTotals), func(rs driver.Rows) error {
		return rs.Scan(&out.Customers, &out.ReturningCustomers, &span, &gaps)
	})
	if err != nil {
		return out, err
	}
	if gaps > 0 {
		out.AvgDaysBetweenVisits = math.Round(10*float64(span)/float64(gaps)/86400) / 10
	}
	err = r.each(ctx, x.expand(SQLFrequencyByMonth), func(rs driver.Rows) error {
		var m time.Time
		var v reports.MonthVisits
		if err := rs.Scan(&m, &v.Visits, &v.NewCustomers, &v.ReturningCustomers); err != nil {
			return err
		}
		v.Month = m.Format("2006-01")
		out.ByMonth = append(out.ByMonth, v)
		return nil
	})
	if err != nil {
		return out, err
	}
	sql := strings.ReplaceAll(sqlFrequencyOverdue, "{asof}", fmt.Sprintf("toDateTime(%d)", asOf.Unix()))
	err = r.each(ctx, x.expand(sql), func(rs driver.Rows) error {
		var o reports.Overdue
		if err := rs.Scan(&o.CustomerPID, &o.LastVisit, &o.ExpectedBy); err != nil {
			return err
		}
		o.LastVisit, o.ExpectedBy = o.LastVisit.UTC(), o.ExpectedBy.UTC()
		out.Overdue = append(out.Overdue, o)
		return nil
	})
	return out, err
}

// The maintenance-trend query: services of orders opened in the period, in
// one statement (it was three, each joining items, orders and vehicles
// again; see docs/benchmarks.md). The inner query keeps one row per (order,
// service), groups them by (month, mileage band, vehicle, service) with the
// vehicle's current make/model/year joined per group (an order has one
// month, band and vehicle, so summing the group counts gives the distinct
// orders of any coarser grouping), and ARRAY JOIN fans each group out to
// the three breakdowns (kind 1 month, 2 mileage band, 3 make/model/year),
// grouped once. LIMIT 500 BY kind bounds the make/model breakdown, whose
// rows are sorted by count first; Go sorts the others. Runs on 18.16 (no
// GROUPING SETS there).
const (
	trendGroups = `
SELECT m, band, service, c, make, model, year FROM (
  SELECT toStartOfMonth(opened_at, {tz}) AS m,
         multiIf(has_mileage = 0, 'unknown', mileage_km < 20000, '0-20k', mileage_km < 50000, '20-50k',
                 mileage_km < 100000, '50-100k', mileage_km < 150000, '100-150k', '150k+') AS band,
         vehicle_pid, service, count() AS c
    FROM (SELECT DISTINCT order_id, service FROM service_items FINAL WHERE workshop_id IN ({ws}) AND removed = 0)
    ANY INNER JOIN (SELECT order_id, opened_at, vehicle_pid, mileage_km, has_mileage FROM (` + ordersInPeriod + `)) USING order_id
   GROUP BY m, band, vehicle_pid, service)
  ANY LEFT JOIN (SELECT vehicle_pid, argMaxIf(make, version, make != '') AS make,
                        argMaxIf(model, version, model != '') AS model, argMaxIf(year, version, year != 0) AS year
                   FROM vehicles WHERE workshop_id IN ({ws}) GROUP BY vehicle_pid) USING vehicle_pid`
	SQLTrends = `
SELECT g.1 AS kind, g.2 AS k1, g.3 AS k2, g.4 AS k3, service, toInt64(sum(c)) AS n
  FROM (` + trendGroups + `)
 ARRAY JOIN [(1, toString(m), '', ''), (2, band, '', ''), (3, make, model, toString(year))] AS g
 GROUP BY kind, k1, k2, k3, service
 ORDER BY kind, n DESC, k1, k2, k3, service
 LIMIT 500 BY kind`
)

// MaintenanceTrends implements reports.Store.
func (r *ReportStore) MaintenanceTrends(ctx context.Context, s reports.Scope) (reports.Trends, error) {
	out := reports.Trends{ByMonth: []reports.MonthService{}, ByMakeModel: []reports.MakeModelService{}, ByMileage: []reports.BandService{}}
	x, err := scopeSQL(s)
	if err != nil {
		return out, err
	}
	err = r.each(ctx, x.expand(SQLTrends), func(rs driver.Rows) error {
		var kind uint8
		var k1, k2, k3, svc string
		var n int64
		if err := rs.Scan(&kind, &k1, &k2, &k3, &svc, &n); err != nil {
			return err
		}
		switch kind {
		case 1:
			out.ByMonth = append(out.ByMonth, reports.MonthService{Month: month(k1), Service: svc, Orders: n})
		case 2:
			out.ByMileage = append(out.ByMileage, reports.BandService{Band: k1, Service: svc, Orders: n})
		case 3:
			year, _ := strconv.ParseInt(k3, 10, 64)
			out.ByMakeModel = append(out.ByMakeModel, reports.MakeModelService{Make: k1, Model: k2, Year: year, Service: svc, Orders: n})
		}
		return nil
	})
	// The statement sorts by count; months and bands read in key order
	// (as they did when they were statements of their own).
	sort.SliceStable(out.ByMonth, func(i, j int) bool { return out.ByMonth[i].Month < out.ByMonth[j].Month })
	sort.SliceStable(out.ByMileage, func(i, j int) bool { return out.ByMileage[i].Band < out.ByMileage[j].Band })
	return out, err
}

// The comparison queries, one row per workshop.
const (
	sqlCmpOrders = `
SELECT workshop_id, toInt64(count()) FROM (` + ordersInPeriod + `) GROUP BY workshop_id`
	sqlCmpRevenue = `
SELECT workshop_id, toInt64(sum(total_cents)) FROM (
  SELECT order_id, total_cents FROM service_items FINAL WHERE workshop_id IN ({ws}) AND removed = 0)
  ANY INNER JOIN (SELECT order_id, workshop_id FROM (` + ordersInPeriod + `)) USING order_id GROUP BY workshop_id`
	sqlCmpMix = `
SELECT workshop_id, service, toInt64(uniqExact(order_id)) FROM (
  SELECT order_id, service FROM service_items FINAL WHERE workshop_id IN ({ws}) AND removed = 0)
  ANY INNER JOIN (SELECT order_id, workshop_id FROM (` + ordersInPeriod + `)) USING order_id GROUP BY workshop_id, service`
	sqlCmpReturn = `
SELECT workshop_id, toInt64(count()), toInt64(countIf(all_n >= 2)) FROM (
  SELECT workshop_id, customer_pid, count() AS all_n, countIf(opened_at >= {from}) AS in_n
    FROM orders FINAL WHERE workshop_id IN ({ws}) AND opened_at < {to} GROUP BY workshop_id, customer_pid)
 WHERE in_n > 0 GROUP BY workshop_id`
	sqlCmpNPS = `
SELECT workshop_id, toInt64(countIf(has_nps = 1 AND nps >= 9)), toInt64(countIf(has_nps = 1 AND nps <= 6)),
       toInt64(countIf(has_nps = 1)) FROM (` + feedbackInPeriod + `) GROUP BY workshop_id`
	sqlCmpReminders = `
SELECT workshop_id, toInt64(countIf(kind = 'sent')), toInt64(countIf(kind = 'converted'))
  FROM reminders FINAL WHERE workshop_id IN ({ws}) AND at >= {from} AND at < {to} GROUP BY workshop_id`
)

// Comparison implements reports.Store.
func (r *ReportStore) Comparison(ctx context.Context, s reports.Scope) ([]reports.WorkshopFigures, error) {
	x, err := scopeSQL(s)
	if err != nil {
		return nil, err
	}
	by := map[uuid.UUID]*reports.WorkshopFigures{}
	out := make([]reports.WorkshopFigures, len(s.WorkshopIDs))
	for i, id := range s.WorkshopIDs {
		out[i] = reports.WorkshopFigures{WorkshopID: id, ServiceMix: map[string]float64{}}
		by[id] = &out[i]
	}
	get := func(id uuid.UUID) *reports.WorkshopFigures {
		if w, ok := by[id]; ok {
			return w
		}
		return &reports.WorkshopFigures{ServiceMix: map[string]float64{}} // not asked for: dropped
	}
	steps := []struct {
		sql  string
		scan func(driver.Rows) error
	}{
		{sqlCmpOrders, func(rs driver.Rows) error {
			var id uuid.UUID
			var n int64
			err := rs.Scan(&id, &n)
			get(id).Orders = n
			return err
		}},
		{sqlCmpRevenue, func(rs driver.Rows) error {
			var id uuid.UUID
			var n int64
			err := rs.Scan(&id, &n)
			get(id).RevenueCents = n
			return err
		}},
		{sqlCmpMix, func(rs driver.Rows) error {
			var id uuid.UUID
			var svc string
			var n int64
			if err := rs.Scan(&id, &svc, &n); err != nil {
				return err
			}
			get(id).ServiceMix[svc] = float64(n)
			return nil
		}},
		{sqlCmpReturn, func(rs driver.Rows) error {
			var id uuid.UUID
			var c, ret int64
			if err := rs.Scan(&id, &c, &ret); err != nil {
				return err
			}
			if c > 0 {
				get(id).ReturnRate = math.Round(10000*float64(ret)/float64(c)) / 10000
			}
			return nil
		}},
		{sqlCmpNPS, func(rs driver.Rows) error {
			var id uuid.UUID
			var p, d, n int64
			if err := rs.Scan(&id, &p, &d, &n); err != nil {
				return err
			}
			w := get(id)
			w.NPS, w.NPSResponses = npsOf(p, d, n), n
			return nil
		}},
		{sqlCmpReminders, func(rs driver.Rows) error {
			var id uuid.UUID
			var sent, conv int64
			if err := rs.Scan(&id, &sent, &conv); err != nil {
				return err
			}
			w := get(id)
			w.RemindersSent = sent
			if sent > 0 {
				w.ReminderConversion = math.Round(10000*float64(conv)/float64(sent)) / 10000
			}
			return nil
		}},
	}
	for _, st := range steps {
		if err := r.each(ctx, x.expand(st.sql), st.scan); err != nil {
			return nil, err
		}
	}
	for i := range out {
		w := &out[i]
		if w.Orders > 0 {
			w.AvgTicketCents = w.RevenueCents / w.Orders
			for k, v := range w.ServiceMix {
				w.ServiceMix[k] = math.Round(10000*v/float64(w.Orders)) / 10000
			}
		}
	}
	return out, nil
}

// ReportSQL returns the statements the store runs for one report ("top-
// services", "frequency", "maintenance-trends", "satisfaction"), expanded for
// s: the benchmark times them raw against the API.
func ReportSQL(report string, s reports.Scope, asOf time.Time) ([]string, error) {
	x, err := scopeSQL(s)
	if err != nil {
		return nil, err
	}
	var list []string
	switch report {
	case "top-services":
		list = []string{sqlOrderCount, SQLTopServices}
	case "frequency":
		list = []string{SQLFrequencyTotals, SQLFrequencyByMonth,
			strings.ReplaceAll(sqlFrequencyOverdue, "{asof}", fmt.Sprintf("toDateTime(%d)", asOf.Unix()))}
	case "maintenance-trends":
		list = []string{SQLTrends}
	case "satisfaction":
		list = []string{SQLSatisfactionTotals, sqlSatisfactionByMonth, sqlSatisfactionByService, sqlSatisfactionByMechanic}
	default:
		return nil, fmt.Errorf("no report %q", report)
	}
	for i := range list {
		list[i] = x.expand(list[i])
	}
	return list, nil
}
