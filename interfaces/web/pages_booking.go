package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// The agenda: a day or week calendar of the appointments booked online (or
// by the staff), their statuses (arrival opens a service order) and the
// booking settings. Opening hours are the workshop profile's.

type agendaRow struct {
	ID          string
	Start, End  string
	Status      string
	Services    []string
	Plate       string
	Vehicle     string
	VehicleID   string
	Customer    string
	Note        string
	BookedBy    string
	OrderID     string
	OrderNumber int64
	Open        bool // booked or confirmed: actions apply
}

type agendaDay struct {
	ISO, Label string
	Rows       []agendaRow
}

type agendaData struct {
	View, Date, Prev, Next, Today string
	Days                          []agendaDay
}

var weekdayPt = [...]string{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"}
var weekdayEn = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

func (h *Handler) bookingReady(w http.ResponseWriter, r *http.Request) bool {
	if h.cfg.Booking == nil {
		h.errorPage(w, r, http.StatusNotFound, "web.error.not_found")
		return false
	}
	return true
}

func dayLabel(v view, d time.Time) string {
	if v.L == "en" {
		return weekdayEn[d.Weekday()] + ", " + d.Format("01/02")
	}
	return weekdayPt[d.Weekday()] + ", " + d.Format("02/01")
}

// agenda is GET /app/{slug}/agenda?view=day|week&date=2006-01-02.
func (h *Handler) agenda(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) || !h.allowed(w, r, authz.ReadAppointments) {
		return
	}
	ctx := r.Context()
	loc, err := h.cfg.Booking.Location(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.agenda.title")
	v.Nav = "agenda"
	q := r.URL.Query()
	mode := "week"
	if q.Get("view") == "day" {
		mode = "day"
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	day := today
	if d, err := time.ParseInLocation("2006-01-02", q.Get("date"), loc); err == nil {
		day = d
	}
	first, days := day, 1
	if mode == "week" {
		offset := (int(day.Weekday()) + 6) % 7 // weeks start on Monday
		first, days = day.AddDate(0, 0, -offset), 7
	}
	last := first.AddDate(0, 0, days-1)
	list, err := h.cfg.Booking.ListAppointments(ctx, booking.ListAppointmentsInput{From: first.Format("2006-01-02"), To: last.Format("2006-01-02")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := agendaData{View: mode, Date: day.Format("2006-01-02"), Today: today.Format("2006-01-02"),
		Prev: first.AddDate(0, 0, -days).Format("2006-01-02"), Next: first.AddDate(0, 0, days).Format("2006-01-02")}
	byDay := map[string][]agendaRow{}
	names := h.agendaNames(r)
	for _, a := range list {
		row := agendaRow{ID: a.ID.String(), Start: a.Start.In(loc).Format("15:04"), End: a.End.In(loc).Format("15:04"),
			Status: a.Status, Note: a.Note, BookedBy: a.BookedBy, VehicleID: a.VehicleID.String(),
			Open: a.Status == "booked" || a.Status == "confirmed"}
		for _, s := range a.Services {
			row.Services = append(row.Services, serviceLabel(s))
		}
		row.Plate, row.Vehicle = names.vehicle(a.VehicleID)
		row.Customer = names.customer(a.CustomerID)
		if a.ServiceOrderID != uuid.Nil {
			row.OrderID = a.ServiceOrderID.String()
			if o, err := h.cfg.ServiceOrders.GetServiceOrder(ctx, a.ServiceOrderID); err == nil {
				row.OrderNumber = o.Number
			}
		}
		d := a.Start.In(loc).Format("2006-01-02")
		byDay[d] = append(byDay[d], row)
	}
	for i := 0; i < days; i++ {
		d := first.AddDate(0, 0, i)
		iso := d.Format("2006-01-02")
		data.Days = append(data.Days, agendaDay{ISO: iso, Label: dayLabel(v, d), Rows: byDay[iso]})
	}
	v.Data = data
	h.render(w, r, http.StatusOK, "agenda", v)
}

func serviceLabel(code string) string {
	if sc, err := catalog.ParseServiceCode(code); err == nil {
		if s, ok := catalog.Default().Lookup(sc); ok {
			return s.Label()
		}
	}
	return code
}

// agendaNames caches the vehicles and customers a page shows.
type agendaNameCache struct {
	h        *Handler
	r        *http.Request
	vehicles map[uuid.UUID][2]string
	people   map[uuid.UUID]string
}

func (h *Handler) agendaNames(r *http.Request) *agendaNameCache {
	return &agendaNameCache{h: h, r: r, vehicles: map[uuid.UUID][2]string{}, people: map[uuid.UUID]string{}}
}

func (c *agendaNameCache) vehicle(id uuid.UUID) (string, string) {
	if v, ok := c.vehicles[id]; ok {
		return v[0], v[1]
	}
	var out [2]string
	if c.h.cfg.Vehicles != nil {
		if v, err := c.h.cfg.Vehicles.GetVehicle(c.r.Context(), id); err == nil {
			out = [2]string{v.Plate, strings.TrimSpace(v.Make + " " + v.Model)}
		}
	}
	c.vehicles[id] = out
	return out[0], out[1]
}

func (c *agendaNameCache) customer(id uuid.UUID) string {
	if n, ok := c.people[id]; ok {
		return n
	}
	n := ""
	if c.h.cfg.Customers != nil {
		if cu, err := c.h.cfg.Customers.GetCustomer(c.r.Context(), id); err == nil {
			n = cu.Name
		}
	}
	c.people[id] = n
	return n
}

// agendaBack is the calendar the person came from, with a flash.
func (h *Handler) agendaBack(r *http.Request, date, mode, flash string) string {
	q := url.Values{}
	if _, err := time.Parse("2006-01-02", date); err == nil {
		q.Set("date", date)
	}
	if mode == "day" {
		q.Set("view", "day")
	}
	if flash != "" {
		q.Set("ok", flash)
	}
	return h.appPath(r, "/agenda?", q.Encode())
}

// agendaStatus is POST /app/{slug}/agenda/{id}/status.
func (h *Handler) agendaStatus(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) {
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	_ = r.ParseForm()
	status := r.PostForm.Get("status")
	if _, err := h.cfg.Booking.ChangeAppointmentStatus(r.Context(), booking.ChangeAppointmentStatusInput{ID: id, Status: status}); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, h.agendaBack(r, r.PostForm.Get("date"), r.PostForm.Get("view"), "appointment_"+status))
}

type bookingSettingsData struct {
	Services []catalogItem
	Weekdays []weekdayRow
	CanHours bool
}

type weekdayRow struct {
	N     int
	Label string
}

func weekdayRows(v view) []weekdayRow {
	out := make([]weekdayRow, 0, 7)
	for _, n := range []int{1, 2, 3, 4, 5, 6, 0} { // Monday first
		label := weekdayPt[n]
		if v.L == "en" {
			label = weekdayEn[n]
		}
		out = append(out, weekdayRow{N: n, Label: label})
	}
	return out
}

// fillHours puts the workshop's opening hours and time zone into the form.
func (h *Handler) fillHours(r *http.Request, v *view) {
	if h.cfg.Workshops == nil {
		return
	}
	ws, err := h.cfg.Workshops.GetWorkshop(r.Context())
	if err != nil {
		return
	}
	tz := ws.Profile.TimeZone
	if tz == "" {
		tz = ws.TimeZone
	}
	v.Form.Set("time_zone", tz)
	for _, bh := range ws.Profile.BusinessHours {
		p := "hours." + strconv.Itoa(bh.Weekday) + "."
		v.Form.Set(p+"open", "on")
		v.Form.Set(p+"opens", bh.Opens)
		v.Form.Set(p+"closes", bh.Closes)
	}
}

func (h *Handler) bookingServices(r *http.Request) []catalogItem {
	var out []catalogItem
	if h.cfg.Workshops != nil {
		if list, err := h.cfg.Workshops.ListServices(r.Context()); err == nil {
			for _, s := range list {
				out = append(out, catalogItem{Code: s.Code().String(), Label: s.Label()})
			}
			return out
		}
	}
	return catalogItems()
}

// bookingSettings is GET /app/{slug}/agenda/settings.
func (h *Handler) bookingSettings(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) || !h.allowed(w, r, authz.ManageBooking) {
		return
	}
	s, err := h.cfg.Booking.GetSettings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.booking.settings.title")
	v.Nav = "agenda"
	v.Form.Set("bays", strconv.Itoa(s.Bays))
	v.Form.Set("slot_minutes", strconv.Itoa(s.SlotMinutes))
	for code, m := range s.ServiceMinutes {
		v.Form.Set("service_minutes."+code, strconv.Itoa(m))
	}
	h.fillHours(r, &v)
	v.Data = bookingSettingsData{Services: h.bookingServices(r), Weekdays: weekdayRows(v), CanHours: v.Can(string(authz.UpdateWorkshop))}
	h.render(w, r, http.StatusOK, "agenda_settings", v)
}

// bookingSettingsSave is POST /app/{slug}/agenda/settings.
func (h *Handler) bookingSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) {
		return
	}
	_ = r.ParseForm()
	v := h.newView(r, "web.booking.settings.title")
	v.Nav = "agenda"
	v.Form = r.PostForm
	services := h.bookingServices(r)
	h.keepHours(r, &v)
	v.Data = bookingSettingsData{Services: services, Weekdays: weekdayRows(v), CanHours: v.Can(string(authz.UpdateWorkshop))}
	num := func(name string) int {
		s := strings.TrimSpace(r.PostForm.Get(name))
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Errors[name] = messages.FieldError(v.L, "invalid_format")
		}
		return n
	}
	in := booking.UpdateSettingsInput{Bays: num("bays"), SlotMinutes: num("slot_minutes"), ServiceMinutes: map[string]int{}}
	for _, s := range services {
		name := "service_minutes." + s.Code
		if strings.TrimSpace(r.PostForm.Get(name)) != "" {
			in.ServiceMinutes[s.Code] = num(name)
		}
	}
	if len(v.Errors) == 0 {
		_, err := h.cfg.Booking.UpdateSettings(r.Context(), in)
		if err == nil {
			redirect(w, r, withFlash(h.appPath(r, "/agenda/settings"), "booking_saved"))
			return
		}
		if !h.formErrors(r, &v, err) {
			h.fail(w, r, err)
			return
		}
	} else {
		v.Alert = tr(v.L, "web.form.fix_errors")
	}
	h.render(w, r, http.StatusUnprocessableEntity, "agenda_settings", v)
}

// keepHours re-shows the saved hours beside a refused settings form.
func (h *Handler) keepHours(r *http.Request, v *view) {
	saved := view{Form: url.Values{}}
	h.fillHours(r, &saved)
	for k, vals := range saved.Form {
		if !v.Form.Has(k) {
			v.Form[k] = vals
		}
	}
}

// bookingHoursSave is POST /app/{slug}/agenda/hours: the workshop profile's
// opening hours and time zone, which the slots follow.
func (h *Handler) bookingHoursSave(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) || !h.allowed(w, r, authz.UpdateWorkshop) {
		return
	}
	_ = r.ParseForm()
	v := h.newView(r, "web.booking.settings.title")
	v.Nav = "agenda"
	v.Form = r.PostForm
	hours := []workshop.BusinessHours{}
	var fieldOf []string
	for _, d := range weekdayRows(v) {
		p := "hours." + strconv.Itoa(d.N) + "."
		if r.PostForm.Get(p+"open") == "" {
			continue
		}
		hours = append(hours, workshop.BusinessHours{Weekday: d.N, Opens: strings.TrimSpace(r.PostForm.Get(p + "opens")),
			Closes: strings.TrimSpace(r.PostForm.Get(p + "closes"))})
		fieldOf = append(fieldOf, p)
	}
	tz := strings.TrimSpace(r.PostForm.Get("time_zone"))
	_, err := h.cfg.Workshops.UpdateProfile(r.Context(), workshop.ProfileInput{BusinessHours: &hours, TimeZone: &tz}, nil)
	if err == nil {
		redirect(w, r, withFlash(h.appPath(r, "/agenda/settings"), "hours_saved"))
		return
	}
	if !h.formErrors(r, &v, err) {
		h.fail(w, r, err)
		return
	}
	// business_hours[i].opens → hours.<weekday>.opens
	for k, msg := range v.Errors {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(k, "business_hours[%d].%s", &i, &rest); n == 2 && i >= 0 && i < len(fieldOf) {
			v.Errors[fieldOf[i]+rest] = msg
		}
	}
	h.fillSettingsForm(r, &v)
	v.Data = bookingSettingsData{Services: h.bookingServices(r), Weekdays: weekdayRows(v), CanHours: true}
	h.render(w, r, http.StatusUnprocessableEntity, "agenda_settings", v)
}

// fillSettingsForm re-shows the saved booking settings beside a refused
// hours form.
func (h *Handler) fillSettingsForm(r *http.Request, v *view) {
	s, err := h.cfg.Booking.GetSettings(r.Context())
	if err != nil {
		return
	}
	v.Form.Set("bays", strconv.Itoa(s.Bays))
	v.Form.Set("slot_minutes", strconv.Itoa(s.SlotMinutes))
	for code, m := range s.ServiceMinutes {
		v.Form.Set("service_minutes."+code, strconv.Itoa(m))
	}
}

type agendaSlot struct{ Value, Label string }

type agendaNewData struct {
	VehicleID, Plate, Vehicle, Customer string
	Services                            []catalogItem
	Chosen                              map[string]bool
	Slots                               []agendaSlot
	Searched                            bool
}

// agendaNew is GET /app/{slug}/agenda/new?vehicle=ID&services=...: the
// staff book for a customer (phone, front desk).
func (h *Handler) agendaNew(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) || !h.allowed(w, r, authz.ManageAppointments) {
		return
	}
	v := h.newView(r, "web.agenda.new_title")
	v.Form = r.URL.Query()
	h.renderAgendaNew(w, r, http.StatusOK, v)
}

func (h *Handler) renderAgendaNew(w http.ResponseWriter, r *http.Request, status int, v view) {
	v.Nav = "agenda"
	ctx := r.Context()
	vid, err := uuid.Parse(v.Form.Get("vehicle"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	veh, err := h.cfg.Vehicles.GetVehicle(ctx, vid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := agendaNewData{VehicleID: vid.String(), Plate: veh.Plate, Vehicle: strings.TrimSpace(veh.Make + " " + veh.Model),
		Services: h.bookingServices(r), Chosen: map[string]bool{}}
	if c, err := h.cfg.Customers.GetCustomer(ctx, veh.CustomerID); err == nil {
		d.Customer = c.Name
	}
	chosen := v.Form["services"]
	for _, s := range chosen {
		d.Chosen[s] = true
	}
	if len(chosen) > 0 {
		d.Searched = true
		loc, err := h.cfg.Booking.Location(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		now := time.Now()
		slots, err := h.cfg.Booking.FindSlots(ctx, booking.SlotQueryInput{Services: strings.Join(chosen, ","),
			From: now.Format(time.RFC3339), To: now.Add(14 * 24 * time.Hour).Format(time.RFC3339)})
		if err != nil && !h.formErrors(r, &v, err) {
			h.fail(w, r, err)
			return
		}
		for _, s := range slots {
			l := s.Start.In(loc)
			d.Slots = append(d.Slots, agendaSlot{Value: s.Start.Format(time.RFC3339), Label: dayLabel(v, l) + " " + l.Format("15:04")})
		}
	}
	v.Data = d
	h.render(w, r, status, "agenda_new", v)
}

// agendaBook is POST /app/{slug}/agenda/new.
func (h *Handler) agendaBook(w http.ResponseWriter, r *http.Request) {
	if !h.bookingReady(w, r) {
		return
	}
	_ = r.ParseForm()
	v := h.newView(r, "web.agenda.new_title")
	v.Form = r.PostForm
	a, err := h.cfg.Booking.BookForCustomer(r.Context(), booking.BookAppointmentInput{VehicleID: r.PostForm.Get("vehicle"),
		Services: r.PostForm["services"], Start: r.PostForm.Get("start"), Note: r.PostForm.Get("note")})
	if err != nil {
		if h.formErrors(r, &v, err) {
			h.renderAgendaNew(w, r, http.StatusUnprocessableEntity, v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, h.agendaBack(r, a.Day, "day", "appointment_booked"))
}
