package httpapi

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/domain/catalog"
)

// ReportHandlers serve the analytics reports (API.md "Reports"): JSON, or
// CSV when the client asks for text/csv.
type ReportHandlers struct {
	Reports *reports.UseCases
	Log     *slog.Logger
}

// MountWorkshop registers the workshop reports under /workshops/{slug}.
func (h *ReportHandlers) MountWorkshop(r chi.Router) {
	r.Get("/reports/satisfaction", h.satisfaction)
	r.Get("/reports/frequency", h.frequency)
	r.Get("/reports/top-services", h.topServices)
	r.Get("/reports/maintenance-trends", h.maintenanceTrends)
}

// MountAuthenticated registers the franchise comparison.
func (h *ReportHandlers) MountAuthenticated(r chi.Router) {
	r.Get("/franchises/{id}/comparison", h.comparison)
}

func period(r *http.Request) reports.PeriodInput {
	q := r.URL.Query()
	return reports.PeriodInput{From: q.Get("from"), To: q.Get("to")}
}

// wantsCSV reports whether the client asks for CSV: Accept: text/csv, or
// ?format=csv (for plain download links).
func wantsCSV(r *http.Request) bool {
	if r.URL.Query().Get("format") == "csv" {
		return true
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		if strings.EqualFold(mt, "text/csv") {
			return true
		}
		if strings.EqualFold(mt, "application/json") {
			return false
		}
	}
	return false
}

// csvCell neutralises spreadsheet formulas in text cells.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (h *ReportHandlers) respond(w http.ResponseWriter, r *http.Request, name string, body any, rows [][]string) {
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "private, no-store")
	if !wantsCSV(r) {
		WriteJSON(w, http.StatusOK, body)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
}

func (h *ReportHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func i64(n int64) string   { return strconv.FormatInt(n, 10) }
func f64(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

type npsJSON struct {
	Score      float64 `json:"score"`
	Promoters  int64   `json:"promoters"`
	Passives   int64   `json:"passives"`
	Detractors int64   `json:"detractors"`
	Responses  int64   `json:"responses"`
}

// csatJSON: score = % of 4–5 answers among the CSAT answers.
type csatJSON struct {
	Score     float64 `json:"score"`
	Satisfied int64   `json:"satisfied"`
	Responses int64   `json:"responses"`
}

func toCSATJSON(c reports.CSAT) csatJSON { return csatJSON(c) }

type monthNPSJSON struct {
	Month     string   `json:"month"`
	NPS       float64  `json:"nps"`
	CSAT      csatJSON `json:"csat"`
	Responses int64    `json:"responses"`
}

type groupNPSJSON struct {
	Service   string   `json:"service,omitempty"`
	Mechanic  string   `json:"mechanic,omitempty"`
	NPS       float64  `json:"nps"`
	CSAT      csatJSON `json:"csat"`
	Responses int64    `json:"responses"`
}

func (h *ReportHandlers) satisfaction(w http.ResponseWriter, r *http.Request) {
	s, err := h.Reports.Satisfaction(r.Context(), period(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body := struct {
		NPS        npsJSON        `json:"nps"`
		CSAT       csatJSON       `json:"csat"`
		ByMonth    []monthNPSJSON `json:"by_month"`
		ByService  []groupNPSJSON `json:"by_service"`
		ByMechanic []groupNPSJSON `json:"by_mechanic"`
	}{NPS: npsJSON{s.NPS.Score, s.NPS.Promoters, s.NPS.Passives, s.NPS.Detractors, s.NPS.Responses}, CSAT: toCSATJSON(s.CSAT),
		ByMonth: []monthNPSJSON{}, ByService: []groupNPSJSON{}, ByMechanic: []groupNPSJSON{}}
	rows := [][]string{{"section", "key", "nps", "responses", "csat", "csat_satisfied", "csat_responses"},
		{"total", "", f64(s.NPS.Score), i64(s.NPS.Responses), f64(s.CSAT.Score), i64(s.CSAT.Satisfied), i64(s.CSAT.Responses)}}
	for _, m := range s.ByMonth {
		body.ByMonth = append(body.ByMonth, monthNPSJSON{Month: m.Month, NPS: m.NPS, CSAT: toCSATJSON(m.CSAT), Responses: m.Responses})
		rows = append(rows, []string{"month", m.Month, f64(m.NPS), i64(m.Responses), f64(m.CSAT.Score), i64(m.CSAT.Satisfied), i64(m.CSAT.Responses)})
	}
	for _, g := range s.ByService {
		body.ByService = append(body.ByService, groupNPSJSON{Service: g.Key, NPS: g.NPS, CSAT: toCSATJSON(g.CSAT), Responses: g.Responses})
		rows = append(rows, []string{"service", g.Key, f64(g.NPS), i64(g.Responses), f64(g.CSAT.Score), i64(g.CSAT.Satisfied), i64(g.CSAT.Responses)})
	}
	for _, g := range s.ByMechanic {
		body.ByMechanic = append(body.ByMechanic, groupNPSJSON{Mechanic: g.Key, NPS: g.NPS, CSAT: toCSATJSON(g.CSAT), Responses: g.Responses})
		rows = append(rows, []string{"mechanic", g.Key, f64(g.NPS), i64(g.Responses), f64(g.CSAT.Score), i64(g.CSAT.Satisfied), i64(g.CSAT.Responses)})
	}
	h.respond(w, r, "satisfaction", body, rows)
}

type overdueJSON struct {
	CustomerID string `json:"customer_id"`
	Name       string `json:"name,omitempty"`
	LastVisit  string `json:"last_visit"`
	ExpectedBy string `json:"expected_by"`
}

type monthVisitsJSON struct {
	Month              string `json:"month"`
	Visits             int64  `json:"visits"`
	NewCustomers       int64  `json:"new_customers"`
	ReturningCustomers int64  `json:"returning_customers"`
}

func (h *ReportHandlers) frequency(w http.ResponseWriter, r *http.Request) {
	f, err := h.Reports.Frequency(r.Context(), period(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body := struct {
		Customers            int64             `json:"customers"`
		ReturningCustomers   int64             `json:"returning_customers"`
		AvgDaysBetweenVisits float64           `json:"avg_days_between_visits"`
		ByMonth              []monthVisitsJSON `json:"by_month"`
		Overdue              []overdueJSON     `json:"overdue"`
	}{Customers: f.Customers, ReturningCustomers: f.ReturningCustomers, AvgDaysBetweenVisits: f.AvgDaysBetweenVisits,
		ByMonth: []monthVisitsJSON{}, Overdue: []overdueJSON{}}
	rows := [][]string{{"section", "key", "visits", "new_customers", "returning_customers", "name", "last_visit", "expected_by"},
		{"total", "", "", "", i64(f.ReturningCustomers), "", "", ""}}
	rows[1][2] = i64(f.Customers) // customers with a visit in the period
	for _, m := range f.ByMonth {
		body.ByMonth = append(body.ByMonth, monthVisitsJSON(m))
		rows = append(rows, []string{"month", m.Month, i64(m.Visits), i64(m.NewCustomers), i64(m.ReturningCustomers), "", "", ""})
	}
	for _, o := range f.Overdue {
		id := o.CustomerPID
		if o.CustomerID != uuid.Nil {
			id = o.CustomerID
		}
		j := overdueJSON{CustomerID: id.String(), Name: o.Name, LastVisit: o.LastVisit.UTC().Format(time.RFC3339),
			ExpectedBy: o.ExpectedBy.UTC().Format(time.RFC3339)}
		body.Overdue = append(body.Overdue, j)
		rows = append(rows, []string{"overdue", j.CustomerID, "", "", "", j.Name, j.LastVisit, j.ExpectedBy})
	}
	h.respond(w, r, "frequency", body, rows)
}

// serviceLabel is the catalogue's pt-BR label of a service code (the code
// itself for a workshop's own services).
func serviceLabel(code string) string {
	for _, s := range catalog.Default().Services() {
		if s.Code().String() == code {
			return s.Label()
		}
	}
	return code
}

type topServiceJSON struct {
	Service      string  `json:"service"`
	Label        string  `json:"label"`
	Orders       int64   `json:"orders"`
	RevenueCents int64   `json:"revenue_cents"`
	Share        float64 `json:"share"`
}

func (h *ReportHandlers) topServices(w http.ResponseWriter, r *http.Request) {
	items, err := h.Reports.TopServices(r.Context(), period(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body := struct {
		Items []topServiceJSON `json:"items"`
	}{Items: []topServiceJSON{}}
	rows := [][]string{{"service", "label", "orders", "revenue_cents", "share"}}
	for _, it := range items {
		j := topServiceJSON{Service: it.Service, Label: serviceLabel(it.Service), Orders: it.Orders, RevenueCents: it.RevenueCents, Share: it.Share}
		body.Items = append(body.Items, j)
		rows = append(rows, []string{j.Service, j.Label, i64(j.Orders), i64(j.RevenueCents), f64(j.Share)})
	}
	h.respond(w, r, "top-services", body, rows)
}

type trendMonthJSON struct {
	Month   string `json:"month"`
	Service string `json:"service"`
	Orders  int64  `json:"orders"`
}

type trendMakeJSON struct {
	Make    string `json:"make"`
	Model   string `json:"model"`
	Year    int64  `json:"year"`
	Service string `json:"service"`
	Orders  int64  `json:"orders"`
}

type trendBandJSON struct {
	Band    string `json:"band"`
	Service string `json:"service"`
	Orders  int64  `json:"orders"`
}

func (h *ReportHandlers) maintenanceTrends(w http.ResponseWriter, r *http.Request) {
	t, err := h.Reports.MaintenanceTrends(r.Context(), period(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body := struct {
		ByMonth     []trendMonthJSON `json:"by_month"`
		ByMakeModel []trendMakeJSON  `json:"by_make_model"`
		ByBand      []trendBandJSON  `json:"by_mileage_band"`
	}{ByMonth: []trendMonthJSON{}, ByMakeModel: []trendMakeJSON{}, ByBand: []trendBandJSON{}}
	rows := [][]string{{"section", "month", "make", "model", "year", "band", "service", "orders"}}
	for _, m := range t.ByMonth {
		body.ByMonth = append(body.ByMonth, trendMonthJSON(m))
		rows = append(rows, []string{"month", m.Month, "", "", "", "", m.Service, i64(m.Orders)})
	}
	for _, m := range t.ByMakeModel {
		body.ByMakeModel = append(body.ByMakeModel, trendMakeJSON(m))
		rows = append(rows, []string{"make_model", "", m.Make, m.Model, i64(m.Year), "", m.Service, i64(m.Orders)})
	}
	for _, m := range t.ByMileage {
		body.ByBand = append(body.ByBand, trendBandJSON(m))
		rows = append(rows, []string{"mileage_band", "", "", "", "", m.Band, m.Service, i64(m.Orders)})
	}
	h.respond(w, r, "maintenance-trends", body, rows)
}

type comparisonJSON struct {
	Slug               string             `json:"slug"`
	Name               string             `json:"name"`
	Orders             int64              `json:"orders"`
	RevenueCents       int64              `json:"revenue_cents"`
	AvgTicketCents     int64              `json:"avg_ticket_cents"`
	NPS                float64            `json:"nps"`
	ReturnRate         float64            `json:"return_rate"`
	ReminderConversion float64            `json:"reminder_conversion"`
	ServiceMix         map[string]float64 `json:"service_mix"`
	Percentile         map[string]float64 `json:"percentile"`
}

func (h *ReportHandlers) comparison(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Reports.FranchiseComparison(r.Context(), caller(r), id, period(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body := struct {
		FranchiseID string           `json:"franchise_id"`
		Name        string           `json:"name"`
		Workshops   []comparisonJSON `json:"workshops"`
	}{FranchiseID: c.FranchiseID.String(), Name: c.Name, Workshops: []comparisonJSON{}}
	rows := [][]string{{"slug", "name", "orders", "revenue_cents", "avg_ticket_cents", "nps", "return_rate",
		"reminder_conversion", "percentile_revenue", "service_mix"}}
	for _, s := range c.Workshops {
		body.Workshops = append(body.Workshops, comparisonJSON{Slug: s.Slug, Name: s.Name, Orders: s.Orders,
			RevenueCents: s.RevenueCents, AvgTicketCents: s.AvgTicketCents, NPS: s.NPS, ReturnRate: s.ReturnRate,
			ReminderConversion: s.ReminderConversion, ServiceMix: s.ServiceMix, Percentile: s.Percentile})
		keys := make([]string, 0, len(s.ServiceMix))
		for k := range s.ServiceMix {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		mix := make([]string, len(keys))
		for i, k := range keys {
			mix[i] = k + "=" + f64(s.ServiceMix[k])
		}
		rows = append(rows, []string{s.Slug, s.Name, i64(s.Orders), i64(s.RevenueCents), i64(s.AvgTicketCents), f64(s.NPS),
			f64(s.ReturnRate), f64(s.ReminderConversion), f64(s.Percentile["revenue_cents"]), strings.Join(mix, ";")})
	}
	h.respond(w, r, "comparison", body, rows)
}
