package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
)

// Brazilian formats for the dashboards (pt-BR and en alike: the figures
// are in reais and the workshop's dates).

// fmtInt renders 1234567 as "1.234.567".
func fmtInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtBRL renders cents as "R$ 1.234,56".
func fmtBRL(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%sR$ %s,%02d", sign, fmtInt(cents/100), cents%100)
}

// fmtDec renders x with one decimal and a decimal comma: "12,5".
func fmtDec(x float64) string {
	s := strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64)
	return strings.Replace(s, ".", ",", 1)
}

// fmtPct renders a share 0..1 as "41,0%".
func fmtPct(x float64) string { return fmtDec(100*x) + "%" }

// fmtMonth renders "2026-03" as "03/2026".
func fmtMonth(m string) string {
	if len(m) == 7 {
		return m[5:] + "/" + m[:4]
	}
	return m
}

func labelOf(code string) string {
	for _, s := range catalog.Default().Services() {
		if s.Code().String() == code {
			return s.Label()
		}
	}
	return code
}

type chartSeries struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// chart is what static/reports.js draws: kind "bar", "hbar" or "line".
type chart struct {
	Kind   string        `json:"kind"`
	Labels []string      `json:"labels"`
	Series []chartSeries `json:"series"`
	Money  bool          `json:"money,omitempty"`
}

func chartsJSON(cs map[string]chart) string {
	b, _ := json.Marshal(cs)
	return string(b)
}

type periodForm struct {
	From, To string
	// Query is "from=...&to=..." for links.
	Query template.URL
}

// periodOf reads ?from=&to=; a bad date shows an alert and the default.
func periodOf(r *http.Request, v *view) (reports.PeriodInput, periodForm) {
	in := reports.PeriodInput{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	for _, s := range []string{in.From, in.To} {
		if _, err := time.Parse("2006-01-02", s); s != "" && err != nil {
			v.Alert = tr(v.L, "web.reports.bad_period")
			in = reports.PeriodInput{}
		}
	}
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if v.Workshop != nil && v.Workshop.TimeZone != "" {
		if l, e := time.LoadLocation(v.Workshop.TimeZone); e == nil {
			loc, err = l, nil
		}
	}
	if err != nil {
		loc = time.UTC
	}
	today := time.Now().In(loc)
	f := periodForm{From: in.From, To: in.To}
	if f.To == "" {
		f.To = today.Format("2006-01-02")
	}
	if f.From == "" {
		t, _ := time.ParseInLocation("2006-01-02", f.To, loc)
		f.From = t.AddDate(-1, 0, 1).Format("2006-01-02")
	}
	in = reports.PeriodInput{From: f.From, To: f.To}
	f.Query = template.URL(url.Values{"from": {f.From}, "to": {f.To}}.Encode()) //nolint:gosec // built by url.Values.Encode
	return in, f
}

type serviceRow struct {
	Code, Label, Orders, Revenue, Share string
}

type overdueRow struct {
	Name, Link, LastVisit, ExpectedBy string
}

type countRow struct {
	A, B, C, Orders string
}

type reportsData struct {
	Period        periodForm
	Services      []serviceRow
	Customers     string
	Returning     string
	AvgDays       string
	HasNPS        bool
	NPS           string
	NPSResponses  string
	Overdue       []overdueRow
	Bands         []countRow
	MakeModels    []countRow
	Service       string
	ServiceLabel  string
	ServiceMonths []countRow
	Charts        string
	CSVBase       string
	Locale        string
}

func (h *Handler) reportsPage(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.reports.title")
	v.Nav = "reports"
	if h.cfg.Reports == nil {
		h.errorPage(w, r, http.StatusServiceUnavailable, "web.reports.off")
		return
	}
	in, pf := periodOf(r, &v)
	ctx := r.Context()
	d := reportsData{Period: pf, CSVBase: "/api/v1/workshops/" + v.Slug + "/reports/", Locale: localeTag(v.L)}
	top, err := h.cfg.Reports.TopServices(ctx, in)
	if err != nil {
		h.reportFail(w, r, err)
		return
	}
	freq, err := h.cfg.Reports.Frequency(ctx, in)
	if err != nil {
		h.reportFail(w, r, err)
		return
	}
	trends, err := h.cfg.Reports.MaintenanceTrends(ctx, in)
	if err != nil {
		h.reportFail(w, r, err)
		return
	}
	sat, err := h.cfg.Reports.Satisfaction(ctx, in)
	if err != nil {
		h.reportFail(w, r, err)
		return
	}
	charts := map[string]chart{}
	svc := chart{Kind: "hbar", Series: []chartSeries{{Name: tr(v.L, "web.reports.orders")}}}
	for i, s := range top {
		d.Services = append(d.Services, serviceRow{Code: s.Service, Label: labelOf(s.Service), Orders: fmtInt(s.Orders),
			Revenue: fmtBRL(s.RevenueCents), Share: fmtPct(s.Share)})
		if i < 10 {
			svc.Labels = append(svc.Labels, labelOf(s.Service))
			svc.Series[0].Values = append(svc.Series[0].Values, float64(s.Orders))
		}
	}
	charts["services"] = svc
	d.Customers, d.Returning, d.AvgDays = fmtInt(freq.Customers), fmtInt(freq.ReturningCustomers), fmtDec(freq.AvgDaysBetweenVisits)
	visits := chart{Kind: "bar", Series: []chartSeries{{Name: tr(v.L, "web.reports.new")}, {Name: tr(v.L, "web.reports.returning")}, {Name: tr(v.L, "web.reports.visits")}}}
	for _, m := range freq.ByMonth {
		visits.Labels = append(visits.Labels, fmtMonth(m.Month))
		visits.Series[0].Values = append(visits.Series[0].Values, float64(m.NewCustomers))
		visits.Series[1].Values = append(visits.Series[1].Values, float64(m.ReturningCustomers))
		visits.Series[2].Values = append(visits.Series[2].Values, float64(m.Visits))
	}
	charts["visits"] = visits
	for i, o := range freq.Overdue {
		if i == 20 {
			break
		}
		row := overdueRow{Name: o.Name, LastVisit: o.LastVisit.Format("02/01/2006"), ExpectedBy: o.ExpectedBy.Format("02/01/2006")}
		if o.CustomerID != uuid.Nil {
			row.Link = "/app/" + v.Slug + "/customers/" + o.CustomerID.String()
		}
		if row.Name == "" {
			row.Name = tr(v.L, "web.reports.customer_hidden")
		}
		d.Overdue = append(d.Overdue, row)
	}
	d.HasNPS = sat.NPS.Responses > 0
	d.NPS, d.NPSResponses = fmtDec(sat.NPS.Score), fmtInt(sat.NPS.Responses)
	for _, b := range trends.ByMileage {
		d.Bands = append(d.Bands, countRow{A: b.Band, B: labelOf(b.Service), Orders: fmtInt(b.Orders)})
	}
	// Drill-down: one service's months and vehicles.
	d.Service = r.URL.Query().Get("service")
	if d.Service != "" {
		d.ServiceLabel = labelOf(d.Service)
		line := chart{Kind: "line", Series: []chartSeries{{Name: d.ServiceLabel}}}
		for _, m := range trends.ByMonth {
			if m.Service == d.Service {
				d.ServiceMonths = append(d.ServiceMonths, countRow{A: fmtMonth(m.Month), Orders: fmtInt(m.Orders)})
				line.Labels = append(line.Labels, fmtMonth(m.Month))
				line.Series[0].Values = append(line.Series[0].Values, float64(m.Orders))
			}
		}
		charts["service"] = line
		for _, mm := range trends.ByMakeModel {
			if mm.Service == d.Service && len(d.MakeModels) < 15 {
				d.MakeModels = append(d.MakeModels, countRow{A: mm.Make + " " + mm.Model, B: strconv.FormatInt(mm.Year, 10), Orders: fmtInt(mm.Orders)})
			}
		}
	}
	d.Charts = chartsJSON(charts)
	v.Data = d
	h.render(w, r, http.StatusOK, "reports", v)
}

// reportFail shows a period error as an alert on the error page and any
// other failure as usual.
func (h *Handler) reportFail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		h.errorPage(w, r, http.StatusUnprocessableEntity, "web.reports.bad_period")
		return
	}
	h.cfg.Log.WarnContext(r.Context(), "web: report failed", "path", r.URL.Path, "err", err)
	h.fail(w, r, err)
}

type franchiseLink struct {
	ID, Name string
}

// franchisesPage lists the franchises the person manages.
func (h *Handler) franchisesPage(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.franchise.list_title")
	var out []franchiseLink
	if h.cfg.Reports != nil {
		s, _ := sessionOf(r.Context())
		refs, err := h.cfg.Reports.ManagedFranchises(r.Context(), memberships.Caller{IdentityID: s.Identity.ID, Email: s.Identity.Email, Name: s.Identity.Name})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, f := range refs {
			out = append(out, franchiseLink{ID: f.ID.String(), Name: f.Name})
		}
	}
	v.Data = out
	h.render(w, r, http.StatusOK, "franchises", v)
}

type shopRow struct {
	Slug, Name, Orders, Revenue, AvgTicket, NPS, ReturnRate, Conversion, Percentile, Link string
}

type franchiseData struct {
	ID, Name string
	Period   periodForm
	Shops    []shopRow
	Shop     string
	ShopName string
	Mix      []serviceRow
	Charts   string
	CSV      string
	HasShops bool
	Locale   string
	// Managed: the caller manages the franchise and gets the settings
	// form; Share is its current "share with member shops" setting.
	Managed, Share bool
}

// franchiseReport is the comparison dashboard of a franchise's managers.
func (h *Handler) franchiseReport(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.franchise.title")
	if h.cfg.Reports == nil {
		h.errorPage(w, r, http.StatusServiceUnavailable, "web.reports.off")
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.errorPage(w, r, http.StatusNotFound, "web.error.not_found")
		return
	}
	s, _ := sessionOf(r.Context())
	in, pf := periodOf(r, &v)
	c, err := h.cfg.Reports.FranchiseComparison(r.Context(), memberships.Caller{IdentityID: s.Identity.ID, Email: s.Identity.Email, Name: s.Identity.Name}, id, in)
	if err != nil {
		h.reportFail(w, r, err)
		return
	}
	d := franchiseData{ID: id.String(), Name: c.Name, Period: pf, Shop: r.URL.Query().Get("shop"), HasShops: len(c.Workshops) > 0, Locale: localeTag(v.L),
		Managed: c.Managed && h.cfg.Franchises != nil, Share: c.ShareWithMembers,
		CSV: "/api/v1/franchises/" + id.String() + "/comparison?" + string(pf.Query) + "&format=csv"}
	v.Title = c.Name
	charts := map[string]chart{}
	rev := chart{Kind: "bar", Money: true, Series: []chartSeries{{Name: tr(v.L, "web.reports.revenue")}}}
	for _, ws := range c.Workshops {
		d.Shops = append(d.Shops, shopRow{Slug: ws.Slug, Name: ws.Name, Orders: fmtInt(ws.Orders), Revenue: fmtBRL(ws.RevenueCents),
			AvgTicket: fmtBRL(ws.AvgTicketCents), NPS: npsText(ws), ReturnRate: fmtPct(ws.ReturnRate),
			Conversion: fmtPct(ws.ReminderConversion), Percentile: fmtDec(ws.Percentile["revenue_cents"]),
			Link: "/app/franchises/" + id.String() + "?" + string(pf.Query) + "&shop=" + url.QueryEscape(ws.Slug)})
		rev.Labels = append(rev.Labels, ws.Name)
		rev.Series[0].Values = append(rev.Series[0].Values, float64(ws.RevenueCents)/100)
		if ws.Slug == d.Shop {
			d.ShopName = ws.Name
			keys := make([]string, 0, len(ws.ServiceMix))
			for k := range ws.ServiceMix {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				return ws.ServiceMix[keys[i]] > ws.ServiceMix[keys[j]] || (ws.ServiceMix[keys[i]] == ws.ServiceMix[keys[j]] && keys[i] < keys[j])
			})
			mix := chart{Kind: "hbar", Series: []chartSeries{{Name: tr(v.L, "web.reports.share")}}}
			for _, k := range keys {
				d.Mix = append(d.Mix, serviceRow{Code: k, Label: labelOf(k), Share: fmtPct(ws.ServiceMix[k])})
				mix.Labels = append(mix.Labels, labelOf(k))
				mix.Series[0].Values = append(mix.Series[0].Values, math.Round(1000*ws.ServiceMix[k])/10)
			}
			charts["mix"] = mix
		}
	}
	charts["revenue"] = rev
	d.Charts = chartsJSON(charts)
	v.Data = d
	h.render(w, r, http.StatusOK, "franchise_report", v)
}

// franchiseSettingsSave is the dashboard's settings form (franchise
// managers): share the comparison with the owners of member shops.
func (h *Handler) franchiseSettingsSave(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || h.cfg.Franchises == nil {
		h.errorPage(w, r, http.StatusNotFound, "web.error.not_found")
		return
	}
	_ = r.ParseForm()
	s, _ := sessionOf(r.Context())
	by := memberships.Caller{IdentityID: s.Identity.ID, Email: s.Identity.Email, Name: s.Identity.Name}
	share := r.PostForm.Get("share_comparison_with_members") == "on"
	if _, err := h.cfg.Franchises.UpdateFranchiseSettings(r.Context(), by, id, franchise.Settings{ShareComparisonWithMembers: share}); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash("/app/franchises/"+id.String(), "franchise_settings_saved"))
}

// localeTag is the BCP 47 tag the charts format numbers with.
func localeTag(l i18n.Locale) string {
	if l == i18n.En {
		return "en"
	}
	return "pt-BR"
}

// npsText is the shop's NPS, or a dash before any answer.
func npsText(ws reports.WorkshopFigures) string {
	if ws.NPSResponses == 0 {
		return "—"
	}
	return fmtDec(ws.NPS)
}
